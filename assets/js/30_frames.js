/**
 * frames: window bookkeeping for a stream that replays a finite dataset forever.
 * Virtual sample v (0, 1, 2, … without end) has value channel[v % length] and time v / rate seconds, or, when
 * the data has timestamps, x0 + v / xRate: epoch milliseconds on a plotly date axis (timeAxis).
 * Pure functions; they run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "frames", function () {
  "use strict";

  /**
   * The samples to append this frame: [from, to). Null when nothing is due. When more than a window
   * came due at once (high speed, a throttled tab) only the newest `window` are sent: the older ones
   * would be trimmed by maxPoints anyway; `skipped` counts them.
   */
  function planBatch(sentEnd, dueEnd, window) {
    if (!(dueEnd > sentEnd)) return null;
    const from = Math.max(sentEnd, dueEnd - window);
    return { from, to: dueEnd, skipped: from - sentEnd };
  }

  /** The range [from, to) a freshly drawn chart shows when the playhead's due end is `head`. */
  function windowRange(head, window) {
    return { from: Math.max(0, head - window), to: Math.max(0, head) };
  }

  /**
   * x/y columns for samples [from, to) of the chosen channels, in extendTraces' shape:
   * { x: [xs, xs, …], y: [ys0, ys1, …] } with one entry per chosen channel. Plain arrays, or with `typed`
   * Float64Array times and Float32Array values (the dataset's own precision): a figure drawn from typed
   * arrays must be extended with the same types (plotly refuses to mix them).
   */
  function sliceColumns(channels, chosen, from, to, rate, typed = false, x0 = 0) {
    const n = Math.max(0, to - from);
    const xs = typed ? new Float64Array(n) : new Array(n);
    for (let k = 0; k < n; k++) xs[k] = x0 + (from + k) / rate;
    const x = [];
    const y = [];
    for (const c of chosen) {
      const src = channels[c];
      const length = src.length;
      const ys = typed ? new Float32Array(n) : new Array(n);
      let j = from % length;
      for (let k = 0; k < n; k++) {
        ys[k] = src[j];
        j = j + 1 === length ? 0 : j + 1;
      }
      x.push(xs.slice());
      y.push(ys);
    }
    return { x, y };
  }

  /**
   * extendTraces' maxPoints for appending `added` points to a trace holding `held`: the window, or fewer while
   * the trace is still filling up. plotly.js extends typed arrays only when maxPoints ≤ held + added (a larger
   * one throws "Invalid typed array length"); plain arrays take any maxPoints.
   */
  function maxPoints(held, added, window) {
    return Math.min(window, held + added);
  }

  /** Points a chart holds after everything up to `sentEnd` was appended with maxPoints `window`. */
  function pointsHeld(sentEnd, window) {
    return Math.min(Math.max(0, sentEnd), window);
  }

  /**
   * How sample indices map to x: {xRate, x0, date}, x = x0 + v / xRate. Seconds from the data's start
   * (xRate = rate, x0 = 0) unless `start` (epoch seconds of sample 0) is a number: then epoch milliseconds
   * for a plotly date axis (xRate = rate / 1000, x0 = start * 1000).
   */
  function timeAxis(rate, start) {
    const date = typeof start === "number" && Number.isFinite(start);
    return date ? { xRate: rate / 1000, x0: start * 1000, date } : { xRate: rate, x0: 0, date };
  }

  return { planBatch, windowRange, sliceColumns, maxPoints, pointsHeld, timeAxis };
});
