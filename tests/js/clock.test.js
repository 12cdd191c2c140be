// node --test: the replay clock (assets/js/20_clock.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const clk = require("../../assets/js/20_clock.js");

test("position advances at rate x speed from the start sample", () => {
  const c = clk.createClock({ rate: 1000, start: 2000, now: 100 });
  assert.equal(clk.position(c, 100), 2000);
  assert.equal(clk.position(c, 1100), 3000);
  assert.equal(clk.dueEnd(c, 1100.5), 3001);
});

test("pause freezes the playhead and play resumes from the same place", () => {
  let c = clk.createClock({ rate: 1000, start: 0, now: 0 });
  c = clk.setPlaying(c, false, 500);
  assert.equal(clk.position(c, 500), 500);
  assert.equal(clk.position(c, 5000), 500);
  c = clk.setPlaying(c, true, 5000);
  assert.equal(clk.position(c, 5000), 500);
  assert.equal(clk.position(c, 6000), 1500);
});

test("speed changes re-anchor so the playhead never jumps", () => {
  let c = clk.createClock({ rate: 1000, start: 0, now: 0 });
  c = clk.setSpeed(c, 10, 1000);
  assert.equal(clk.position(c, 1000), 1000);
  assert.equal(clk.position(c, 2000), 11000);
  c = clk.setSpeed(c, 0.1, 2000);
  assert.equal(clk.position(c, 3000), 11100);
  assert.throws(() => clk.setSpeed(c, 0, 3000), /speed 0/);
  assert.throws(() => clk.setSpeed(c, NaN, 3000), /speed NaN/);
  assert.throws(() => clk.createClock({ rate: 0 }), /rate 0/);
});

test("dueTime inverts position while playing", () => {
  const c = clk.setSpeed(clk.createClock({ rate: 250, start: 40, now: 10 }), 4, 20);
  for (const t of [20, 21.5, 400, 1e6]) {
    assert.ok(Math.abs(clk.dueTime(c, clk.position(c, t)) - t) < 1e-6);
  }
});

test("seek moves the playhead and keeps speed and play state; clocks are immutable", () => {
  const c = clk.setSpeed(clk.createClock({ rate: 100, now: 0 }), 2, 0);
  const d = clk.seek(c, 77, 1000);
  assert.equal(clk.position(d, 1000), 77);
  assert.equal(d.speed, 2);
  assert.equal(clk.position(c, 1000), 200);
  assert.throws(() => {
    "use strict";
    c.speed = 5;
  }, TypeError);
});
