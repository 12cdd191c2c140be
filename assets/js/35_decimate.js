/**
 * decimate: a min/max envelope per pixel column, kept incrementally for an endlessly sliding window.
 *
 * Virtual sample v (0, 1, 2, … without end) has time v / rate, as in frames. Buckets are aligned to the
 * ABSOLUTE sample index: bucket k holds samples [k*B, (k+1)*B). So as the window slides, complete buckets
 * never change; only the newest (partial) bucket grows, and whole buckets fall off the left with trim().
 * Each bucket keeps its min and max and where they occur (first occurrence on ties), and draws as two
 * points at their own sample times, in time order (one point when both are the same sample). Drawn points
 * stay ≤ 2 per bucket, i.e. ≤ 2 per pixel column, whatever the window.
 *
 * Missing samples: NaN, null and undefined are skipped by min/max. A bucket with no valid sample draws one
 * point (time of its first sample, y = NaN), which plotly draws as a gap, as it would the raw samples.
 * The leftmost bucket may hold up to B-1 samples older than the window start passed to trim() (a bucket
 * is dropped only once it ends at or before that start); with a fixed x range they fall off-screen.
 * Pure functions; they run under node --test and in the browser as dash_clientside.tickless.decimate.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "decimate", function () {
  "use strict";

  /** Is `n` a whole number ≥ lo (safe integer)? */
  function isCount(n, lo) {
    return Number.isSafeInteger(n) && n >= lo;
  }

  /** Samples per bucket so that a window of `windowPoints` fits in `columns` buckets: max(1, ceil(w / c)). */
  function bucketSize(windowPoints, columns) {
    if (!isCount(windowPoints, 0)) throw new RangeError(`decimate: windowPoints must be a whole number ≥ 0, got ${windowPoints}`);
    if (!(Number.isFinite(columns) && columns >= 1)) throw new RangeError(`decimate: columns must be a number ≥ 1, got ${columns}`);
    return Math.max(1, Math.ceil(windowPoints / Math.floor(columns)));
  }

  /**
   * Should a window be drawn as an envelope? "off": never. "on": always (with B = 1 the envelope is the
   * samples themselves, drawn through the same path). "auto": when the window holds more points than the
   * plot has pixel columns (windowPoints > floor(columns)), i.e. when B would be ≥ 2. Any other mode throws:
   * which modes a view may ask for is the contract's list (config.decimate), checked by the router and controls.
   */
  function shouldDecimate(mode, windowPoints, columns) {
    if (mode === "off") return false;
    if (mode === "on") return true;
    if (mode === "auto") return bucketSize(windowPoints, columns) > 1;
    throw new TypeError(`decimate: no rule for mode ${JSON.stringify(String(mode))}`);
  }

  /**
   * The ring size to ask for so that it never grows: the buckets a window touches (+1 partial at each end)
   * plus those one append of up to `maxAppend` samples opens before the next trim (default: one window,
   * the most frames.planBatch sends at once).
   */
  function capacityFor(windowPoints, B, maxAppend = windowPoints) {
    return Math.ceil((windowPoints + maxAppend) / B) + 2;
  }

  /** Typed-array ring storage for `capacity` buckets. */
  function allocate(capacity) {
    return {
      capacity,
      index: new Float64Array(capacity), // bucket number k (absolute)
      first: new Float64Array(capacity), // first virtual index appended to the bucket
      min: new Float64Array(capacity),
      max: new Float64Array(capacity),
      argmin: new Float64Array(capacity), // virtual index of the (first) min
      argmax: new Float64Array(capacity),
      count: new Int32Array(capacity), // samples appended, missing ones included
      valid: new Int32Array(capacity), // samples that were numbers (not NaN/null/undefined)
    };
  }

  /** A new, empty envelope of bucket size `B` with room for `capacityBuckets` buckets (it grows if needed). */
  function createEnvelope(B, capacityBuckets) {
    if (!isCount(B, 1)) throw new RangeError(`decimate: bucket size must be a whole number ≥ 1, got ${B}`);
    if (!isCount(capacityBuckets, 1)) throw new RangeError(`decimate: capacity must be a whole number ≥ 1, got ${capacityBuckets}`);
    return Object.assign(allocate(capacityBuckets), { B, head: 0, size: 0, next: -1, grown: 0 });
  }

  /** Forget every bucket; the next append may start anywhere. */
  function reset(env) {
    env.head = 0;
    env.size = 0;
    env.next = -1;
    return env;
  }

  /** Double the ring (rare: only when the caller appends more than it trims). Keeps bucket order. */
  function grow(env) {
    const bigger = allocate(env.capacity * 2);
    const keys = ["index", "first", "min", "max", "argmin", "argmax", "count", "valid"];
    for (let i = 0; i < env.size; i++) {
      const slot = (env.head + i) % env.capacity;
      for (const key of keys) bigger[key][i] = env[key][slot];
    }
    Object.assign(env, bigger, { head: 0 });
    env.grown += 1;
  }

  /** Open bucket k (its first sample is v) at the right end of the ring; returns its slot. */
  function openBucket(env, k, v) {
    if (env.size === env.capacity) grow(env);
    const slot = (env.head + env.size) % env.capacity;
    env.index[slot] = k;
    env.first[slot] = v;
    env.count[slot] = 0;
    env.valid[slot] = 0;
    env.min[slot] = NaN;
    env.max[slot] = NaN;
    env.argmin[slot] = -1;
    env.argmax[slot] = -1;
    env.size += 1;
    return slot;
  }

  /** Check that samples starting at `from` continue exactly where the envelope ended. */
  function checkFrom(env, from) {
    if (!isCount(from, 0)) throw new RangeError(`decimate: append start must be a whole number ≥ 0, got ${from}`);
    if (env.next !== -1 && from !== env.next) {
      throw new Error(`decimate: append must be contiguous: expected samples from ${env.next}, got ${from} (call reset() to start over)`);
    }
  }

  /**
   * Fold n samples for virtual indices from…from+n-1 into the envelope, reading src[j], src[j+1], …
   * (wrapping to src[0] at the end of src, so a looped dataset needs no copy).
   */
  function fold(env, from, n, src, j) {
    const B = env.B;
    const len = src.length;
    let v = from;
    const end = from + n;
    while (v < end) {
      const k = Math.floor(v / B);
      const last = env.size ? (env.head + env.size - 1) % env.capacity : -1;
      const slot = last !== -1 && env.index[last] === k ? last : openBucket(env, k, v);
      const stop = Math.min(end, (k + 1) * B);
      const v0 = v;
      let lo = env.min[slot];
      let hi = env.max[slot];
      let alo = env.argmin[slot];
      let ahi = env.argmax[slot];
      let valid = env.valid[slot];
      for (; v < stop; v++) {
        const y = src[j];
        j = j + 1 === len ? 0 : j + 1;
        if (typeof y !== "number" || y !== y) continue; // missing sample
        if (valid === 0) {
          lo = hi = y;
          alo = ahi = v;
        } else if (y < lo) {
          lo = y;
          alo = v;
        } else if (y > hi) {
          hi = y;
          ahi = v;
        }
        valid += 1;
      }
      env.count[slot] += stop - v0;
      env.min[slot] = lo;
      env.max[slot] = hi;
      env.argmin[slot] = alo;
      env.argmax[slot] = ahi;
      env.valid[slot] = valid;
    }
    env.next = end;
    return env;
  }

  /** Append samples for virtual indices from…from+values.length-1 (must continue the previous append). */
  function append(env, from, values) {
    checkFrom(env, from);
    if (!values || typeof values.length !== "number") throw new TypeError("decimate: values must be an array or typed array");
    if (!values.length) return env;
    return fold(env, from, values.length, values, 0);
  }

  /** Append virtual samples [from, to) of a dataset replayed in a loop: sample v is src[v % src.length]. */
  function appendLooped(env, from, to, src) {
    checkFrom(env, from);
    if (!src || !src.length) throw new TypeError("decimate: the looped source must be a non-empty array");
    if (!(to > from)) return env;
    return fold(env, from, to - from, src, from % src.length);
  }

  /** Drop the buckets that end at or before sample `start`; returns how many were dropped. */
  function trim(env, start) {
    let dropped = 0;
    while (env.size && (env.index[env.head] + 1) * env.B <= start) {
      env.head = (env.head + 1) % env.capacity;
      env.size -= 1;
      dropped += 1;
    }
    return dropped;
  }

  /**
   * The points to draw, in time order: x (seconds, Float64Array), y (Float32Array: the dataset's own
   * precision), n used. Pass the previous result as `out` to reuse its buffers (they only grow); draw
   * x.subarray(0, n), y.subarray(0, n) (a new view each frame, so Plotly sees new data).
   */
  function points(env, rate, out, x0 = 0) {
    const need = 2 * env.size;
    const o = out || { x: null, y: null, n: 0 };
    if (!o.x || o.x.length < need || !o.y || o.y.length < need) {
      const room = Math.max(need, 2 * env.capacity);
      o.x = new Float64Array(room);
      o.y = new Float32Array(room);
    }
    let n = 0;
    for (let i = 0; i < env.size; i++) {
      const s = (env.head + i) % env.capacity;
      if (env.valid[s] === 0) {
        o.x[n] = x0 + env.first[s] / rate;
        o.y[n++] = NaN; // a gap, as plotly draws the missing samples themselves
        continue;
      }
      const a = env.argmin[s];
      const b = env.argmax[s];
      const minFirst = a <= b; // scalars only: no allocation per bucket
      o.x[n] = x0 + (minFirst ? a : b) / rate;
      o.y[n++] = minFirst ? env.min[s] : env.max[s];
      if (a !== b) {
        o.x[n] = x0 + (minFirst ? b : a) / rate;
        o.y[n++] = minFirst ? env.max[s] : env.min[s];
      }
    }
    o.n = n;
    return o;
  }

  /** Smallest min and largest max over the buckets held ({lo, hi}; NaN when nothing valid): a y range in O(buckets). */
  function extent(env) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < env.size; i++) {
      const s = (env.head + i) % env.capacity;
      if (env.valid[s] === 0) continue;
      if (env.min[s] < lo) lo = env.min[s];
      if (env.max[s] > hi) hi = env.max[s];
    }
    return lo <= hi ? { lo, hi } : { lo: NaN, hi: NaN };
  }

  /** The buckets held, oldest first, as plain objects (tests and debugging). */
  function buckets(env) {
    const out = [];
    for (let i = 0; i < env.size; i++) {
      const s = (env.head + i) % env.capacity;
      out.push({
        index: env.index[s],
        first: env.first[s],
        count: env.count[s],
        valid: env.valid[s],
        min: env.min[s],
        max: env.max[s],
        argmin: env.argmin[s],
        argmax: env.argmax[s],
      });
    }
    return out;
  }

  return {
    bucketSize,
    shouldDecimate,
    capacityFor,
    createEnvelope,
    reset,
    append,
    appendLooped,
    trim,
    points,
    extent,
    buckets,
  };
});
