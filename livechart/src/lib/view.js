/**
 * view: what the chart draws for a range of samples [lo, hi) of some channels. The samples go into Tickless's
 * own min/max envelopes (assets/js/35_decimate.js, one bucket per pixel column, aligned to absolute sample
 * index), kept incrementally: as the range slides only the new samples are folded in and whole buckets
 * fall off the left, so a frame costs what arrived, not the window. The drawn columns are aligned for
 * uPlot (one x array shared by every channel): one slot per bucket when a bucket is one sample, else two
 * slots per bucket, at a quarter and three quarters of its span, holding each channel's min and max in the
 * order they occur. `index` keeps the sample each drawn value came from, so clicks report exact samples.
 * Pure functions over a source {rate, loop, start, end, array(c)}; they run under node --test.
 */
import decimate from "../../../assets/js/35_decimate.js";

/** A view with no envelopes yet. */
export function createView() {
  return { key: "", B: 0, chans: [], envs: [], lo: -1, hi: -1, out: null };
}

/** Feed samples [from, to) of every shown channel into the envelopes. */
function feed(view, src, from, to) {
  if (!(to > from)) return;
  view.envs.forEach((env, k) => {
    const c = view.chans[k];
    if (src.loop) decimate.appendLooped(env, from, to, src.array(c));
    else decimate.append(env, from, src.array(c).subarray(from - src.start, to - src.start));
  });
}

/**
 * Bring the envelopes to samples [lo, hi) of channels `chans`, `B` samples per bucket, for data `epoch`.
 * Returns true when what is drawn changed. Refills from scratch only when the range cannot be reached
 * by appending and trimming (new data, other channels or bucket size, a jump, or a range that grew left).
 */
export function update(view, src, chans, lo, hi, B, epoch) {
  const key = `${epoch}|${B}|${chans.join(",")}`;
  if (key !== view.key) {
    const cap = decimate.capacityFor(Math.max(1, hi - lo), B);
    view.envs = chans.map(() => decimate.createEnvelope(B, cap));
    Object.assign(view, { key, B, chans: chans.slice(), lo: -1, hi: -1 });
  }
  if (!view.envs.length) {
    const changed = view.lo !== lo || view.hi !== hi;
    Object.assign(view, { lo, hi });
    return changed;
  }
  const next = view.envs[0].next;
  if (lo === view.lo && hi === view.hi) return false;
  if (next === -1 || lo < view.lo || hi < next || lo >= next) {
    view.envs.forEach((env) => decimate.reset(env));
    feed(view, src, lo, hi);
  } else {
    feed(view, src, next, hi);
    view.envs.forEach((env) => decimate.trim(env, lo));
  }
  view.lo = lo;
  view.hi = hi;
  return true;
}

/** Output buffers with room for `slots` drawn points per channel (reused while big enough). */
function buffers(view, slots) {
  const o = view.out;
  if (o && o.room >= slots && o.ys.length === view.envs.length) return o;
  const room = Math.max(slots, 64) * 2;
  view.out = {
    room,
    x: new Float64Array(room),
    ys: view.envs.map(() => new Float32Array(room)),
    index: view.envs.map(() => new Float64Array(room)),
  };
  return view.out;
}

/** One bucket's two drawn values for one channel, in time order: [y0, y1, i0, i1]. */
function pair(env, s, scratch) {
  if (env.valid[s] === 0) {
    scratch[0] = scratch[1] = NaN;
    scratch[2] = scratch[3] = env.first[s];
    return scratch;
  }
  const a = env.argmin[s];
  const b = env.argmax[s];
  const minFirst = a <= b;
  scratch[0] = minFirst ? env.min[s] : env.max[s];
  scratch[1] = minFirst ? env.max[s] : env.min[s];
  scratch[2] = minFirst ? a : b;
  scratch[3] = minFirst ? b : a;
  return scratch;
}

/**
 * The aligned columns to draw: {x (s), ys: [per shown channel], index: [sample per value], n}, each a
 * subarray view of reused buffers (a new view each frame; no copy of the window). x = x0 + seconds (x0: epoch
 * seconds of sample 0 on a date axis, else 0).
 */
export function columns(view, rate, x0 = 0) {
  const envs = view.envs;
  if (!envs.length) return { x: new Float64Array(0), ys: [], index: [], n: 0 };
  const size = envs[0].size;
  const per = view.B === 1 ? 1 : 2;
  const o = buffers(view, size * per);
  const scratch = new Float64Array(4);
  const head = envs[0].head;
  const cap = envs[0].capacity;
  for (let i = 0; i < size; i++) {
    const s = (head + i) % cap;
    const k = envs[0].index[s];
    if (per === 1) o.x[i] = x0 + k / rate;
    else {
      o.x[2 * i] = x0 + (k + 0.25) * view.B / rate;
      o.x[2 * i + 1] = x0 + (k + 0.75) * view.B / rate;
    }
    for (let c = 0; c < envs.length; c++) {
      const p = pair(envs[c], s, scratch);
      if (per === 1) {
        o.ys[c][i] = p[0];
        o.index[c][i] = p[2];
      } else {
        o.ys[c][2 * i] = p[0];
        o.ys[c][2 * i + 1] = p[1];
        o.index[c][2 * i] = p[2];
        o.index[c][2 * i + 1] = p[3];
      }
    }
  }
  const n = size * per;
  return { x: o.x.subarray(0, n), ys: o.ys.map((y) => y.subarray(0, n)), index: o.index.map((a) => a.subarray(0, n)), n };
}

/** Smallest min and largest max of the shown channels in the envelopes ({lo, hi}, NaN when none). */
export function extent(view) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const env of view.envs) {
    const e = decimate.extent(env);
    if (e.lo < lo) lo = e.lo;
    if (e.hi > hi) hi = e.hi;
  }
  return lo <= hi ? { lo, hi } : { lo: NaN, hi: NaN };
}

/** Smallest min and largest max of shown channel position k ({lo, hi}, NaN when none). */
export function extentOf(view, k) {
  const e = view.envs[k] ? decimate.extent(view.envs[k]) : null;
  return e && e.lo <= e.hi ? e : { lo: NaN, hi: NaN };
}

/** A y range with 5% padding around [lo, hi] (as Tickless's figures), or [0, 1] when there is nothing. */
export function padded(lo, hi) {
  if (!(lo <= hi) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 0.5;
  return [lo - pad, hi + pad];
}

/** Samples per bucket for a range of `points` on `columns` pixel columns under a decimate mode. */
export function bucketFor(mode, points, columns) {
  const n = Math.max(0, Math.floor(points));
  if (!decimate.shouldDecimate(mode, n, Math.max(1, columns))) return 1;
  return decimate.bucketSize(n, Math.max(1, columns));
}
