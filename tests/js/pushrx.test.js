// node --test: the tab's side of server push (assets/js/64_pushrx.js): each sample once, gaps counted, newest
// stream wins, play-out at the display's rate.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const rx = require("../../assets/js/64_pushrx.js");

// messages carry plain arrays here; `decode` is the identity into Float32Array
const decode = (values) => Float32Array.from(values);

/** A message of stream `run` with samples [start, start+n) of channels `ch`, values = indices. */
function msg(run, seq, start, n, { ch = [0], t = 1000, dt = 1, dropped = 0 } = {}) {
  const y = ch.map(() => Array.from({ length: n }, (_, k) => start + k));
  return { v: 1, run, seq, start, n, rate: 1000, t, dt, ch, y, dropped, lost: 0 };
}

test("accept applies contiguous data once and cuts overlaps", () => {
  const r = rx.createReceiver({ channels: [0] });
  assert.equal(rx.accept(r, msg(5, 0, 100, 10), 2000, decode), "data");
  assert.equal(rx.accept(r, msg(5, 1, 105, 10), 2000, decode), "data"); // 105..109 again
  assert.equal(r.end, 115);
  assert.equal(r.duplicates, 5);
  assert.equal(r.dropped, 0);
  const got = rx.take(r, 1e9);
  assert.deepEqual(Array.from(got.y[0]), Array.from({ length: 15 }, (_, k) => 100 + k));
  assert.deepEqual(Array.from(got.x).slice(0, 2), [0.1, 0.101]);
});

test("a gap in the numbering is counted as dropped, never hidden", () => {
  const r = rx.createReceiver({ channels: [0] });
  rx.accept(r, msg(5, 0, 0, 10), 0, decode);
  rx.accept(r, msg(5, 1, 30, 10), 0, decode);
  assert.equal(r.dropped, 20);
  const first = rx.take(r, 1e9);
  assert.equal(first.to, 10, "a take stops at the gap");
  assert.equal(rx.take(r, 1e9).from, 30);
});

test("a newer stream is adopted (a reconnect), an older or repeated message ignored", () => {
  const r = rx.createReceiver({ channels: [0] });
  rx.accept(r, msg(5, 0, 0, 10), 0, decode);
  assert.equal(rx.accept(r, msg(5, 0, 0, 10), 0, decode), "stale");
  assert.equal(rx.accept(r, msg(7, 0, 10, 10), 5000, decode), "data");
  assert.equal(r.reconnects, 1, "the old stream had been quiet for 5 s: the link came back");
  assert.equal(r.handovers, 0);
  assert.equal(rx.accept(r, msg(5, 1, 10, 10), 0, decode), "stale");
  assert.equal(r.end, 20);
  assert.equal(r.duplicates, 0);
});

test("another view's channels and keepalives change nothing on screen", () => {
  const r = rx.createReceiver({ channels: [1] });
  assert.equal(rx.accept(r, msg(5, 0, 0, 10, { ch: [0] }), 0, decode), "other");
  const keep = Object.assign(msg(5, 1, 0, 0), { start: null, y: [] });
  assert.equal(rx.accept(r, Object.assign(keep, { ch: [1] }), 50, decode), "keepalive");
  assert.equal(r.lastHeard, 50);
  assert.equal(r.end, null);
  assert.equal(rx.accept(r, { v: 2 }, 0, decode), "invalid");
});

test("undrawn samples are bounded: the oldest go, counted", () => {
  const r = rx.createReceiver({ channels: [0], cap: 25 });
  for (let k = 0; k < 5; k++) rx.accept(r, msg(5, k, k * 10, 10), 0, decode);
  assert.equal(r.pendingN, 25);
  assert.equal(r.dropped, 25);
  assert.equal(rx.take(r, 1e9).from, 25);
});

test("take plays out at the sample times, after the network's jitter", () => {
  const r = rx.createReceiver({ channels: [0], playoutMaxMs: 500 });
  // 100 samples 1 ms apart, the newest produced at t=1100; arriving at 1120 and the next batch at 1230
  rx.accept(r, msg(5, 0, 0, 100, { t: 1100 }), 1120, decode);
  assert.equal(r.playout, 0);
  rx.accept(r, msg(5, 1, 100, 100, { t: 1200 }), 1230, decode);
  assert.equal(r.playout, 130, "the newest sample of one batch to the next batch's arrival");
  // at now=1160 with 130 ms of play-out, samples produced up to t=1030 are due: indices 0..29 (t = 1001 + i)
  const due = rx.take(r, 1160);
  assert.equal(due.from, 0);
  assert.equal(due.to, 30);
  assert.equal(due.oldest, 1001);
  assert.equal(rx.take(r, 1160), null, "nothing more due in the same instant");
  assert.equal(rx.take(r, 1170).to, 40, "ten more 10 ms later: the display's rate, not the network's");
  assert.equal(r.playoutMaxMs, 500);
});

test("backoff doubles up to the cap", () => {
  assert.deepEqual([0, 1, 2, 3, 10].map((a) => rx.backoff(a, 3000, 30000)), [3000, 6000, 12000, 24000, 30000]);
});

test("a newer stream while the current one still speaks is a handover, not another reconnect", () => {
  const r = rx.createReceiver({ channels: [0] });
  rx.accept(r, msg(5, 0, 0, 10), 0, decode);
  rx.accept(r, msg(7, 0, 10, 10), 5000, decode); // back after 5 s of silence
  rx.accept(r, msg(8, 0, 20, 10), 5400, decode); // the second stream of the same reconnect
  assert.equal(r.reconnects, 1);
  assert.equal(r.handovers, 1);
  assert.equal(r.run, 8);
  assert.equal(r.duplicates, 0);
});
