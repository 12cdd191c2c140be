// node --test: LiveChart's live edge, sampled outputs and Tickless source (playback.js, outbox.js, tickless.js).
import test from "node:test";
import assert from "node:assert/strict";
import * as play from "../../livechart/src/lib/playback.js";
import { createOutbox, offer, flush, createMeter, tick } from "../../livechart/src/lib/outbox.js";
import { ticklessSource } from "../../livechart/src/lib/tickless.js";

test("replay: starts with a full window, plays at rate × speed, pauses and resumes without a jump", () => {
  const p = play.createPlayer("replay", 1000, 500, true, 1, 0);
  assert.equal(play.head(p, 0, 0), 500);
  assert.equal(play.head(p, 1000, 0), 1500);
  play.control(p, true, 4, 1000, 0);
  assert.equal(play.head(p, 1500, 0), 3500);
  play.control(p, false, 4, 1500, 0);
  assert.equal(play.head(p, 9000, 0), 3500);
  play.control(p, true, 4, 9000, 0);
  assert.equal(play.head(p, 9250, 0), 4500);
});

test("live: the head is the newest sample; a pause holds it while appends are kept", () => {
  const p = play.createPlayer("live", 1000, 500, true, 1, 0);
  assert.equal(play.head(p, 0, 120), 120);
  play.control(p, false, 1, 10, 300);
  assert.equal(play.head(p, 20, 900), 300);
  play.control(p, true, 1, 30, 900);
  assert.equal(play.head(p, 40, 900), 900);
});

test("ranges: follow fills from the left then rolls; a frozen range draws what is in it up to the head", () => {
  assert.deepEqual(play.followRange(100, 1000, 0, 100), [0, 9.99]);
  assert.deepEqual(play.followRange(5000, 1000, 0, 100), [40, 49.99]);
  assert.deepEqual(play.followSamples(100, 1000, 0), { lo: 0, hi: 100 });
  assert.deepEqual(play.followSamples(5000, 1000, 4500), { lo: 4500, hi: 5000 });
  assert.deepEqual(play.frozenSamples([10, 20], 100, 0, 5000), { lo: 1000, hi: 2001 });
  assert.deepEqual(play.frozenSamples([10, 20], 100, 0, 1500), { lo: 1000, hi: 1500 });
  assert.deepEqual(play.frozenSamples([10, 20], 100, 3000, 5000), { lo: 3000, hi: 3000 }, "all before the data held");
});

test("outbox: sends only changed values, at most once per interval unless urgent", () => {
  const box = createOutbox();
  box.sent = { fps: null, xRange: null };
  offer(box, "fps", null);
  assert.equal(flush(box, 0, 500), null, "unchanged initial value");
  offer(box, "fps", 60);
  assert.deepEqual(flush(box, 10, 500), { fps: 60 });
  offer(box, "fps", 59);
  assert.equal(flush(box, 200, 500), null, "too soon");
  offer(box, "fps", 59);
  offer(box, "xRange", [1, 2], true);
  assert.deepEqual(flush(box, 250, 500), { fps: 59, xRange: [1, 2] }, "urgent goes now, with what is pending");
  offer(box, "xRange", [1, 2]);
  assert.equal(flush(box, 900, 500), null, "same value again");
});

test("meter: frames drawn per second, updated once per period", () => {
  const m = createMeter(1000);
  let fps = 0;
  for (let t = 0; t <= 1000; t += 20) fps = tick(m, t, t % 40 === 0);
  assert.equal(fps, 26);
});

test("tickless source: waits for the tab's dataset and clock, then reads them in place", () => {
  const root = { dash_clientside: { tickless: { stream: { tab: { dataset: null, clock: null } } } } };
  assert.deepEqual(ticklessSource({}, null), { ready: false, found: false });
  assert.deepEqual(ticklessSource(root, null), { ready: false, found: true });
  const ds = { rate: 1000, length: 3, names: ["a"], channels: [new Float32Array([1, 2, 3])], ranges: [[1, 3]] };
  Object.assign(root.dash_clientside.tickless.stream.tab, { dataset: ds, clock: { anchorPos: 0 } });
  const src = ticklessSource(root, null);
  assert.equal(src.ready, true);
  assert.equal(src.array(0), ds.channels[0], "the tab's own typed array, not a copy");
  assert.equal(src.loop, true);
  const clock2 = { anchorPos: 5 };
  root.dash_clientside.tickless.stream.tab.clock = clock2;
  assert.equal(ticklessSource(root, src), src, "same dataset: same source");
  assert.equal(src.clock, clock2, "the clock is re-read every frame");
  assert.equal(play.clockHead({ rate: 1000, speed: 1, playing: false, anchorTime: 0, anchorPos: 41.5 }, 99), 42);
});
