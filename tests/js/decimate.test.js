// node --test: min/max envelope per pixel column, incremental (assets/js/35_decimate.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const dec = require("../../assets/js/35_decimate.js");

/** Deterministic PRNG (mulberry32) so every failure can be replayed from its seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A looped float32 "dataset" with ties (coarse quantisation) and, optionally, missing samples. */
function dataset(rand, length, missing) {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = rand() < missing ? NaN : Math.round((Math.sin(i / 37) + rand() - 0.5) * 8) / 4;
  }
  return out;
}

const isMissing = (y) => typeof y !== "number" || Number.isNaN(y);

/**
 * Brute force: samples [base, next) (value of v is get(v)), buckets that end after `start`, each drawn as
 * its first min and first max in time order (one point if the same sample; a NaN point if all missing).
 */
function reference(get, base, next, B, start, rate) {
  const xs = [];
  const ys = [];
  if (next <= base) return { xs, ys };
  for (let k = Math.floor(Math.max(base, start) / B); k <= Math.floor((next - 1) / B); k++) {
    const lo = Math.max(base, k * B);
    const hi = Math.min(next, (k + 1) * B);
    let amin = -1;
    let amax = -1;
    for (let v = lo; v < hi; v++) {
      const y = get(v);
      if (isMissing(y)) continue;
      if (amin === -1 || y < get(amin)) amin = v;
      if (amax === -1 || y > get(amax)) amax = v;
    }
    if (amin === -1) {
      xs.push(lo / rate);
      ys.push(NaN);
      continue;
    }
    for (const v of [...new Set([amin, amax])].sort((a, b) => a - b)) {
      xs.push(v / rate);
      ys.push(Math.fround(get(v)));
    }
  }
  return { xs, ys };
}

/** The used part of a points() result as plain arrays. */
function used(p) {
  return { xs: Array.from(p.x.subarray(0, p.n)), ys: Array.from(p.y.subarray(0, p.n)) };
}

test("bucketSize is max(1, ceil(window / columns)) and rejects bad input", () => {
  assert.equal(dec.bucketSize(0, 800), 1);
  assert.equal(dec.bucketSize(800, 800), 1);
  assert.equal(dec.bucketSize(801, 800), 2);
  assert.equal(dec.bucketSize(1_000_000, 800), 1250);
  assert.equal(dec.bucketSize(1_000_000, 799.7), 1252, "columns are whole pixels (floored)");
  assert.throws(() => dec.bucketSize(100, 0), /columns must be a number ≥ 1/);
  assert.throws(() => dec.bucketSize(100, NaN), /columns/);
  assert.throws(() => dec.bucketSize(-1, 100), /windowPoints/);
  assert.throws(() => dec.bucketSize(1.5, 100), /windowPoints/);
});

test("shouldDecimate: off never, on always, auto when the window has more points than columns", () => {
  const config = require("./fixtures/config.json"); // the contract's modes: each has a rule
  for (const mode of config.decimate) assert.equal(typeof dec.shouldDecimate(mode, 10, 10), "boolean", mode);
  assert.equal(dec.shouldDecimate("off", 1_000_000, 800), false);
  assert.equal(dec.shouldDecimate("on", 100, 800), true);
  assert.equal(dec.shouldDecimate("auto", 800, 800), false);
  assert.equal(dec.shouldDecimate("auto", 801, 800), true);
  assert.equal(dec.shouldDecimate("auto", 801, 800.9), true);
  assert.throws(() => dec.shouldDecimate("yes", 10, 10), /no rule for mode "yes"/);
  assert.throws(() => dec.shouldDecimate(undefined, 10, 10), /no rule for mode "undefined"/);
});

test("createEnvelope rejects bad sizes; append rejects non-contiguous or bad input; reset starts over", () => {
  assert.throws(() => dec.createEnvelope(0, 10), /bucket size/);
  assert.throws(() => dec.createEnvelope(2.5, 10), /bucket size/);
  assert.throws(() => dec.createEnvelope(4, 0), /capacity/);
  const env = dec.createEnvelope(4, 8);
  dec.append(env, 10, [1, 2, 3]);
  assert.throws(() => dec.append(env, 14, [4]), /expected samples from 13, got 14 \(call reset\(\) to start over\)/);
  assert.throws(() => dec.append(env, 12, [4]), /expected samples from 13, got 12/);
  assert.throws(() => dec.appendLooped(env, 20, 25, [1]), /expected samples from 13/);
  assert.throws(() => dec.append(env, -1, [1]), /whole number ≥ 0/);
  assert.throws(() => dec.append(env, 13, 5), /array or typed array/);
  assert.throws(() => dec.appendLooped(env, 13, 15, []), /non-empty/);
  dec.append(env, 13, []); // empty but contiguous: nothing happens
  assert.equal(env.next, 13);
  dec.reset(env);
  dec.append(env, 1000, [5]);
  assert.deepEqual(used(dec.points(env, 1)), { xs: [1000], ys: [5] });
});

test("random windows, chunk sizes and bucket sizes: incremental points equal the brute-force reference", () => {
  const rate = 1000;
  const sizes = [1, 2, 3, 7, 64, 1000, 1_000_000];
  for (let seed = 1; seed <= 70; seed++) {
    const rand = rng(seed);
    const B = sizes[seed % sizes.length];
    const src = dataset(rand, 500 + Math.floor(rand() * 3000), seed % 3 === 0 ? 0.05 : 0);
    const get = (v) => src[v % src.length];
    const window = 1 + Math.floor(rand() * 4 * Math.min(B, 500) + rand() * 600);
    const base = Math.floor(rand() * 5000); // usually not on a bucket boundary
    const env = dec.createEnvelope(B, dec.capacityFor(window, B));
    let next = base;
    let start = 0;
    let out = null;
    for (let step = 0; step < 120; step++) {
      const r = rand();
      const big = 3 * Math.min(B, 1000) + 500; // bigger than B, except for the huge B
      const chunk = r < 0.1 ? 0 : r < 0.8 ? 1 + Math.floor(rand() * 40) : Math.floor(rand() * big);
      if (step % 2) dec.appendLooped(env, next, next + chunk, src);
      else dec.append(env, next, Array.from({ length: chunk }, (_, i) => get(next + i)));
      next += chunk;
      start = Math.max(start, next - window);
      dec.trim(env, start);
      const expected = reference(get, base, next, B, start, rate);
      out = dec.points(env, rate, out);
      assert.deepEqual(used(out), expected, `seed ${seed} step ${step} B ${B} window ${window}`);
      assert.deepEqual(used(dec.points(env, rate)), expected, "a fresh result equals the reused one");
    }
  }
});

test("every bucket's true min and max over the full-resolution window are drawn, and bound every sample", () => {
  const rand = rng(99);
  const src = dataset(rand, 100_000, 0);
  const rate = 10_000;
  for (const [window, columns] of [[100_000, 800], [12_345, 640], [1_000, 1_000], [50_000, 3]]) {
    const B = dec.bucketSize(window, columns);
    const env = dec.createEnvelope(B, dec.capacityFor(window, B));
    const end = 150_000 + Math.floor(rand() * 1000);
    dec.appendLooped(env, end - window - 3 * B, end, src);
    dec.trim(env, end - window);
    const p = dec.points(env, rate);
    const at = new Map();
    for (let i = 0; i < p.n; i++) at.set(Math.round(p.x[i] * rate), p.y[i]);
    assert.ok(p.n <= 2 * (columns + 2), `at most two points per column (+ partial ends): ${p.n}`);
    for (let k = Math.floor((end - window) / B); k * B < end; k++) {
      const vs = [];
      for (let v = k * B; v < Math.min(end, (k + 1) * B); v++) vs.push(v);
      const values = vs.map((v) => src[v % src.length]);
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      const drawn = vs.filter((v) => at.has(v)).map((v) => at.get(v));
      assert.ok(drawn.includes(lo) && drawn.includes(hi), `bucket ${k}: min ${lo} and max ${hi} are on screen`);
      assert.ok(drawn.every((y) => y >= lo && y <= hi));
    }
  }
});

test("complete buckets never change; incremental equals rebuilt-from-scratch after many frames", () => {
  const rand = rng(7);
  const src = dataset(rand, 7_919, 0.02);
  const B = 25;
  const window = 5_000;
  const env = dec.createEnvelope(B, dec.capacityFor(window, B));
  let next = 123;
  let first = next;
  const frozen = new Map();
  for (let frame = 0; frame < 3000; frame++) {
    const due = next + (frame % 500 === 250 ? 4 * window : Math.floor(rand() * 60)); // now and then, a backlog
    const from = Math.max(next, due - window); // as frames.planBatch: at most one window per frame
    if (from !== next) {
      dec.reset(env); // skipped samples: the envelope starts over at the first sample drawn
      frozen.clear();
      first = from;
    }
    dec.appendLooped(env, from, due, src);
    next = due;
    dec.trim(env, next - window);
    const all = dec.buckets(env);
    for (const b of all.slice(0, -1)) {
      const key = b.index;
      if (frozen.has(key)) assert.deepEqual(b, frozen.get(key), `bucket ${key} changed after it was complete`);
      else frozen.set(key, b); // not the newest bucket: appends only go forward, so it is complete
    }
    if (frame % 97 === 0) {
      const from = Math.max(first, all.length ? all[0].index * B : next);
      const rebuilt = dec.createEnvelope(B, 1);
      dec.appendLooped(rebuilt, from, next, src);
      dec.trim(rebuilt, next - window);
      assert.deepEqual(dec.buckets(rebuilt), all, `frame ${frame}`);
      assert.deepEqual(used(dec.points(rebuilt, 1000)), used(dec.points(env, 1000)));
    }
  }
  assert.equal(env.grown, 0, "capacityFor leaves room for the window: the ring never grows");
});

test("out buffers are reused, grow when needed, and an old result never leaks into a new one", () => {
  const env = dec.createEnvelope(2, 2);
  dec.append(env, 0, [5, 1, 4, 4]);
  const out = dec.points(env, 1);
  const bufX = out.x;
  assert.deepEqual(used(out), { xs: [0, 1, 2], ys: [5, 1, 4] });
  assert.equal(dec.points(env, 1, out), out);
  assert.equal(out.x, bufX, "same buffer when it is big enough");
  dec.append(env, 4, [9, 0, 3, 3, 7, 8]); // grows the ring past its capacity of 2 buckets
  assert.ok(env.grown > 0);
  dec.points(env, 1, out);
  assert.notEqual(out.x, bufX, "a bigger buffer when needed");
  assert.deepEqual(used(out), { xs: [0, 1, 2, 4, 5, 6, 8, 9], ys: [5, 1, 4, 9, 0, 3, 7, 8] });
  dec.trim(env, 6);
  dec.points(env, 1, out);
  assert.deepEqual(used(out), { xs: [6, 8, 9], ys: [3, 7, 8] });
});

test("missing samples are skipped; an all-missing bucket is one NaN point (a gap) at its first sample", () => {
  const env = dec.createEnvelope(3, 4);
  dec.append(env, 3, [NaN, 2, 1, NaN, null, undefined, 6, NaN, 6]);
  const p = used(dec.points(env, 1));
  assert.deepEqual(p.xs, [4, 5, 6, 9]);
  assert.deepEqual(p.ys, [2, 1, NaN, 6], "constant bucket: one point; ties take the first sample");
  assert.deepEqual(dec.extent(env), { lo: 1, hi: 6 });
  assert.deepEqual(dec.extent(dec.createEnvelope(1, 1)), { lo: NaN, hi: NaN });
});

test("min and max are drawn in time order, with max first when it comes first", () => {
  const env = dec.createEnvelope(4, 4);
  dec.append(env, 8, [3, 9, -2, 0, -5, 1, 7, 2]);
  assert.deepEqual(used(dec.points(env, 2)), { xs: [4.5, 5, 6, 7], ys: [9, -2, -5, 7] });
});

test("loads in the browser as dash_clientside.tickless.decimate", () => {
  const file = path.join(__dirname, "../../assets/js/35_decimate.js");
  const window = { dash_clientside: { tickless: {} } };
  vm.runInNewContext(fs.readFileSync(file, "utf8"), { window });
  assert.equal(typeof window.dash_clientside.tickless.decimate.points, "function");
});
