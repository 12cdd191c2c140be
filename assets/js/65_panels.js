/**
 * Clientside callbacks of the strategy panels (wired from app/strategies/* and app/panels.py):
 *   rafView       a view change hands the rAF loop a new figure;
 *   intervalTick  dcc.Interval → extendData from the tab's typed arrays (a new figure on a view change, or
 *                 every tick when the window is decimated).
 * The HUDs are not a callback: the engine writes them (49_hud.js, 50_stream.js).
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;

  /** clientside-raf: the figure for a new view; the loop extends it every frame from then on. */
  ns.rafView = function (view, graphId) {
    if (!view || !ns.stream.hasClock()) throw dc.PreventUpdate;
    return ns.stream.configure(graphId, "raf", view);
  };

  /** clientside-interval: [figure, extendData] — a figure when the view changed, else the samples due. */
  ns.intervalTick = function (n, view, graphId) {
    const ctx = dc.callback_context || {};
    const viewFired = (ctx.triggered || []).some((t) => t.prop_id.endsWith(".data"));
    if (viewFired) {
      if (!view || !ns.stream.hasClock()) throw dc.PreventUpdate;
      return [ns.stream.configure(graphId, "interval", view), dc.no_update];
    }
    const step = ns.stream.intervalStep(graphId);
    if (!step) throw dc.PreventUpdate; // nothing due, or our newest figure is not drawn yet
    return step.figure ? [step.figure, dc.no_update] : [dc.no_update, step.extend];
  };
})(window);
