/**
 * Clientside callbacks of the live chart (wired from app/live.py with ClientsideFunction):
 * liveConfigure turns control changes into clock changes or a new figure, liveHud fills the HUD.
 * Neither ever calls the server.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const lastHud = new Map();

  /**
   * Which of the callback's inputs fired this call, as booleans in Input order (read from
   * callback_context, synchronously, before anything else).
   */
  function firedInputs() {
    const ctx = dc.callback_context || {};
    const fired = new Set(((ctx.triggered) || []).map((t) => t.prop_id));
    return (ctx.inputs_list || []).map((input) => fired.has(`${input.id}.${input.property}`));
  }

  /** Check a window value against the input's own min/max; returns [window, message]. */
  function checkWindow(value, min, max, current) {
    const ok = typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
    if (ok) return [value, ""];
    const fmt = (n) => Number(n).toLocaleString("en-US");
    const shown = value === null || value === undefined ? "empty" : String(value);
    return [
      current,
      `Window ${shown} is not allowed: use a whole number of points from ${fmt(min)} to ${fmt(max)}. ` +
        `Keeping ${fmt(current)}.`,
    ];
  }

  /**
   * Controls → stream. Play/pause and speed only move the clock (figure untouched); window, channels
   * and trace type rebuild the figure from the current playhead. Returns [figure, playLabel, message].
   */
  ns.liveConfigure = function (payload, playClicks, speed, window, channels, trace, graphId, wmin, wmax) {
    const fired = firedInputs();
    const [dataFired, playFired, speedFired] = fired;
    if (!payload) throw dc.PreventUpdate; // the data has not arrived: nothing to draw yet
    const stream = ns.stream;
    const current = stream.tab.streams.has(graphId) ? stream.tab.streams.get(graphId).config : null;
    const all = !current || dataFired || !fired.some(Boolean);
    const fallback = current ? current.window : Math.min(Math.max(2000, wmin), wmax);
    const [win, windowMessage] = checkWindow(window, wmin, wmax, fallback);
    const ds = stream.load(payload, win);

    const playing = (playClicks || 0) % 2 === 0;
    if (all || playFired) stream.setPlaying(playing);
    const speedOk = typeof speed === "number" && speed > 0 && Number.isFinite(speed);
    if ((all || speedFired) && speedOk) stream.setSpeed(speed);

    const chosen = (channels || [])
      .map((n) => ds.names.indexOf(n))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b);
    const config = { window: win, channels: chosen, trace: trace === "scattergl" ? "scattergl" : "scatter" };
    const changed =
      all ||
      current.window !== config.window ||
      current.trace !== config.trace ||
      String(current.channels) !== String(config.channels);
    const message = [
      windowMessage,
      speedOk ? "" : `Speed ${speed} is not allowed; keeping the current speed.`,
      chosen.length ? "" : "No channels selected: tick at least one to see data.",
    ]
      .filter(Boolean)
      .join(" ");
    return [
      changed ? stream.configure(graphId, config) : dc.no_update,
      all || playFired ? (playing ? "Pause" : "Play") : dc.no_update,
      message,
    ];
  };

  /** HUD text for a graph: [frames/s, points, latency, requests]; unchanged text is not re-sent. */
  ns.liveHud = function (_n, graphId) {
    const snap = ns.stream.snapshot(graphId);
    if (!snap) throw dc.PreventUpdate;
    const fmt = (n) => Math.round(n).toLocaleString("en-US");
    const out = [
      snap.playing ? snap.fps.toFixed(0) : "paused",
      fmt(snap.points),
      Number.isFinite(snap.latencyP50) ? `${fmt(snap.latencyP50)} ms` : "–",
      fmt(snap.requests),
    ];
    const key = out.join("|");
    if (lastHud.get(graphId) === key) throw dc.PreventUpdate;
    lastHud.set(graphId, key);
    return out;
  };
})(window);
