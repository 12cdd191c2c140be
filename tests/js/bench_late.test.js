"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { lateFrames } = require("../../benchmarks/bench_late.js");

const F = 1000 / 60;
/** rAF start times from intervals given in frames. */
const frames = (intervals) => intervals.reduce((t, d) => (t.push(t[t.length - 1] + d * F), t), [0]);

test("no long frame and every sample two frames: nothing late", () => {
  const out = lateFrames({ raf: frames([1, 1, 1, 1]), latency: [33.3, 33.4, 33.2], gc: [], spans: [] });
  assert.deepEqual(out, { frames: 4, long: 0, gc: 0, dash: 0, gc_dash: 0, other: 0, samples: 3, late: 0, late_pct: 0 });
});

test("each long frame is put down to a collection, Dash work, both or neither", () => {
  const raf = frames([1, 2, 1, 2, 1, 2, 1, 2, 1]); // long frames 1, 3, 5, 7
  const dash = (k, self) => ({ name: "tickless:dash.dispatch", startTime: raf[k] + 1, self });
  const spans = [dash(3, 1.5), dash(3, 1.0), dash(5, 4), { name: "tickless:plotly.update", startTime: raf[7] + 1, self: 12 }];
  const gc = [raf[1] + 2, raf[5] + 3, raf[8] + 1]; // frame 8 is not long
  const out = lateFrames({ raf, latency: [33.3, 50, 50, 33.4], gc, spans });
  assert.equal(out.long, 4);
  assert.deepEqual([out.gc, out.dash, out.gc_dash, out.other], [1, 1, 1, 1]); // Dash in frame 3 adds up to 2.5 ms
  assert.equal(out.late, 2);
  assert.equal(out.late_pct, 50);
});

test("a frame under 1.5 frames is not long (one over it is), and a sample at two frames plus jitter is not late", () => {
  const out = lateFrames({ raf: frames([1.4, 1.6]), latency: [33.8, 33.9], gc: [], spans: [] });
  assert.equal(out.long, 1);
  assert.equal(out.late, 1);
});

test("an empty recording", () => {
  assert.deepEqual(lateFrames({}), { frames: 0, long: 0, gc: 0, dash: 0, gc_dash: 0, other: 0, samples: 0, late: 0, late_pct: null });
});
