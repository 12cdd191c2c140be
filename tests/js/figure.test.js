// node --test: the figures the clientside paths draw (assets/js/48_figure.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const figure = require("../../assets/js/48_figure.js");

// the config store of a 3-channel page, written by app/contract.py (ranges [-1, 1], [2, 4], [10, 10]), with a layout
const config = Object.assign({}, require("./fixtures/config.json"), {
  layout: { margin: { l: 50 }, xaxis: { autorange: true }, yaxis: { autorange: false }, uirevision: "t" },
});
const ds = { rate: 10, names: ["a", "b", "c"], channels: [Float32Array.from([0, 1, 2, 3, 4]), Float32Array.from([5, 6, 7, 8, 9]), Float32Array.from([10, 10, 10, 10, 10])] };

test("y range covers the chosen channels with the config's padding (5%, 0.5 when flat), like the server's", () => {
  assert.deepEqual(config.ranges, [[-1, 1], [2, 4], [10, 10]]);
  assert.deepEqual(figure.yRange(config.ranges, [0, 1], config.yPad), [-1.25, 4.25]);
  assert.deepEqual(figure.yRange(config.ranges, [2], config.yPad), [9.5, 10.5]);
  assert.deepEqual(figure.yRange(config.ranges, [], config.yPad), [0, 1]);
  assert.deepEqual(figure.yRange(config.ranges, [0], [0.5, 2]), [-2, 2]);
  assert.deepEqual(figure.yRange(config.ranges, [2], [0.5, 2]), [8, 12]);
});

test("windowFigure draws the window ending at head, looping the data, with the stream's epoch", () => {
  const fig = figure.windowFigure(ds, config, { window: 3, channels: [1], trace: "scatter" }, 7, 4);
  assert.ok(fig.data[0].x instanceof Float64Array && fig.data[0].y instanceof Float32Array, "typed arrays");
  assert.deepEqual(Array.from(fig.data[0].x), [0.4, 0.5, 0.6]);
  assert.deepEqual(Array.from(fig.data[0].y), [9, 5, 6]);
  assert.equal(fig.data[0].name, "b");
  assert.deepEqual(fig.layout.meta, { tickless_epoch: 4 });
  assert.deepEqual(fig.layout.yaxis, { autorange: false, range: [1.9, 4.1] });
  assert.equal(config.layout.yaxis.range, undefined, "the shared layout is not mutated");
});

test("layout merges extra settings and xRange shows exactly one window", () => {
  const l = figure.layout(config, [0], 1, { xaxis: { autorange: false, range: [0, 1] }, datarevision: 3 });
  assert.deepEqual(l.xaxis, { autorange: false, range: [0, 1] });
  assert.equal(l.datarevision, 3);
  assert.deepEqual(figure.xRange(1000, 100, 10), [90, 99.9]);
  assert.deepEqual(figure.xRange(50, 100, 10), [0, 9.9]);
});

test("finish leaves plotly's legend out when the engine keys the graph (view.legend html), not otherwise", () => {
  const keyed = figure.windowFigure(ds, config, { window: 3, channels: [0, 1], trace: "scatter", legend: "html" }, 7, 1);
  assert.equal(keyed.layout.showlegend, false);
  const plotly = figure.windowFigure(ds, config, { window: 3, channels: [0, 1], trace: "scatter", legend: "plotly" }, 7, 1);
  assert.equal(plotly.layout.showlegend, undefined, "the shared layout's own setting stays");
});
