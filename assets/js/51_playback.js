/**
 * playback: the controls' side of the tab's one replay clock, and what other modules read from the engine. On
 * the engine's namespace (ns.stream, 50_stream.js, which owns the tab state and tells Dash where the clock is
 * anchored with publishClock):
 *   ensureClock, setPlaying, setSpeed, applyView, seek, hasClock   start, play/pause, speed and seek;
 *   bridgeState, replaySource   what the bridge samples (75_bridge.js) and the inspector replays (80_inspector.js);
 *   startWriters                the slow lane's writers for a config: every panel's HUD and the playhead a
 *                               reload resumes from (run from the frame loop by stream.every);
 *   snapshot, sample            a graph's stream and figures (the HUD, downloads, tests and benchmarks) and one
 *                               decoded sample (tests compare it with the server's).
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const { clock: clk, metrics, stream } = ns;
  const { tab, publishClock, findGraphDiv, drawsItself, drawnBy } = stream;

  /** Start the tab clock once, at `start` samples, playing or paused. */
  function ensureClock(start, playing) {
    if (!tab.clock) {
      tab.clock = clk.createClock({ rate: tab.dataset.rate, start, playing, now: performance.now() });
      publishClock();
    }
    return tab.clock;
  }

  /** Play or pause every stream on this tab's clock. */
  function setPlaying(playing) {
    if (tab.clock.playing === Boolean(playing)) return;
    tab.clock = clk.setPlaying(tab.clock, playing, performance.now());
    publishClock();
  }

  /** Change the replay speed of this tab's clock. */
  function setSpeed(speed) {
    if (tab.clock.speed === speed) return;
    tab.clock = clk.setSpeed(tab.clock, speed, performance.now());
    publishClock();
  }

  /**
   * The user's checked view (46_view.js buildView) → the clock: started once at `start` ({pos, playing}),
   * play/pause toggled when asked, the view's speed. Keeps the view for the bridge; returns whether it plays.
   */
  function applyView(view, { start, togglePlay }) {
    if (start) ensureClock(start.pos, start.playing);
    if (togglePlay) setPlaying(!tab.clock.playing);
    setSpeed(view.speed);
    tab.view = view;
    return tab.clock.playing;
  }

  /** Move the playhead to `pos` samples (a key step, 54_viewer.js); the caller has the panels redraw. */
  function seek(pos) {
    if (!tab.clock) return;
    tab.clock = clk.seek(tab.clock, Math.max(0, pos), performance.now());
    publishClock();
  }

  /** Has the clock started (the dataset decoded and a view applied)? */
  function hasClock() {
    return Boolean(tab.clock);
  }

  /**
   * What the bridge samples now (75_bridge.js bridgePayload): the due end, the view's window and channel
   * indices, play state, speed and the highest frames/s among the shown panels; null before the clock starts.
   */
  function bridgeState(now) {
    if (!tab.clock || !tab.view) return null;
    let fps = 0;
    tab.streams.forEach((s) => {
      if (s.active) fps = Math.max(fps, metrics.rate(s.fps, now));
    });
    return {
      head: clk.dueEnd(tab.clock, now),
      window: tab.view.window,
      channels: tab.view.channels.map((n) => tab.dataset.names.indexOf(n)).filter((i) => i >= 0),
      playing: tab.clock.playing,
      speed: tab.clock.speed,
      fps,
    };
  }

  /** What the inspector's replay is cut from: the dataset, the due end and the view's channel indices; or null. */
  function replaySource(now) {
    const state = bridgeState(now);
    return state ? { dataset: tab.dataset, head: state.head, channels: state.channels, layout: tab.config.layout } : null;
  }

  /** Points currently drawn in a graph (all traces). */
  function pointsOnScreen(graphId) {
    const s = tab.streams.get(graphId);
    if (s && drawsItself(s)) {
      const drawn = drawnBy(s);
      return drawn ? drawn.points : 0;
    }
    const gd = findGraphDiv(graphId);
    if (!gd || !gd.data) return 0;
    return gd.data.reduce((sum, trace) => sum + (trace.x ? trace.x.length : 0), 0);
  }

  /** {bucket} when the graph draws a min/max envelope (samples per bucket > 1), else null. */
  function envelopeOf(s) {
    if (s.decimated) return { bucket: s.decimated.B };
    const drawn = drawsItself(s) ? drawnBy(s) : null;
    return drawn && drawn.bucket > 1 ? { bucket: drawn.bucket } : null;
  }

  /** A plain snapshot of a graph's stream and figures, for the HUD, tests and benchmarks. */
  function snapshot(graphId) {
    const s = tab.streams.get(graphId);
    if (!s || !tab.clock) return null;
    const now = performance.now();
    const own = metrics.requestsFor(metrics.byOutput, graphId);
    return Object.assign(ns.probe.figures(s, now), {
      now,
      mode: s.mode,
      active: s.active,
      epoch: s.epoch,
      sentEnd: s.sentEnd,
      position: clk.position(tab.clock, now),
      playing: tab.clock.playing,
      speed: tab.clock.speed,
      config: Object.assign({}, s.config),
      decimated: envelopeOf(s),
      points: pointsOnScreen(graphId),
      skipped: s.skipped,
      errors: s.errors,
      frames: tab.frameCount,
      requests: own.count,
      requestBytes: own.bytes,
      tabRequests: metrics.requests.count,
      decodeMs: tab.dataset ? tab.dataset.decodeMs : null,
    });
  }

  /** Sample `index` of channel `channel` as this tab decoded it (tests compare it with the server's). */
  function sample(channel, index) {
    return tab.dataset ? tab.dataset.channels[channel][index] : null;
  }

  let writers = []; // removers of the slow-lane tasks started for the current config

  /** Save the playhead where the session store keeps it (unchanged positions are not rewritten). */
  function saveSession(config, now) {
    if (!tab.clock || !root.sessionStorage) return;
    const state = ns.hud.sessionState(clk.position(tab.clock, now), tab.clock.playing);
    const key = `${state.pos}|${state.playing}`;
    if (key === tab.savedSession) return;
    if (ns.hud.saveSession(root.sessionStorage, config.ids.session, state)) tab.savedSession = key;
  }

  /** (Re)start the slow-lane writers for a config: every panel's HUD (built here), and the playhead for a reload. */
  function startWriters(config) {
    if (!writers.length) root.addEventListener("pagehide", () => tab.config && saveSession(tab.config, performance.now()));
    writers.forEach((stop) => stop());
    ns.hud.build(root.document, config.hud); // every panel's HUD items, once: Dash rendered each HUD as one empty node
    const hud = ns.hud.createHud(root.document, config.hud);
    const frozen = (graphId) => Boolean(ns.interact && ns.interact.frozen(graphId));
    const period = config.hud.periodMs;
    writers = [
      stream.every(period, () => hud.paint(snapshot, frozen)),
      stream.every(period, (now) => saveSession(config, now)),
    ];
  }

  Object.assign(stream, { ensureClock, setPlaying, setSpeed, applyView, seek, hasClock, bridgeState, replaySource, startWriters, snapshot, sample });
})(window);
