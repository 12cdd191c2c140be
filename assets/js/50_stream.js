/**
 * stream: the per-tab streaming engine. Holds the decoded dataset and the one replay clock in tab globals,
 * and runs one requestAnimationFrame loop that
 *   - appends the samples due each frame to every active "raf" graph with Plotly.extendTraces, or, for a
 *     window wider than the plot, redraws its min/max envelope (58_decimated.js); one call in flight per
 *     graph, skipped while the graph div is gone;
 *   - lets the probe (55_probe.js) measure every graph the same way, whatever drives it.
 * "interval" graphs are extended by Dash (extendData from a clientside callback, see intervalStep) and
 * "server" graphs by Python; this loop only measures those. Modes registered with `external` (the LiveChart
 * "component") draw themselves from tab.dataset and tab.clock: the loop only reads their snapshot to
 * measure them the same way. A graph is never driven from two paths.
 * The same frame runs the engine's slow lane (`every`, 49_hud.js): the HUD numbers and the saved playhead are
 * written from here at most every config.hud.periodMs (their writers: 51_playback.js startWriters), so no
 * timer goes through Dash for them.
 * The controls' side of the clock (start, play/pause, speed, seek) and what the bridge and the inspector read
 * from the engine (the bridge's state, the inspector's replay source, every graph's snapshot) are in
 * 51_playback.js, on the same ns.stream.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const { codec, clock: clk, frames, metrics, figure, spans } = ns;
  const dc = root.dash_clientside;

  const tab = {
    dataset: null,
    datasetKey: null,
    config: null,
    clock: null,
    streams: new Map(),
    looping: false,
    started: false,
    frameCount: 0,
    lastError: null,
  };
  const renderers = new Map(); // mode → {snapshot(graphId)}: graphs that draw themselves (see external)
  const ticker = ns.hud.createTicker(); // the slow lane: tasks run from the frame loop at most every N ms

  /** A cheap identity for a payload, so the same data is never decoded twice. */
  function payloadKey(payload) {
    const first = (payload.channels && payload.channels[0]) || "";
    return [payload.version, payload.rate, payload.length, String(payload.names), first.length, first.slice(0, 64)].join("|");
  }

  /**
   * Decode the store payload into typed arrays once per tab and start the frame loop; returns what the
   * controls need to know about the dataset ({key, rate, length, names, decodeMs}). A version 2 payload names
   * its samples by content hash: `buffer` holds the bytes fetched from its URL (12_datafetch.js).
   */
  function load(payload, config, buffer) {
    if (tab.config !== config && config.events && ns.events) ns.events.setValidEvents(config.events);
    if (tab.config !== config) ns.stream.startWriters(config); // 51_playback.js: the HUDs and the saved playhead
    tab.config = config;
    const binary = payload.version === codec.BINARY_VERSION;
    const key = binary ? `sha256:${payload.sha}` : payloadKey(payload);
    if (key !== tab.datasetKey) {
      const t0 = performance.now();
      tab.dataset = binary ? codec.decodeBinary(payload, buffer) : codec.decodeDataset(payload);
      tab.dataset.decodeMs = performance.now() - t0;
      Object.assign(tab.dataset, frames.timeAxis(tab.dataset.rate, payload.start)); // x: seconds, or dates
      tab.datasetKey = key;
      tab.clock = null;
      tab.started = false;
      tab.streams.forEach((s) => (s.epoch += 1));
    }
    if (!tab.looping) {
      tab.looping = true;
      requestAnimationFrame(loop);
    }
    const ds = tab.dataset;
    return { key: tab.datasetKey, rate: ds.rate, length: ds.length, names: ds.names.slice(), decodeMs: ds.decodeMs };
  }

  /** The clock as the server strategies read it: anchor playhead and epoch-ms anchor time. */
  function clockState() {
    const c = tab.clock;
    return { pos: c.anchorPos, t: performance.timeOrigin + c.anchorTime, speed: c.speed, playing: c.playing };
  }

  /** Tell Dash (and so the server strategies) where the clock is anchored now. */
  function publishClock() {
    if (tab.clock && tab.config && dc.set_props) dc.set_props(tab.config.ids.clock, { data: clockState() });
  }

  /** The stream record for a graph id, created on first use. */
  function streamFor(graphId, mode) {
    let s = tab.streams.get(graphId);
    if (!s) {
      s = { graphId, mode, active: false, epoch: 0, config: null, sentEnd: 0, busy: false, chain: Promise.resolve() };
      s.decimated = null;
      s.fit = { cols: 0, since: 0 };
      s.skipped = 0;
      s.errors = 0;
      ns.probe.init(s, tab);
      tab.streams.set(graphId, s);
    }
    s.mode = mode;
    return s;
  }

  /** Show or hide a graph's stream (hidden streams are neither extended nor measured). */
  function setActive(graphId, mode, active) {
    const s = streamFor(graphId, mode);
    s.active = Boolean(active);
    if (!s.active) ns.probe.reset(s);
  }

  /**
   * Register a mode whose graphs draw themselves (not plotly): `adapter.snapshot(graphId)` returns what the
   * graph last drew, {draws, drawnAt (rAF time), hi (end of the samples drawn), points, bucket, lastDrawMs},
   * or null while it is not mounted. The loop measures such graphs from it and never draws them.
   */
  function external(mode, adapter) {
    renderers.set(mode, adapter);
  }

  /** The plotly graph div inside a dcc.Graph, or null when it is not in the DOM. */
  function findGraphDiv(graphId) {
    const el = document.getElementById(graphId);
    if (!el) return null;
    return el.classList.contains("js-plotly-plot") ? el : el.querySelector(".js-plotly-plot");
  }

  /**
   * Give a clientside graph a new view ({window, channels: [indices], trace, decimate}) and return the
   * figure to draw: the stream waits until that figure is on screen, then carries on from the playhead
   * it was built at (appending with extendTraces, or updating the envelope when decimated).
   */
  function configure(graphId, mode, view) {
    const s = streamFor(graphId, mode);
    s.config = Object.assign({}, view);
    s.epoch += 1;
    s.busy = false;
    s.sentEnd = clk.dueEnd(tab.clock, performance.now());
    if (renderers.has(mode)) return null; // it draws itself: nothing to hand it
    const cols = ns.decimated.columns(findGraphDiv(graphId));
    s.decimated = null;
    if (!ns.decimated.wants(s.config, cols)) return figure.windowFigure(tab.dataset, tab.config, s.config, s.sentEnd, s.epoch);
    const span = spans.begin("engine.envelope");
    s.decimated = ns.decimated.create(s.config, s.sentEnd, cols, tab.dataset);
    const fig = ns.decimated.prepare(s.decimated, s.config, tab.dataset, tab.config, s.epoch, s.sentEnd);
    spans.end(span);
    return fig;
  }

  /** Write a graph's channel key (47_key.js) once its view's figure is on screen (once per view). */
  function writeKey(s, gd) {
    s.keyEpoch = s.epoch;
    const id = tab.config && tab.config.hud && tab.config.hud.keys && tab.config.hud.keys[s.graphId];
    if (id && ns.key) ns.key.write(document.getElementById(id), ns.key.items(gd._fullData, s.config));
  }

  /** Is the figure this stream last handed out the one on screen? (Also holds the clock for the first.) */
  function ready(s, gd, now) {
    const meta = gd && gd.layout && gd.layout.meta;
    if (!meta || meta.tickless_epoch !== s.epoch) return false;
    if (s.keyEpoch !== s.epoch) writeKey(s, gd);
    if (!tab.started) {
      // hold the clock until the very first figure is on screen (plotly's first draw is slow)
      tab.started = true;
      tab.clock = clk.seek(tab.clock, s.sentEnd - 1, now);
      publishClock();
    }
    return true;
  }

  /** The samples due for a clientside stream ({from, to}), or null when nothing is due. */
  function nextPlan(s, now) {
    const plan = frames.planBatch(s.sentEnd, clk.dueEnd(tab.clock, now), s.config.window);
    if (!plan || !s.config.channels.length) return null;
    s.sentEnd = plan.to;
    s.skipped += plan.skipped;
    return plan;
  }

  /** extendTraces arguments for a plan. */
  function extendArgs(s, plan, gd) {
    const ds = tab.dataset;
    const update = frames.sliceColumns(ds.channels, s.config.channels, plan.from, plan.to, ds.xRate || ds.rate, true, ds.x0 || 0);
    // the fewest points any trace holds now (typed arrays: maxPoints must not exceed held + added)
    const held = gd && gd.data && gd.data.length ? Math.min(...gd.data.map((t) => (t.x ? t.x.length : 0))) : 0;
    return [update, s.config.channels.map((_, k) => k), frames.maxPoints(held, plan.to - plan.from, s.config.window)];
  }

  /**
   * clientside-interval: what this tick changes — {extend: extendData} at full resolution, or
   * {figure} when decimated — or null (nothing due, or our newest figure not drawn yet).
   */
  function intervalStep(graphId) {
    const s = tab.streams.get(graphId);
    if (!s || !s.active || !s.config || !tab.clock) return null;
    const now = performance.now();
    const gd = findGraphDiv(graphId);
    if (!ready(s, gd, now)) return null;
    ns.decimated.refit(s, ns.decimated.columns(gd), now, tab.dataset); // one bucket per pixel column
    const plan = nextPlan(s, now);
    if (!plan) return null;
    if (s.decimated) {
      const frozen = Boolean(ns.interact && ns.interact.frozen(graphId));
      const fig = ns.decimated.tickFigure(s.decimated, s.config, tab.dataset, tab.config, s.epoch, plan.from, plan.to, frozen);
      return { figure: fig };
    }
    return { extend: extendArgs(s, plan, gd) };
  }

  /** clientside-raf: draw what is due this frame (extendTraces, or the envelope); one call in flight. */
  function rafStep(s, gd, now) {
    if (s.busy || !s.config || !ready(s, gd, now)) return;
    ns.decimated.refit(s, ns.decimated.columns(gd), now, tab.dataset); // one bucket per pixel column
    const plan = nextPlan(s, now);
    if (!plan) return;
    const epoch = s.epoch;
    const decimated = Boolean(s.decimated);
    const span = spans.begin(decimated ? "engine.envelope" : "engine.batch");
    const frozen = decimated && Boolean(ns.interact && ns.interact.frozen(s.graphId));
    const args = decimated
      ? ns.decimated.updateArgs(s.decimated, s.config, tab.dataset, plan.from, plan.to, frozen, tab.config.layout)
      : extendArgs(s, plan, gd);
    spans.end(span);
    const method = decimated ? "update" : "extendTraces"; // one call in flight: args' buffers are not reused before
    s.busy = true;
    s.chain = s.chain
      .then(() => {
        if (!gd.isConnected || s.epoch !== epoch) return null;
        const call = spans.begin(`plotly.${method}`);
        try {
          return root.Plotly[method](gd, args[0], args[1], args[2]);
        } finally {
          spans.end(call);
        }
      })
      .catch((err) => {
        s.errors += 1;
        console.warn(`tickless ${method}:`, err); // eslint-disable-line no-console
      })
      .then(() => {
        if (s.epoch === epoch) s.busy = false;
      });
  }

  /** Does this stream's graph draw itself (a mode registered with `external`)? */
  function drawsItself(s) {
    return renderers.has(s.mode);
  }

  /** A self-drawing graph's snapshot (see external), or null. */
  function drawnBy(s) {
    const adapter = renderers.get(s.mode);
    return adapter ? adapter.snapshot(s.graphId) : null;
  }

  /** One animation frame: measure every visible graph, extend the raf ones. */
  function loop(now) {
    requestAnimationFrame(loop);
    const span = spans.begin("engine.bookkeeping");
    tab.frameCount += 1;
    tab.streams.forEach((s) => {
      if (!s.active) return;
      try {
        if (renderers.has(s.mode)) {
          const drawn = drawnBy(s);
          if (drawn && Number.isFinite(drawn.hi)) s.sentEnd = drawn.hi;
          if (tab.clock) ns.probe.drawn(s, drawn, now);
          return;
        }
        const gd = findGraphDiv(s.graphId);
        ns.probe.frame(s, gd, now);
        if (gd && s.mode === "raf" && tab.clock) rafStep(s, gd, now);
      } catch (err) {
        s.errors += 1;
        if (tab.lastError !== String(err)) {
          tab.lastError = String(err);
          console.warn("tickless stream:", err); // eslint-disable-line no-console
        }
      }
    });
    spans.end(span);
    const slow = spans.begin("engine.hud");
    ticker.run(now);
    spans.end(slow);
  }

  ns.stream = {
    load,
    clockState,
    publishClock,
    setActive,
    configure,
    every: ticker.every,
    external,
    intervalStep,
    findGraphDiv,
    drawsItself,
    drawnBy,
    tab,
  };
})(window);
