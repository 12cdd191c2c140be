/**
 * Clientside callbacks of the strategy panels (wired from app/strategies/* and app/panels.py):
 *   rafView       a view change hands the rAF loop a new figure;
 *   intervalTick  dcc.Interval → extendData from the tab's typed arrays (a new figure on a view change, or
 *                 every tick when the window is decimated);
 *   hud           a panel's HUD text from the tab's meters (unchanged text is not re-sent).
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const lastHud = new Map();

  /** clientside-raf: the figure for a new view; the loop extends it every frame from then on. */
  ns.rafView = function (view, graphId) {
    if (!view || !ns.stream.tab.clock) throw dc.PreventUpdate;
    return ns.stream.configure(graphId, "raf", view);
  };

  /** clientside-interval: [figure, extendData] — a figure when the view changed, else the samples due. */
  ns.intervalTick = function (n, view, graphId) {
    const ctx = dc.callback_context || {};
    const viewFired = (ctx.triggered || []).some((t) => t.prop_id.endsWith(".data"));
    if (viewFired) {
      if (!view || !ns.stream.tab.clock) throw dc.PreventUpdate;
      return [ns.stream.configure(graphId, "interval", view), dc.no_update];
    }
    const step = ns.stream.intervalStep(graphId);
    if (!step) throw dc.PreventUpdate; // nothing due, or our newest figure is not drawn yet
    return step.figure ? [step.figure, dc.no_update] : [dc.no_update, step.extend];
  };

  /** Bytes in a short human form. */
  function bytes(n) {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
    return `${(n / 1024 / 1024).toFixed(2)} MB`;
  }

  /** HUD text for a visible panel: [frames/s, points, latency, requests, bytes, tab requests, x follow]. */
  ns.hud = function (_n, graphId) {
    const snap = ns.stream.snapshot(graphId);
    if (!snap || !snap.active) throw dc.PreventUpdate;
    const fmt = (n) => Math.round(n).toLocaleString("en-US");
    const out = [
      snap.playing ? snap.fps.toFixed(0) : "paused",
      fmt(snap.points),
      Number.isFinite(snap.latencyP50) ? `${fmt(snap.latencyP50)} ms` : "–",
      fmt(snap.requests),
      bytes(snap.requestBytes),
      fmt(snap.tabRequests),
      ns.interact && ns.interact.frozen(graphId) ? "frozen" : "live",
    ];
    const key = out.join("|");
    if (lastHud.get(graphId) === key) throw dc.PreventUpdate;
    lastHud.set(graphId, key);
    return out;
  };
})(window);
