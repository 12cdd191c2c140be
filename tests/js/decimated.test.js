// node --test: the envelope render path's pure functions (assets/js/58_decimated.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const decimated = require("../../assets/js/58_decimated.js");

const config = Object.assign({}, require("./fixtures/config.json"), {
  layout: { margin: { l: 50 }, xaxis: { autorange: true }, yaxis: { autorange: false } },
});
// 2 channels at 100 Hz, 1000 samples each: a ramp and a square wave
const ramp = Float32Array.from({ length: 1000 }, (_, i) => i);
const square = Float32Array.from({ length: 1000 }, (_, i) => (i % 20 < 10 ? -1 : 1));
const ds = { rate: 100, names: ["a", "b"], channels: [ramp, square] };
const VIEW = { window: 400, channels: [0, 1], trace: "scatter", decimate: "auto" };

test("wants: auto decimates once the window holds more points than the plot has columns", () => {
  assert.equal(decimated.wants(VIEW, 400), false);
  assert.equal(decimated.wants(VIEW, 399), true);
  assert.equal(decimated.wants(Object.assign({}, VIEW, { decimate: "on" }), 4000), true);
  assert.equal(decimated.wants(Object.assign({}, VIEW, { decimate: "off" }), 10), false);
  assert.equal(decimated.columns(null), decimated.FALLBACK_COLUMNS);
  assert.equal(decimated.columns({ _fullLayout: { _size: { w: 812.6 } } }), 812);
});

test("prepare: the first figure is the envelope of the window, on a fixed x range, with the stream's epoch", () => {
  const d = decimated.create(VIEW, 1000, 100, ds);
  assert.equal(d.B, 4);
  const fig = decimated.prepare(d, VIEW, ds, config, 7, 1000);
  assert.deepEqual(fig.layout.xaxis, { autorange: false, range: [6, 9.99] });
  assert.deepEqual(fig.layout.meta, { tickless_epoch: 7 });
  assert.equal(fig.data.length, 2);
  const x = fig.data[0].x;
  assert.ok(x instanceof Float64Array && fig.data[0].y instanceof Float32Array, "typed arrays end to end");
  assert.equal(x[0], 6);
  assert.equal(x[x.length - 1], 9.99);
  assert.equal(Math.min(...fig.data[1].y), -1);
  assert.equal(Math.max(...fig.data[1].y), 1);
  assert.ok(x.length <= 2 * (400 / 4 + 1));
});

test("updateArgs: Plotly.update's arguments for the samples due, the range following unless frozen", () => {
  const d = decimated.create(VIEW, 1000, 100, ds);
  const [traces, layout, indices] = decimated.updateArgs(d, VIEW, ds, 1000, 1017, false);
  assert.deepEqual(indices, [0, 1]);
  assert.deepEqual(layout, { "xaxis.range": [6.17, 10.16] });
  const x = traces.x[0];
  assert.equal(x[x.length - 1], 10.16, "the newest sample (looped: ramp value 16) is drawn");
  assert.equal(traces.y[0][traces.y[0].length - 1], 16);
  assert.ok(x[0] >= 6.16, "what left the window was trimmed (up to a bucket's worth stays, off-screen)");
  assert.deepEqual(decimated.updateArgs(d, VIEW, ds, 1017, 1020, true)[1], {}, "frozen: the user's range stays");
  // the layout's axis types are named again (restyling x/y would make plotly guess them from the data)
  const base = { xaxis: { type: "linear" }, yaxis: { type: "linear" } };
  assert.deepEqual(decimated.updateArgs(d, VIEW, ds, 1020, 1021, true, base)[1], { "xaxis.type": "linear", "yaxis.type": "linear" });
  // a gap (samples skipped) refills the envelope from the new end
  decimated.updateArgs(d, VIEW, ds, 5000, 5004, false);
  assert.equal(d.end, 5004);
});

test("tickFigure: a whole figure per tick, repeating the last x axis while frozen", () => {
  const d = decimated.create(VIEW, 1000, 100, ds);
  decimated.prepare(d, VIEW, ds, config, 1, 1000);
  const live = decimated.tickFigure(d, VIEW, ds, config, 1, 1000, 1010, false);
  assert.deepEqual(live.layout.xaxis.range, [6.1, 10.09]);
  const frozen = decimated.tickFigure(d, VIEW, ds, config, 1, 1010, 1020, true);
  assert.deepEqual(frozen.layout.xaxis.range, [6.1, 10.09]);
  assert.equal(d.end, 1020, "data keeps arriving while frozen");
});

test("fitted: the same record while the bucket size holds, a new one for a new width, none while full resolution fits", () => {
  const d = decimated.create(VIEW, 1000, 100, ds); // 400 points on 100 columns: 4 per bucket
  d.xaxis = { autorange: false, range: [1, 2] }; // e.g. the user's zoom
  assert.equal(decimated.fitted(d, VIEW, 100, 1000, ds), d, "same width: nothing rebuilt");
  assert.equal(decimated.fitted(d, VIEW, 120, 1000, ds), d, "a width with the same bucket size (ceil(400 / 120) = 4)");
  const wider = decimated.fitted(d, VIEW, 200, 1000, ds);
  assert.notEqual(wider, d);
  assert.equal(wider.B, 2);
  assert.equal(wider.end, 1000, "filled up to the playhead it is given");
  assert.deepEqual(wider.xaxis, d.xaxis, "the shown x axis is kept");
  const full = decimated.fitted(wider, VIEW, 1000, 1000, ds);
  assert.equal(full.B, 1, "auto on a plot wider than the window: one sample per bucket, the samples themselves");
  // a view drawn at full resolution
  assert.equal(decimated.fitted(null, VIEW, 400, 1000, ds), null, "still fits");
  const narrow = decimated.fitted(null, VIEW, 150, 1000, ds);
  assert.equal(narrow.B, 3);
  assert.deepEqual(narrow.xaxis, { autorange: false, range: [6, 9.99] }, "the window's x range");
  assert.equal(decimated.fitted(null, Object.assign({}, VIEW, { decimate: "off" }), 10, 1000, ds), null);
  // the rebuilt envelope draws the same data: its min and max over the window
  const [traces] = decimated.updateArgs(narrow, VIEW, ds, 1000, 1001, false);
  assert.equal(Math.min(...traces.y[1]), -1);
  assert.equal(Math.max(...traces.y[1]), 1);
});

test("refit: a new width is taken once it has held FIT_HOLD_MS, not at every step of a drag", () => {
  const s = { fit: { cols: 0, since: 0 }, decimated: decimated.create(VIEW, 1000, 100, ds), config: VIEW, sentEnd: 1000 };
  const first = s.decimated;
  const hold = decimated.FIT_HOLD_MS;
  decimated.refit(s, 100, 0, ds); // the width seen for the first time
  decimated.refit(s, 100, hold, ds);
  assert.equal(s.decimated, first, "same bucket size: the same record");
  decimated.refit(s, 200, hold + 10, ds); // a drag: 200, 190, 210 columns, none held
  decimated.refit(s, 190, hold + 20, ds);
  decimated.refit(s, 210, hold + 30, ds);
  assert.equal(s.decimated, first, "nothing rebuilt while the width moves");
  decimated.refit(s, 210, 2 * hold + 29, ds);
  assert.equal(s.decimated, first, "not yet held long enough");
  s.sentEnd = 1017;
  decimated.refit(s, 210, 2 * hold + 30, ds);
  assert.equal(s.decimated.B, 2, "rebuilt for 210 columns");
  assert.equal(s.decimated.end, 1017, "at the stream's drawn playhead");
});
