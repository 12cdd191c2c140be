// node --test: the viewer's pure parts (assets/js/54_viewer.js): stacked rows and y scales, the theme and the
// keys (the window on screen and its CSV: download.test.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const viewer = require("../../assets/js/54_viewer.js");
const figure = require("../../assets/js/48_figure.js");
const config = Object.assign({}, require("./fixtures/config.json"), {
  layout: { xaxis: { type: "linear" }, yaxis: { autorange: false, type: "linear" }, showlegend: true },
});

const DS = require("./fixtures/small-dataset.js");

function baseFigure(channels) {
  return {
    data: channels.map((c) => ({ type: "scatter", name: DS.names[c], x: [0], y: [0] })),
    layout: figure.layout(config, channels, 1),
  };
}

test("stacked: one row per channel, top to bottom, sharing x; fixed ranges are each channel's own", () => {
  const ranges = [[0, 1], [-3, 5], [7, 11]];
  const cfg = Object.assign({}, config, { ranges });
  const out = viewer.decorate(baseFigure([0, 1, 2]), { channels: [0, 1, 2], layout: "stacked", yscale: "fixed" }, cfg, { theme: "light" });
  assert.deepEqual(out.data.map((t) => t.yaxis), ["y", "y2", "y3"]);
  const axes = [out.layout.yaxis, out.layout.yaxis2, out.layout.yaxis3];
  axes.forEach((axis, k) => {
    const [lo, hi] = ranges[k];
    const pad = (hi - lo) * config.yPad[0];
    assert.deepEqual(axis.range, [lo - pad, hi + pad]);
    assert.equal(axis.autorange, false);
    assert.equal(axis.title.text, DS.names[k]);
  });
  assert.ok(axes[0].domain[0] > axes[1].domain[1] && axes[1].domain[0] > axes[2].domain[1], "rows top to bottom, apart");
  assert.equal(axes[0].domain[1], 1);
  assert.ok(Math.abs(axes[2].domain[0]) < 1e-12);
  assert.equal(out.layout.xaxis.anchor, "y3");
  assert.equal(out.data[0].x, out.data[0].x, "data arrays are shared, not copied");
});

test("auto y scale follows the data: autorange on, no fixed range (overlaid and stacked)", () => {
  const over = viewer.decorate(baseFigure([0, 2]), { channels: [0, 2], layout: "overlaid", yscale: "auto" }, config, { theme: "light" });
  assert.equal(over.layout.yaxis.autorange, true);
  assert.equal(over.layout.yaxis.range, undefined);
  assert.equal(over.data[0].yaxis, undefined);
  const stacked = viewer.decorate(baseFigure([0, 2]), { channels: [0, 2], layout: "stacked", yscale: "auto" }, config, {});
  assert.equal(stacked.layout.yaxis2.autorange, true);
  const fixed = viewer.decorate(baseFigure([0, 2]), { channels: [0, 2], layout: "overlaid", yscale: "fixed" }, config, {});
  assert.deepEqual(fixed.layout.yaxis.range, figure.yRange(config.ranges, [0, 2], config.yPad));
});

test("the theme colours the figure; a wall display gets a bigger font", () => {
  const dark = viewer.decorate(baseFigure([0]), { channels: [0], layout: "overlaid", yscale: "fixed" }, config, { theme: "dark", fontSize: 20 });
  assert.equal(dark.layout.paper_bgcolor, viewer.THEMES.dark.paper);
  assert.equal(dark.layout.font.color, viewer.THEMES.dark.font);
  assert.equal(dark.layout.font.size, 20);
  assert.equal(dark.layout.xaxis.gridcolor, viewer.THEMES.dark.grid);
  const light = viewer.decorate(baseFigure([0]), { channels: [0], layout: "overlaid", yscale: "fixed" }, config, { theme: "light" });
  assert.equal(light.layout.paper_bgcolor, viewer.THEMES.light.paper);
});

test("viewOptions keeps allowed values and falls back otherwise", () => {
  assert.deepEqual(viewer.viewOptions("stacked", "auto", config), { layout: "stacked", yscale: "auto" });
  assert.deepEqual(viewer.viewOptions("sideways", 3, config), { layout: "overlaid", yscale: "fixed" });
});

test("keyAction: space, arrows, + / -, f, s, ? — never while typing or with a modifier", () => {
  const key = (k, extra) => viewer.keyAction(Object.assign({ key: k, target: { tagName: "BODY" } }, extra));
  assert.deepEqual(key(" "), { type: "play" });
  assert.deepEqual(key("ArrowLeft"), { type: "step", by: -1 });
  assert.deepEqual(key("ArrowRight"), { type: "step", by: 1 });
  assert.deepEqual(key("+"), { type: "zoom", factor: 2 });
  assert.deepEqual(key("-"), { type: "zoom", factor: 0.5 });
  assert.deepEqual(key("f"), { type: "follow" });
  assert.deepEqual(key("s"), { type: "layout" });
  assert.deepEqual(key("?"), { type: "help" });
  assert.equal(key("x"), null);
  assert.equal(key(" ", { target: { tagName: "INPUT" } }), null);
  assert.equal(key("f", { ctrlKey: true }), null);
  assert.equal(viewer.zoomedWindow(2000, 2, [100, 3000]), 3000);
  assert.equal(viewer.zoomedWindow(150, 0.5, [100, 3000]), 100);
});

test("a dataset with timestamps gets a date axis; without, seconds", () => {
  const dated = Object.assign({}, config, { data: Object.assign({}, config.data, { start: 1772352000 }) });
  const view = { channels: [0], layout: "overlaid", yscale: "fixed" };
  const out = viewer.decorate(baseFigure([0]), view, dated, { theme: "light" });
  assert.equal(out.layout.xaxis.type, "date");
  assert.equal(out.layout.xaxis.title.text, "time (UTC)");
  const plain = viewer.decorate(baseFigure([0]), view, Object.assign({}, config, { data: {} }), { theme: "light" });
  assert.notEqual(plain.layout.xaxis.type, "date");
});

test("the chart font sizes are the contract's (server panels draw the same ones on a wall display)", () => {
  assert.deepEqual(viewer.FONT_SIZES, require("./fixtures/config.json").fontSizes);
});
