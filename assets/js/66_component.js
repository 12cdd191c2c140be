/**
 * The "component" strategy's glue (wired from app/strategies/component.py): the LiveChart component
 * (livechart/, source="tickless") draws the tab's typed arrays on the tab's clock by itself, so the engine
 * only measures it and the panel's controls only set its props.
 *   componentView      the panel's view store → the chart's window, channels and decimate props;
 *   componentInteract  the chart's xRange (zoom/pan, null = following) → the zoom store and the HUD's
 *                      "x" field; its clickData → the bridge, like a plotly panel's click;
 *   snapshot           what the chart last drew, for the engine's probe (registered with stream.external).
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const MODE = "component"; // app/contract.py strategy_mode("component")

  /**
   * The chart's last draw in the engine's terms ({draws, drawnAt, lo, hi, lastDrawMs, points over all shown
   * channels, bucket}), or null while the chart is not mounted (the component puts its controller on its
   * outer element as `.livechart`).
   */
  function snapshot(graphId) {
    const el = root.document.getElementById(graphId);
    const chart = el && el.livechart;
    if (!chart) return null;
    const s = chart.snapshot();
    return {
      draws: s.draws,
      drawnAt: s.drawnAt,
      lo: s.lo,
      hi: s.hi,
      lastDrawMs: s.lastDrawMs,
      points: s.points * s.channels.length,
      bucket: s.bucket,
    };
  }

  /** View store → [window, channels (indices), decimate] of the chart; the engine records the view. */
  ns.componentView = function (view, graphId) {
    if (!view || !ns.stream.hasClock()) throw dc.PreventUpdate;
    ns.stream.configure(graphId, MODE, view);
    return [view.window, view.channels, view.decimate === undefined ? dc.no_update : view.decimate];
  };

  /** The chart's xRange / clickData changed: freeze or follow (zoom store, HUD), queue a click for the bridge. */
  ns.componentInteract = function (xRange, clickData, graphId) {
    const fired = ((dc.callback_context || {}).triggered || []).map((t) => t.prop_id);
    if (fired.includes(`${graphId}.xRange`) && ns.interact) ns.interact.setFrozen(graphId, Array.isArray(xRange));
    if (fired.includes(`${graphId}.clickData`) && clickData && ns.bridge) {
      ns.bridge.addClick(clickData.channel, clickData.x, clickData.y);
    }
  };

  ns.stream.external(MODE, { snapshot });
  ns.component = { snapshot };
})(window);
