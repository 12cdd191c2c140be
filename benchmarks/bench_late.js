/**
 * Why data-to-paint latency goes over two frames, per recording (injected with bench_page.js into app pages
 * and bare pages alike; pure, so node --test runs it). A sample is late when it is painted more than two
 * frames (plus rAF jitter) after it came due: a long animation frame (an interval of 1.5 frames or more, a
 * vsync missed) puts the draws around it at three frames. Each long frame is put down to what ran in it:
 *   gc     a garbage collection inside a Plotly call of that frame (the JS heap was smaller after the call
 *          than before it: bench_page.js reads performance.memory around every Plotly call);
 *   dash   the Dash renderer's spans (dash.dispatch / dash.flush) took DASH_MS or more of that frame;
 *   gc_dash both; other: neither (plotly's draw and the browser's rendering over the frame, or other work).
 */
(function (root, factory) {
  "use strict";
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.__ticklessLate = api;
})(typeof window !== "undefined" ? window : globalThis, function () {
  "use strict";

  const FRAME_MS = 1000 / 60;
  const JITTER_MS = 0.5; // as bench_goals.py: two vsync-aligned frames read 33.2–33.5 ms
  const DASH_MS = 2;

  /** Index of the frame [starts[k], starts[k+1]) that holds t, or -1. */
  function frameOf(starts, t) {
    if (!(t >= starts[0]) || !(t < starts[starts.length - 1])) return -1;
    let lo = 0;
    let hi = starts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /**
   * rec: {raf: frame start times, latency: ms per painted draw, gc: start times of Plotly calls with a
   * collection inside, spans: [{name, startTime, self}]}. Returns {frames, long, gc, dash, gc_dash, other,
   * samples, late, late_pct} (late_pct: % of latency samples over two frames).
   */
  function lateFrames(rec, frameMs = FRAME_MS) {
    const raf = rec.raf || [];
    const n = Math.max(0, raf.length - 1);
    const dash = new Float64Array(n);
    const gc = new Uint8Array(n);
    for (const s of rec.spans || []) {
      if (s.name.indexOf("dash.") === -1) continue;
      const k = frameOf(raf, s.startTime);
      if (k !== -1) dash[k] += s.self;
    }
    for (const t of rec.gc || []) {
      const k = frameOf(raf, t);
      if (k !== -1) gc[k] = 1;
    }
    const out = { frames: n, long: 0, gc: 0, dash: 0, gc_dash: 0, other: 0 };
    for (let k = 0; k < n; k++) {
      if (raf[k + 1] - raf[k] < 1.5 * frameMs) continue;
      out.long += 1;
      const d = dash[k] >= DASH_MS;
      out[gc[k] && d ? "gc_dash" : gc[k] ? "gc" : d ? "dash" : "other"] += 1;
    }
    const limit = 2 * frameMs + JITTER_MS;
    const latency = rec.latency || [];
    out.samples = latency.length;
    out.late = latency.filter((v) => v > limit).length;
    out.late_pct = latency.length ? Math.round((1000 * out.late) / latency.length) / 10 : null;
    return out;
  }

  return { lateFrames, frameOf, FRAME_MS, DASH_MS };
});
