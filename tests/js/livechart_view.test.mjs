// node --test: what LiveChart draws for a range of samples (livechart/src/lib/view.js), against brute force.
import test from "node:test";
import assert from "node:assert/strict";
import { createView, update, columns, extent, padded, bucketFor } from "../../livechart/src/lib/view.js";

/** Deterministic PRNG (mulberry32). */
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

/** A source over `arrays`: looped (v → a[v % n]) or a plain buffer that starts at `start`. */
function source(arrays, loop, start = 0, rate = 100) {
  return { rate, loop, start, end: start + arrays[0].length, array: (c) => arrays[c] };
}

/** The value sample v has in a source. */
function at(src, c, v) {
  const a = src.array(c);
  return src.loop ? a[v % a.length] : a[v - src.start];
}

/** Check the drawn columns against brute force over the bucket-aligned range [floor(lo/B)*B, hi). */
function check(view, src, chans, lo, hi, B) {
  const cols = columns(view, src.rate);
  const first = Math.floor(lo / B) * B;
  const buckets = Math.ceil(hi / B) - Math.floor(first / B);
  assert.equal(cols.n, (B === 1 ? 1 : 2) * buckets, "slots per bucket");
  for (let i = 1; i < cols.n; i++) assert.ok(cols.x[i] > cols.x[i - 1], "x strictly increasing");
  chans.forEach((c, k) => {
    let mn = Infinity;
    let mx = -Infinity;
    for (let v = first; v < hi; v++) {
      mn = Math.min(mn, at(src, c, v));
      mx = Math.max(mx, at(src, c, v));
    }
    const ys = Array.from(cols.ys[k]);
    assert.equal(Math.min(...ys), mn, `channel ${c} min`);
    assert.equal(Math.max(...ys), mx, `channel ${c} max`);
    for (let i = 0; i < cols.n; i++) assert.equal(cols.ys[k][i], at(src, c, cols.index[k][i]), "index names the drawn sample");
  });
  return cols;
}

test("a sliding window folds only new samples and always shows the window's exact extremes", () => {
  const rand = rng(3);
  const arrays = [0, 1, 2].map(() => Float32Array.from({ length: 5000 }, () => Math.round(rand() * 1000) / 8));
  const src = source(arrays, true);
  const view = createView();
  const W = 3000;
  const B = bucketFor("auto", W, 170);
  assert.equal(B, 18);
  let head = W;
  for (let step = 0; step < 60; step++) {
    const changed = update(view, src, [2, 0], Math.max(0, head - W), head, B, "e1");
    assert.equal(changed, true);
    check(view, src, [2, 0], head - W, head, B);
    head += 1 + Math.floor(rand() * 400); // wraps the 5000-sample loop several times
  }
  assert.equal(update(view, src, [2, 0], head - 400 - W, head - 400, B, "e1"), true, "going back refills");
  check(view, src, [2, 0], head - 400 - W, head - 400, B);
  assert.equal(update(view, src, [2, 0], head - 400 - W, head - 400, B, "e1"), false, "same range: nothing to draw");
});

test("one sample per bucket draws the samples themselves, at their own times", () => {
  const arrays = [Float32Array.from({ length: 50 }, (_, i) => i * i)];
  const src = source(arrays, false, 1000, 10);
  const view = createView();
  update(view, src, [0], 1010, 1050, 1, "e");
  const cols = check(view, src, [0], 1010, 1050, 1);
  assert.equal(cols.x[0], 101);
  assert.equal(cols.ys[0][0], 100);
});

test("a live buffer: appends continue, a trimmed start refills, other channels or bucket size rebuild", () => {
  const rand = rng(9);
  const arrays = [Float32Array.from({ length: 20000 }, () => rand() - 0.5), Float32Array.from({ length: 20000 }, () => rand())];
  const src = source(arrays, false);
  const view = createView();
  update(view, src, [0, 1], 0, 5000, 7, "a");
  update(view, src, [0, 1], 500, 9000, 7, "a");
  check(view, src, [0, 1], 500, 9000, 7);
  update(view, src, [1], 500, 9000, 7, "a");
  check(view, src, [1], 500, 9000, 7);
  update(view, src, [1], 500, 9000, 3, "a");
  check(view, src, [1], 500, 9000, 3);
  update(view, src, [1], 12000, 19000, 3, "a");
  check(view, src, [1], 12000, 19000, 3);
});

test("no channels: nothing drawn, no throw; extent and padding", () => {
  const view = createView();
  assert.equal(update(view, source([new Float32Array(10)], true), [], 0, 10, 1, "e"), true);
  assert.equal(columns(view, 1).n, 0);
  assert.deepEqual(extent(view), { lo: NaN, hi: NaN });
  assert.deepEqual(padded(NaN, NaN), [0, 1]);
  assert.deepEqual(padded(0, 10), [-0.5, 10.5]);
  assert.deepEqual(padded(2, 2), [1.9, 2.1]);
});

test("bucketFor follows the decimate modes", () => {
  assert.equal(bucketFor("off", 1_000_000, 800), 1);
  assert.equal(bucketFor("auto", 800, 800), 1);
  assert.equal(bucketFor("auto", 801, 800), 2);
  assert.equal(bucketFor("on", 100, 800), 1);
  assert.equal(bucketFor("auto", 1_000_000, 800), 1250);
});
