/**
 * stream: the per-tab streaming engine. Holds the decoded dataset and the replay clock in tab globals and
 * runs one requestAnimationFrame loop that appends the samples due each frame to every registered graph
 * with Plotly.extendTraces (one call in flight per graph; skipped while the graph div is gone).
 * The graph's figure comes from a clientside callback; this loop only extends it, and only once the
 * figure it was told about (layout.meta.tickless_epoch) is the one on screen.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const { codec, clock: clk, frames, metrics } = ns;

  const tab = {
    dataset: null,
    datasetKey: null,
    clock: null,
    streams: new Map(),
    looping: false,
    started: false,
    frameCount: 0,
    lastError: null,
  };

  /** A cheap identity for a payload, so the same data is never decoded twice. */
  function payloadKey(payload) {
    const first = (payload.channels && payload.channels[0]) || "";
    return [payload.version, payload.rate, payload.length, String(payload.names), first.length, first.slice(0, 64)].join("|");
  }

  /** Decode the store payload into typed arrays once per tab and start the clock and the loop. */
  function load(payload, window) {
    const key = payloadKey(payload);
    if (key !== tab.datasetKey) {
      const t0 = performance.now();
      tab.dataset = codec.decodeDataset(payload);
      tab.dataset.decodeMs = performance.now() - t0;
      tab.datasetKey = key;
      tab.clock = clk.createClock({ rate: tab.dataset.rate, start: window, now: performance.now() });
      tab.started = false;
      tab.streams.forEach((s) => (s.epoch += 1));
    }
    if (!tab.looping) {
      tab.looping = true;
      requestAnimationFrame(loop);
    }
    return tab.dataset;
  }

  /** The stream record for a graph id, created on first use. */
  function streamFor(graphId) {
    let s = tab.streams.get(graphId);
    if (!s) {
      s = {
        graphId,
        gd: null,
        epoch: 0,
        config: null,
        sentEnd: 0,
        busy: false,
        chain: Promise.resolve(),
        painted: null,
        fps: metrics.createMeter(1000),
        latency: metrics.createMeter(2000),
        skipped: 0,
        errors: 0,
      };
      tab.streams.set(graphId, s);
    }
    return s;
  }

  /** The plotly graph div inside a dcc.Graph, or null when it is not in the DOM. */
  function findGraphDiv(graphId) {
    const el = document.getElementById(graphId);
    if (!el) return null;
    return el.classList.contains("js-plotly-plot") ? el : el.querySelector(".js-plotly-plot");
  }

  /** A full figure for the stream's config, showing the window that ends at `head`. */
  function buildFigure(s, head) {
    const ds = tab.dataset;
    const { window, channels, trace } = s.config;
    const range = frames.windowRange(head, window);
    const cols = frames.sliceColumns(ds.channels, channels, range.from, range.to, ds.rate);
    const data = channels.map((c, k) => ({
      type: trace,
      mode: "lines",
      name: ds.names[c],
      x: cols.x[k],
      y: cols.y[k],
      line: { width: 1 },
    }));
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of channels) {
      lo = Math.min(lo, ds.ranges[c][0]);
      hi = Math.max(hi, ds.ranges[c][1]);
    }
    if (!(lo < hi)) [lo, hi] = [0, 1];
    const pad = (hi - lo) * 0.05;
    return {
      data,
      layout: {
        margin: { l: 50, r: 20, t: 10, b: 40 },
        xaxis: { title: { text: "time (s)" }, autorange: true },
        yaxis: { range: [lo - pad, hi + pad], autorange: false },
        legend: { orientation: "h", y: 1.02, yanchor: "bottom", x: 0 },
        showlegend: true,
        meta: { tickless_epoch: s.epoch },
      },
    };
  }

  /**
   * Set a graph's config ({window, channels: [indices], trace}) and return the figure to draw: the
   * loop waits for that figure to be on screen, then extends it from the playhead it was built at.
   */
  function configure(graphId, config) {
    const s = streamFor(graphId);
    s.config = Object.assign({}, config);
    s.epoch += 1;
    s.busy = false;
    s.painted = null;
    s.sentEnd = clk.dueEnd(tab.clock, performance.now());
    return buildFigure(s, s.sentEnd);
  }

  /** Play or pause every stream on this tab's clock. */
  function setPlaying(playing) {
    tab.clock = clk.setPlaying(tab.clock, playing, performance.now());
  }

  /** Change the replay speed of this tab's clock. */
  function setSpeed(speed) {
    tab.clock = clk.setSpeed(tab.clock, speed, performance.now());
  }

  /** One animation frame: account for the last paint, then send each graph the samples now due. */
  function loop(now) {
    requestAnimationFrame(loop);
    tab.frameCount += 1;
    tab.streams.forEach((s) => {
      try {
        step(s, now);
      } catch (err) {
        s.errors += 1;
        if (tab.lastError !== String(err)) {
          tab.lastError = String(err);
          console.warn("tickless stream:", err); // eslint-disable-line no-console
        }
      }
    });
  }

  /** Advance one graph by one frame. */
  function step(s, now) {
    if (s.painted) {
      // this frame is the first one that shows the last extend: record what it took
      metrics.record(s.fps, now);
      metrics.record(s.latency, now, now - s.painted.due);
      s.painted = null;
    }
    if (s.busy || !s.config) return;
    const gd = findGraphDiv(s.graphId);
    if (!gd) {
      s.gd = null;
      return;
    }
    if (s.gd && s.gd !== gd) {
      // dcc.Graph replaced its div: redraw from the current playhead through Dash, then go on
      s.gd = gd;
      root.dash_clientside.set_props(s.graphId, { figure: configure(s.graphId, s.config) });
      return;
    }
    s.gd = gd;
    const meta = gd.layout && gd.layout.meta;
    if (!meta || meta.tickless_epoch !== s.epoch) return; // our newest figure is not drawn yet
    if (!tab.started) {
      // hold the clock until the very first figure is on screen (plotly's first draw is slow)
      tab.started = true;
      tab.clock = clk.seek(tab.clock, s.sentEnd - 1, now);
    }
    const plan = frames.planBatch(s.sentEnd, clk.dueEnd(tab.clock, now), s.config.window);
    if (!plan) return;
    const ds = tab.dataset;
    const update = frames.sliceColumns(ds.channels, s.config.channels, plan.from, plan.to, ds.rate);
    const due = clk.dueTime(tab.clock, plan.from);
    const epoch = s.epoch;
    const indices = s.config.channels.map((_, k) => k);
    s.sentEnd = plan.to;
    s.skipped += plan.skipped;
    s.busy = true;
    s.chain = s.chain
      .then(() => {
        if (!gd.isConnected || s.epoch !== epoch || !indices.length) return false;
        return Promise.resolve(root.Plotly.extendTraces(gd, update, indices, s.config.window)).then(() => true);
      })
      .then(
        (drawn) => {
          if (drawn && s.epoch === epoch) s.painted = { due };
        },
        (err) => {
          s.errors += 1;
          console.warn("tickless extendTraces:", err); // eslint-disable-line no-console
        },
      )
      .then(() => {
        if (s.epoch === epoch) s.busy = false;
      });
  }

  /** Points currently drawn in a graph (all traces). */
  function pointsOnScreen(graphId) {
    const gd = findGraphDiv(graphId);
    if (!gd || !gd.data) return 0;
    return gd.data.reduce((sum, trace) => sum + (trace.x ? trace.x.length : 0), 0);
  }

  /** A plain snapshot of a stream's state and figures, for the HUD, tests and benchmarks. */
  function snapshot(graphId) {
    const s = tab.streams.get(graphId);
    const now = performance.now();
    if (!s || !tab.clock) return null;
    return {
      epoch: s.epoch,
      sentEnd: s.sentEnd,
      position: clk.position(tab.clock, now),
      playing: tab.clock.playing,
      speed: tab.clock.speed,
      config: Object.assign({}, s.config),
      fps: metrics.rate(s.fps, now),
      latencyP50: metrics.meterQuantile(s.latency, 0.5, now),
      latencyP95: metrics.meterQuantile(s.latency, 0.95, now),
      points: pointsOnScreen(graphId),
      skipped: s.skipped,
      errors: s.errors,
      frames: tab.frameCount,
      requests: metrics.requests.count,
      requestBytes: metrics.requests.bytes,
      decodeMs: tab.dataset ? tab.dataset.decodeMs : null,
    };
  }

  /** Sample `index` of channel `channel` as this tab decoded it (tests compare it with the server's). */
  function sample(channel, index) {
    return tab.dataset ? tab.dataset.channels[channel][index] : null;
  }

  ns.stream = { load, configure, setPlaying, setSpeed, snapshot, sample, findGraphDiv, tab };
})(window);
