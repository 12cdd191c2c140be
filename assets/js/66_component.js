/**
 * The "component" strategy's glue (wired from app/strategies/component.py): the LiveChart component
 * (livechart/, source="tickless") draws the tab's typed arrays on the tab's clock by itself, so the engine
 * only measures it and the panel's controls only set its props.
 *   componentView      the panel's view store → the chart's window, channels and decimate props, and its look as
 *                      the plotly panels draw it (54_viewer.js): layout, y scale, theme (and the page config's
 *                      theme colours and stack gap), font size, and a UTC date axis from the data's first timestamp;
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

  /** The page config's part of the chart's look: theme colours, stack gap, first sample time (epoch s or null). */
  function pageLook() {
    const data = (ns.stream.tab.config && ns.stream.tab.config.data) || {};
    const start = typeof data.start === "number" && Number.isFinite(data.start) ? data.start : null;
    return {
      themes: data.themes || dc.no_update,
      stackGap: Number.isFinite(data.stackGap) ? data.stackGap : dc.no_update,
      timeStart: start,
    };
  }

  /** A view value, or no_update when the view does not carry it. */
  function given(value) {
    return value === undefined || value === null ? dc.no_update : value;
  }

  /**
   * View store → [window, channels (indices), decimate, layout, yMode, theme, fontSize, themes, stackGap,
   * timeStart] of the chart; the engine records the view. A view from an OS theme switch (viewer.redraw)
   * carries the new theme, so the chart follows it at once.
   */
  ns.componentView = function (view, graphId) {
    if (!view || !ns.stream.hasClock()) throw dc.PreventUpdate;
    ns.stream.configure(graphId, MODE, view);
    const page = pageLook();
    return [
      view.window, view.channels, given(view.decimate), given(view.layout), given(view.yscale), given(view.theme),
      given(view.font), page.themes, page.stackGap, page.timeStart,
    ];
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
