/**
 * frames: window bookkeeping for a stream that replays a finite dataset forever.
 * Virtual sample v (0, 1, 2, … without end) has value channel[v % length] and time v / rate seconds.
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
   * Plain-array x/y columns for samples [from, to) of the chosen channels, in extendTraces' shape:
   * { x: [xs, xs, …], y: [ys0, ys1, …] } with one entry per chosen channel.
   */
  function sliceColumns(channels, chosen, from, to, rate) {
    const n = Math.max(0, to - from);
    const xs = new Array(n);
    for (let k = 0; k < n; k++) xs[k] = (from + k) / rate;
    const x = [];
    const y = [];
    for (const c of chosen) {
      const src = channels[c];
      const length = src.length;
      const ys = new Array(n);
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

  /** Points a chart holds after everything up to `sentEnd` was appended with maxPoints `window`. */
  function pointsHeld(sentEnd, window) {
    return Math.min(Math.max(0, sentEnd), window);
  }

  return { planBatch, windowRange, sliceColumns, pointsHeld };
});
