/**
 * view: the shared controls turned into views, as pure functions (node --test). 60_controls.js `configure`
 * calls them and hands the results to the engine; limits and enums come from the config store (app/contract.py
 * browser()), never from this file.
 *   buildView(controls, prev, config, names)  the checked view {window, speed, channels, trace, interval, bridge,
 *                                             decimate} and one message per refused value;
 *   panelView(view, names)                    what a panel draws: {window, channels: [indices], trace, decimate};
 *   panelUpdates(strategies, shownIds, panel, shown, seq)  which panels get a new view object (only those whose
 *                                             view changed or that were just shown: nothing redraws for nothing);
 *   intervalOutputs(strategies, shownIds, playing, ms)     the Interval-driven panels' disabled flags and periods;
 *   defaultTrace(renderer, config)            scattergl where WebGL runs on a GPU, else the contract's default,
 *                                             with a line saying which and why; withDefaults(config, trace).
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "view", function () {
  "use strict";

  const fmt = (n) => Number(n).toLocaleString("en-US");

  /** Check a whole number against [lo, hi]; returns [value or fallback, message ("" when fine)]. */
  function checked(label, value, [lo, hi], fallback, unit) {
    if (Number.isInteger(value) && value >= lo && value <= hi) return [value, ""];
    const shown = value === null || value === undefined ? "empty" : String(value);
    return [
      fallback,
      `${label} ${shown} is not allowed: use a whole number from ${fmt(lo)} to ${fmt(hi)}${unit}. Keeping ${fmt(fallback)}.`,
    ];
  }

  /**
   * The view the controls ask for, each value checked against config.limits / enums; a refused value keeps
   * the previous view's (`prev`), and says so in `message`. `controls`: {window, speed, channels (names),
   * trace, interval, bridge, decimate} as the inputs hold them; `names`: the dataset's channel names.
   */
  function buildView(controls, prev, config, names) {
    const { limits, defaults } = config;
    const [win, winMsg] = checked("Window", controls.window, limits.window, prev.window, " points");
    const [ms, msMsg] = checked("Interval", controls.interval, limits.interval, prev.interval, " ms");
    const [period, periodMsg] =
      controls.bridge === 0
        ? [0, ""]
        : checked("Bridge period", controls.bridge, limits.bridge, prev.bridge, " ms (or 0 = off)");
    const speed = controls.speed;
    const speedOk = typeof speed === "number" && speed >= limits.speed[0] && speed <= limits.speed[1];
    const chosen = names.filter((n) => (controls.channels || []).includes(n));
    const traceOk = config.traces.includes(controls.trace);
    const decimateOk = config.decimate.includes(controls.decimate);
    const view = {
      window: win,
      speed: speedOk ? speed : prev.speed || defaults.speed,
      channels: chosen,
      trace: traceOk ? controls.trace : prev.trace,
      interval: ms,
      bridge: period,
      decimate: decimateOk ? controls.decimate : prev.decimate,
    };
    const message = [
      winMsg,
      msMsg,
      periodMsg,
      speedOk ? "" : `Speed ${speed} is not allowed; keeping ${view.speed}×.`,
      traceOk ? "" : `Trace ${controls.trace} is not allowed: use ${config.traces.join(", ")}; keeping ${view.trace}.`,
      decimateOk
        ? ""
        : `Decimate ${controls.decimate} is not allowed: use ${config.decimate.join(", ")}; keeping ${view.decimate}.`,
      chosen.length ? "" : "No channels selected: tick at least one to see data.",
    ]
      .filter(Boolean)
      .join(" ");
    return { view, message };
  }

  /** What every panel draws for a view: channel names become dataset indices. */
  function panelView(view, names) {
    return {
      window: view.window,
      channels: view.channels.map((n) => names.indexOf(n)).filter((i) => i >= 0),
      trace: view.trace,
      decimate: view.decimate,
    };
  }

  /**
   * One entry per strategy: a new view object ({seq, ...panel}) for a shown panel whose view changed or that
   * was just shown, else null (no update). `shown` (Map strategy id → the panel view's JSON last handed out,
   * or null when hidden) is updated in place; `seq` numbers the new views. Returns {updates, seq}.
   */
  function panelUpdates(strategies, shownIds, panel, shown, seq) {
    const sig = JSON.stringify(panel);
    const updates = strategies.map((s) => {
      const key = shownIds.includes(s.id) ? sig : null;
      if (shown.get(s.id) === key) return null;
      shown.set(s.id, key);
      if (key === null) return null;
      seq += 1;
      return Object.assign({ seq }, panel);
    });
    return { updates, seq };
  }

  /**
   * Who draws a plotly panel's channel key on a page: "plotly" (its legend) on the inspector page, whose table
   * shows plotly_legendclick, else "html": the engine's key beside the graph (47_key.js), so plotly's draw
   * leaves its legend out (~1 ms of every draw with 4 traces).
   */
  function legendOf(page) {
    return page === "inspector" ? "plotly" : "html";
  }

  /** The Interval-driven panels' [disabled…, periods…]: ticking only while shown and playing. */
  function intervalOutputs(strategies, shownIds, playing, ms) {
    const ticking = strategies.filter((s) => s.interval);
    return [...ticking.map((s) => !(playing && shownIds.includes(s.id))), ...ticking.map(() => ms)];
  }

  /**
   * The trace type a page uses when neither the URL nor the user's preferences choose one: scattergl where the
   * browser's WebGL renderer (`renderer`, "" when WebGL is unavailable) is a GPU, else the contract's default
   * (scatter): a software renderer (config.softwareRenderers, e.g. SwiftShader) draws WebGL far slower than SVG.
   * Returns {trace, note} with the note the page shows.
   */
  function defaultTrace(renderer, config) {
    const text = String(renderer || "");
    const lower = text.toLowerCase();
    const software = !text || config.softwareRenderers.some((word) => lower.includes(word));
    const gl = config.traces.find((t) => t !== config.defaults.trace && /gl$/.test(t));
    if (software || !gl) {
      const why = text ? `software WebGL (${text})` : "no WebGL";
      return { trace: config.defaults.trace, note: `default trace ${config.defaults.trace}: ${why}` };
    }
    return { trace: gl, note: `default trace ${gl}: WebGL on a GPU (${text})` };
  }

  /** The config with the page's default trace (for the router and the share link). */
  function withDefaults(config, trace) {
    if (config.defaults.trace === trace) return config;
    return Object.assign({}, config, { defaults: Object.assign({}, config.defaults, { trace }) });
  }

  return { checked, buildView, panelView, legendOf, panelUpdates, intervalOutputs, defaultTrace, withDefaults };
});
