// node --test: window bookkeeping for an endlessly replayed dataset (assets/js/30_frames.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const frames = require("../../assets/js/30_frames.js");

test("planBatch sends what came due, nothing when nothing did", () => {
  assert.equal(frames.planBatch(10, 10, 100), null);
  assert.equal(frames.planBatch(10, 5, 100), null);
  assert.deepEqual(frames.planBatch(10, 25, 100), { from: 10, to: 25, skipped: 0 });
});

test("planBatch sends at most one window and counts what it skipped", () => {
  assert.deepEqual(frames.planBatch(0, 1000, 300), { from: 700, to: 1000, skipped: 700 });
});

test("windowRange starts full one window into the data and clamps at zero", () => {
  assert.deepEqual(frames.windowRange(2000, 2000), { from: 0, to: 2000 });
  assert.deepEqual(frames.windowRange(5000, 2000), { from: 3000, to: 5000 });
  assert.deepEqual(frames.windowRange(500, 2000), { from: 0, to: 500 });
});

test("sliceColumns wraps around the data and timestamps virtual samples", () => {
  const channels = [Float32Array.from([0, 1, 2, 3]), Float32Array.from([10, 11, 12, 13])];
  const cols = frames.sliceColumns(channels, [1, 0], 2, 7, 2);
  assert.deepEqual(cols.x, [[1, 1.5, 2, 2.5, 3], [1, 1.5, 2, 2.5, 3]]);
  assert.deepEqual(cols.y, [[12, 13, 10, 11, 12], [2, 3, 0, 1, 2]]);
  assert.notEqual(cols.x[0], cols.x[1], "each trace gets its own x array");
  assert.deepEqual(frames.sliceColumns(channels, [0], 5, 5, 1), { x: [[]], y: [[]] });
});

test("appending batches with maxPoints reproduces a direct slice of the same window", () => {
  const ch = Float32Array.from({ length: 37 }, (_, i) => i * 0.5);
  const window = 20;
  let held = frames.sliceColumns([ch], [0], 0, 20, 1).y[0];
  let sent = 20;
  for (const due of [21, 29, 29, 64, 100, 171]) {
    const plan = frames.planBatch(sent, due, window);
    if (!plan) continue;
    held = held.concat(frames.sliceColumns([ch], [0], plan.from, plan.to, 1).y[0]).slice(-window);
    sent = plan.to;
    assert.deepEqual(held, frames.sliceColumns([ch], [0], sent - window, sent, 1).y[0]);
    assert.equal(held.length, frames.pointsHeld(sent, window));
  }
});

test("sliceColumns with typed: Float64Array times, Float32Array values, the same numbers", () => {
  const channels = [Float32Array.from([0.1, 1, 2, 3]), Float32Array.from([10, 11, 12, 13])];
  const plain = frames.sliceColumns(channels, [1, 0], 2, 7, 2);
  const typed = frames.sliceColumns(channels, [1, 0], 2, 7, 2, true);
  assert.ok(typed.x.every((a) => a instanceof Float64Array) && typed.y.every((a) => a instanceof Float32Array));
  assert.deepEqual(typed.x.map((a) => Array.from(a)), plain.x);
  assert.deepEqual(typed.y.map((a) => Array.from(a)), plain.y);
  assert.notEqual(typed.x[0], typed.x[1], "each trace has its own x array");
});

test("maxPoints: the window once full, what the trace will hold while it fills (plotly's typed-array extend)", () => {
  assert.equal(frames.maxPoints(1000, 17, 1000), 1000);
  assert.equal(frames.maxPoints(400, 17, 1000), 417);
  assert.equal(frames.maxPoints(995, 17, 1000), 1000);
  assert.equal(frames.maxPoints(0, 5, 1000), 5);
});

test("timeAxis: seconds without timestamps, epoch ms for a date axis with them; sliceColumns follows it", () => {
  assert.deepEqual(frames.timeAxis(250, null), { xRate: 250, x0: 0, date: false });
  assert.deepEqual(frames.timeAxis(250, undefined), { xRate: 250, x0: 0, date: false });
  const t = frames.timeAxis(250, 1772352000); // 2026-03-01T08:00:00Z
  assert.deepEqual(t, { xRate: 0.25, x0: 1772352000000, date: true });
  const channels = [new Float32Array([1, 2, 3, 4])];
  assert.deepEqual(frames.sliceColumns(channels, [0], 2, 4, 250).x[0], [0.008, 0.012]);
  const dated = frames.sliceColumns(channels, [0], 2, 4, t.xRate, true, t.x0).x[0];
  assert.deepEqual(Array.from(dated), [1772352000008, 1772352000012]);
  assert.equal(new Date(dated[0]).toISOString(), "2026-03-01T08:00:00.008Z");
});
