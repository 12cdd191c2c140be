/**
 * Clientside callbacks of the shared controls (wired from app/controls.py with ClientsideFunction):
 *   route       URL → which panels show, control values, messages (no server call);
 *   configure   controls → the tab clock, each visible panel's view store, Interval on/off and period,
 *               preferences (local store) and the share link.
 * (The playhead for a reload is saved by the engine, 50_stream.js, not by a callback on a timer.)
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const controls = { view: null, names: null, messages: [], seq: 0, shown: new Map() };

  /** Which of the callback's inputs fired this call, as booleans in Input order (read first, synchronously). */
  function firedInputs() {
    const ctx = dc.callback_context || {};
    const fired = new Set((ctx.triggered || []).map((t) => t.prop_id));
    return (ctx.inputs_list || []).map((input) => fired.has(`${input.id}.${input.property}`));
  }

  /** URL → [panel styles…, inspector style, route, message, window, speed, speed options, channels, trace, interval]. */
  ns.route = function (pathname, search, prefs, config) {
    if (!config) throw dc.PreventUpdate;
    const route = ns.router.parseRoute(pathname, search, config, prefs);
    const styles = config.strategies.map((s) => {
      const at = route.strategies.indexOf(s.id);
      return at === -1 ? { display: "none" } : { display: "block", order: at };
    });
    const speed = route.view.speed;
    const options = config.speeds.includes(speed)
      ? dc.no_update
      : config.speeds.concat([speed]).sort((a, b) => a - b).map((v) => ({ label: `${v}×`, value: v }));
    const v = route.view;
    const inspector = route.page === "inspector" ? { display: "block" } : { display: "none" };
    return [
      ...styles, inspector, route, route.messages.join(" "),
      v.window, speed, options, v.channels, v.trace, v.interval, v.bridge, v.decimate,
    ];
  };

  /** Check a whole number against [lo, hi]; returns [value or fallback, message]. */
  function checked(label, value, [lo, hi], fallback, unit) {
    if (Number.isInteger(value) && value >= lo && value <= hi) return [value, ""];
    const fmt = (n) => Number(n).toLocaleString("en-US");
    const shown = value === null || value === undefined ? "empty" : String(value);
    return [
      fallback,
      `${label} ${shown} is not allowed: use a whole number from ${fmt(lo)} to ${fmt(hi)}${unit}. Keeping ${fmt(fallback)}.`,
    ];
  }

  /**
   * Controls → everything that follows from them. Only visible panels get a view; a panel gets a new
   * view object only when what it must show changed (or it was just shown), so nothing redraws for nothing.
   */
  ns.configure = function (route, payload, playClicks, speed, window, channels, trace, interval, bridge, decimate,
    config, session) {
    const fired = firedInputs();
    const playFired = fired[2];
    if (!payload || !route || !config) throw dc.PreventUpdate;
    const stream = ns.stream;
    const ds = stream.load(payload, config);
    if (ns.interact) ns.interact.setup(config);
    const { limits, defaults } = config;
    const prev = controls.view || Object.assign({}, route.view);

    const [win, winMsg] = checked("Window", window, limits.window, prev.window, " points");
    const [ms, msMsg] = checked("Interval", interval, limits.interval, prev.interval, " ms");
    const [period, periodMsg] =
      bridge === 0 ? [0, ""] : checked("Bridge period", bridge, limits.bridge, prev.bridge, " ms (or 0 = off)");
    const speedOk = typeof speed === "number" && speed >= limits.speed[0] && speed <= limits.speed[1];
    const names = ds.names.filter((n) => (channels || []).includes(n));
    const traceOk = config.traces.includes(trace);
    const decimateOk = config.decimate.includes(decimate);
    const view = {
      window: win,
      speed: speedOk ? speed : prev.speed || defaults.speed,
      channels: names,
      trace: traceOk ? trace : prev.trace,
      interval: ms,
      bridge: period,
      decimate: decimateOk ? decimate : prev.decimate,
    };

    if (!controls.view) {
      const saved = session && Number.isFinite(session.pos) && session.pos >= 0 ? session : null;
      stream.ensureClock(saved ? Math.max(win, Math.floor(saved.pos)) : win, saved ? saved.playing !== false : true);
    }
    controls.view = view;
    if (playFired) stream.setPlaying(!stream.tab.clock.playing);
    stream.setSpeed(view.speed);
    const playing = stream.tab.clock.playing;

    const panelView = {
      window: win,
      channels: names.map((n) => ds.names.indexOf(n)),
      trace: view.trace,
      decimate: view.decimate,
    };
    const sig = JSON.stringify(panelView);
    const views = config.strategies.map((s) => {
      const active = route.strategies.includes(s.id);
      stream.setActive(s.graph, s.mode, active);
      const key = active ? sig : null;
      if (controls.shown.get(s.id) === key) return dc.no_update;
      controls.shown.set(s.id, key);
      controls.seq += 1;
      return active ? Object.assign({ seq: controls.seq }, panelView) : dc.no_update;
    });
    const ticking = config.strategies.filter((s) => s.interval);
    const disabled = ticking.map((s) => !(playing && route.strategies.includes(s.id)));
    const periods = ticking.map(() => ms);

    const message = [
      winMsg,
      msMsg,
      periodMsg,
      speedOk ? "" : `Speed ${speed} is not allowed; keeping ${view.speed}×.`,
      traceOk ? "" : `Trace ${trace} is not allowed: use ${config.traces.join(", ")}; keeping ${view.trace}.`,
      decimateOk ? "" : `Decimate ${decimate} is not allowed: use ${config.decimate.join(", ")}; keeping ${view.decimate}.`,
      names.length ? "" : "No channels selected: tick at least one to see data.",
    ]
      .filter(Boolean)
      .join(" ");
    const share = ns.router.routePath(route) + ns.router.shareSearch(route, view, config);
    return [...views, ...disabled, ...periods, playing ? "Pause" : "Play", message, view, share];
  };

  ns.controls = controls;
})(window);
