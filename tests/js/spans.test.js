// node --test: performance spans and the per-frame breakdown (assets/js/42_spans.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const spans = require("../../assets/js/42_spans.js");

/** Figures are rounded to 0.001 ms. */
function near(actual, expected) {
  assert.ok(Math.abs(actual - expected) <= 0.0005, `${actual} ≈ ${expected}`);
}

/** A fake Performance whose clock the test moves; measure() keeps entries like the browser's timeline. */
function fakePerf() {
  const perf = { t: 0, entries: [], cleared: 0 };
  perf.now = () => perf.t;
  perf.measure = (name, o) => perf.entries.push({ name, startTime: o.start, duration: o.end - o.start, self: o.detail.self });
  perf.clearMeasures = () => (perf.cleared += 1);
  return perf;
}

test("disabled spans record nothing and cost no clock reads", () => {
  const perf = fakePerf();
  let reads = 0;
  const s = spans.createSpans({ now: () => (reads += 1), measure: perf.measure });
  const t = s.begin("engine.batch");
  assert.equal(t, -1);
  assert.equal(s.end(t), 0);
  assert.equal(reads, 0);
  assert.deepEqual(s.totals(), {});
});

test("nested spans: the parent's self time excludes its children", () => {
  const perf = fakePerf();
  const s = spans.createSpans(perf);
  s.enable(true);
  const outer = s.begin("plotly.update");
  perf.t = 3;
  const inner = s.begin("engine.bookkeeping"); // e.g. the probe's afterplot, run inside Plotly
  perf.t = 5;
  assert.equal(s.end(inner), 2);
  perf.t = 9;
  assert.equal(s.end(outer), 7);
  assert.deepEqual(s.totals(), { "engine.bookkeeping": { count: 1, self: 2 }, "plotly.update": { count: 1, self: 7 } });
  assert.deepEqual(perf.entries.map((e) => [e.name, e.startTime, e.duration, e.self]), [
    ["tickless:engine.bookkeeping", 3, 2, 2],
    ["tickless:plotly.update", 0, 9, 7],
  ]);
});

test("closing an outer span closes what an exception left open inside it; a closed token is a no-op", () => {
  const perf = fakePerf();
  const s = spans.createSpans(perf);
  s.enable(true);
  const outer = s.begin("engine.frame");
  s.begin("engine.batch");
  perf.t = 4;
  s.end(outer);
  assert.equal(s.end(outer), 0);
  assert.deepEqual(Object.keys(s.totals()).sort(), ["engine.batch", "engine.frame"]);
  assert.equal(s.totals()["engine.frame"].self, 0);
});

test("wrap times a function and passes its result and exceptions through", () => {
  const perf = fakePerf();
  const s = spans.createSpans(perf);
  s.enable(true);
  const add = s.wrap("engine.events", (a, b) => {
    perf.t += 1;
    return a + b;
  });
  assert.equal(add(2, 3), 5);
  const boom = s.wrap("engine.events", () => {
    throw new Error("x");
  });
  assert.throws(boom, /x/);
  assert.equal(s.totals()["engine.events"].count, 2);
});

test("our entries are cleared from the timeline buffer every 2000 spans", () => {
  const perf = fakePerf();
  const s = spans.createSpans(perf);
  s.enable(true);
  for (let i = 0; i < 4000; i++) s.end(s.begin("engine.hud"));
  assert.equal(perf.cleared, 2);
});

test("breakdown: per-frame totals per category, idle, other and the shares", () => {
  const frames = [0, 20, 40, 60]; // three frames of 20 ms
  const entries = [
    { name: "tickless:plotly.update", startTime: 1, self: 10 },
    { name: "tickless:engine.envelope", startTime: 12, self: 1 },
    { name: "engine.bookkeeping", startTime: 13, self: 0.5 },
    { name: "tickless:plotly.update", startTime: 21, self: 12 },
    { name: "tickless:dash.flush", startTime: 45, self: 4 },
    { name: "tickless:plotly.update", startTime: 70, self: 99 }, // after the last frame: not counted
    { name: "tickless:mystery.thing", startTime: 2, self: 5 }, // unknown category: left to "other"
  ];
  const idle = [{ start: 15, ms: 3 }, { start: 50, ms: 10 }];
  const b = spans.breakdown(entries, frames, idle);
  assert.equal(b.frames, 3);
  assert.equal(b.frame_ms_p50, 20);
  assert.equal(b.plotly_ms_p50, 10);
  assert.equal(b.plotly_ms_p95, 12);
  near(b.plotly_ms_mean, 22 / 3);
  assert.equal(b.engine_ms_p95, 1.5);
  assert.equal(b.dash_ms_p95, 4);
  near(b.idle_ms_mean, 13 / 3);
  // other = frame - plotly - engine - dash - idle: 20-10-1.5-3, 20-12, 20-4-10
  assert.equal(b.other_ms_p50, 6);
  near(b.other_ms_mean, (5.5 + 8 + 6) / 3);
  const shares = ["plotly", "engine", "dash", "idle", "other"].reduce((sum, c) => sum + b[`${c}_share`], 0);
  assert.ok(Math.abs(shares - 1) < 0.005, `shares add up to the wall time: ${shares}`);
  assert.deepEqual(Object.keys(b.parts), ["dash.flush", "engine.bookkeeping", "engine.envelope", "plotly.update"]);
  near(b.parts["plotly.update"], 22 / 3);
  near(b.parts["engine.bookkeeping"], 0.5 / 3);
});

test("breakdown of fewer than two frames has no figures", () => {
  const b = spans.breakdown([{ name: "tickless:plotly.update", startTime: 0, self: 1 }], [0], []);
  assert.equal(b.frames, 0);
  assert.equal(b.plotly_ms_p95, null);
  assert.equal(b.plotly_share, null);
});

test("the page instance exists under node and is off", () => {
  assert.equal(spans.enabled(), false);
  assert.equal(spans.category("engine.batch"), "engine");
  assert.deepEqual(spans.CATEGORIES, ["plotly", "engine", "dash"]);
});
