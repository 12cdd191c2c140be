/**
 * Page facts for the browser benchmark, injected after bench_page.js (they hang on window.__ticklessBench):
 *   waitReady(graphId, want, limitMs, earlyMs, messageId)  until a Tickless page shows its window and paints;
 *   graphSize(graphId)  the graph's and its plot area's size;  webgl()  the WebGL renderer;
 *   idleRaf(ms)  the rAF rate of an idle page (is the browser really ticking?).
 */
(function (root) {
  "use strict";
  const B = root.__ticklessBench;
  if (!B || B.waitReady) return;

  /**
   * Resolve when the graph shows `want` points (or, decimated, its envelope) and the engine has recorded a
   * painted frame: {ok: true, ms since navigation}; or {ok: false, …} after limitMs, after earlyMs with
   * nothing drawn at all, or earlyMs after the window was drawn with no frame painted since.
   */
  B.waitReady = function (graphId, want, limitMs, earlyMs, messageId) {
    const t0 = performance.now();
    let shownAt = null;
    return new Promise((resolve) => {
      (function poll() {
        const w = B.watch(graphId, messageId);
        const s = w.snapshot;
        const elapsed = performance.now() - t0;
        const painted = w.hooked ? w.painted > 0 : Boolean(s && s.fps > 0);
        const shown = s && (s.points >= want || (s.decimated && s.points > 0)); // an envelope has fewer points
        if (shown && painted) return resolve({ ok: true, ms: performance.now(), message: w.message });
        if (shown && shownAt === null) shownAt = elapsed;
        const stuck = shownAt !== null && elapsed - shownAt > earlyMs; // on screen, but never painted anew
        if (elapsed > limitMs || stuck || (elapsed > earlyMs && !(s && s.points > 0))) {
          const sent = B.util.traffic(0, Infinity);
          return resolve({ ok: false, elapsed, points: s ? s.points : null, painted: w.painted, requests: sent.count, bytes: sent.bytes, message: w.message });
        }
        setTimeout(poll, 100);
      })();
    });
  };

  /** The size of a graph and of its plot area, in CSS pixels (null before it is drawn). */
  B.graphSize = function (graphId) {
    const tl = root.dash_clientside && root.dash_clientside.tickless;
    const gd = tl && tl.stream && tl.stream.findGraphDiv(graphId);
    const fl = gd && gd._fullLayout;
    return fl ? { width: fl.width, height: fl.height, plotWidth: fl._size.w, plotHeight: fl._size.h } : null;
  };

  /** The WebGL renderer string ("" when WebGL is unavailable). */
  B.webgl = function () {
    const gl = document.createElement("canvas").getContext("webgl");
    if (!gl) return "";
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  };

  /** rAF rate of an idle page over `ms` (is the browser really ticking?). */
  B.idleRaf = function (ms) {
    return new Promise((resolve) => {
      let n = 0;
      const t0 = performance.now();
      const tick = (now) => (now - t0 < ms ? (n++, requestAnimationFrame(tick)) : resolve((n * 1000) / (now - t0)));
      requestAnimationFrame(tick);
    });
  };
})(window);
