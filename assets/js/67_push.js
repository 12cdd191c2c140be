/**
 * The "server-push" strategy's glue (wired from app/strategies/server_push.py): batches a live source pushes over
 * Dash's websocket land in the panel's data Store; `pushData` hands each to the panel's receiver (64_pushrx.js:
 * each sample once, gaps counted), and the engine's frame (50_stream.js `every`) draws what is due with
 * Plotly.extendTraces, one call in flight: the display's rate, whatever the network's.
 *   pushView   the panel's view store → an empty figure for the channels, and a fresh receiver view;
 *   pushData   the data Store → the receiver (no output: nothing else in Dash runs per message);
 * From the engine's slow lane it writes the control store the server reads (what the tab wants, what it has
 * applied: the server's in-flight window), the HUD's "dropped" and "link" fields, and runs the watchdog: no
 * message for a while → it writes the prod store (a websocket callback: Dash's worker reconnects if it must,
 * and the server starts a new stream from where the tab is), backing off up to config.push.backoffCapMs.
 * The engine measures the panel like any other (stream.external snapshot, with `dueAt` the production time).
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const rxApi = ns.pushrx;
  const MODE = "push"; // app/contract.py strategy_mode("server-push")
  const panels = new Map(); // graphId → panel state
  let capable = null;

  /** Does this page's server run websocket callbacks (the FastAPI push server)? Read from Dash's own config. */
  function pushCapable() {
    if (capable === null) {
      try {
        const el = root.document.getElementById("_dash-config");
        capable = Boolean(el && JSON.parse(el.textContent).websocket);
      } catch (err) {
        capable = false;
      }
    }
    return capable;
  }

  /** Decode one channel of a message: base64url little-endian float32. */
  function decode(text) {
    return ns.codec.float32FromBytes(ns.codec.decodeBase64Url(String(text)));
  }

  /** An element id of this panel: graph id "server-push-graph" → "server-push-<part>" (app/ids.py panel). */
  function partId(graphId, part) {
    return graphId.replace(/-graph$/, `-${part}`);
  }

  /** The state of a push panel, created on first use. */
  function panelFor(graphId) {
    let p = panels.get(graphId);
    if (!p) {
      const cfg = (ns.stream.tab.config && ns.stream.tab.config.push) || {};
      p = {
        graphId,
        rx: rxApi.createReceiver({ cap: cfg.queue, playoutMaxMs: cfg.playoutMaxMs, version: cfg.version }),
        view: null,
        epoch: 0,
        busy: false,
        chain: Promise.resolve(),
        draws: 0,
        drawnAt: null,
        lo: null,
        hi: null,
        dueAt: null,
        lastDrawMs: null,
        errors: 0,
        anchor: null,
        speed: null,
        wasActive: false,
        activeSince: null,
        attempt: 0,
        nextProdAt: null,
        prods: 0,
        control: "",
      };
      panels.set(graphId, p);
    }
    return p;
  }

  /** The panel's view store → an empty figure for its channels (typed arrays, extended from then on). */
  ns.pushView = function (view, graphId) {
    if (!view || !ns.stream.hasClock()) throw dc.PreventUpdate;
    const p = panelFor(graphId);
    ns.stream.configure(graphId, MODE, view); // records the view for the HUD (the engine hands out no figure)
    p.view = Object.assign({}, view);
    p.epoch += 1;
    p.busy = false;
    rxApi.resetView(p.rx, view.channels);
    const config = ns.stream.tab.config;
    const names = config.names;
    const data = view.channels.map((c) => ({
      type: view.trace,
      mode: "lines",
      name: names[c],
      line: { width: 1 },
      x: new Float64Array(0),
      y: new Float32Array(0),
    }));
    return { data, layout: ns.figure.layout(config, view.channels, p.epoch) };
  };

  /**
   * The data Stores (lanes: message seq % lanes, so two messages Dash applies in one update both arrive) → the
   * receiver, in sequence order; a lane that did not change holds a message already applied ("stale").
   * Nothing else: drawing happens in the engine's frame. Arguments: the lanes' data…, then the graph id.
   */
  ns.pushData = function (...args) {
    const graphId = args.pop();
    const p = panelFor(graphId);
    const now = Date.now();
    const msgs = args.filter((m) => m && typeof m === "object").sort((a, b) => a.run - b.run || a.seq - b.seq);
    for (const msg of msgs) {
      const result = rxApi.accept(p.rx, msg, now, decode);
      if (result !== "invalid" && result !== "stale") p.attempt = 0; // heard from the current stream: back-off over
    }
  };

  /** Is the engine showing this panel, with a clock that plays? */
  function streaming(graphId) {
    const snap = ns.stream.tab.streams.get(graphId);
    const clock = ns.stream.tab.clock;
    return Boolean(snap && snap.active && clock && clock.playing);
  }

  /** One frame: draw what is due on every shown push panel (one extendTraces in flight per graph). */
  function frame() {
    panels.forEach((p) => {
      if (p.busy || !p.view || !streaming(p.graphId)) return;
      const gd = ns.stream.findGraphDiv(p.graphId);
      const meta = gd && gd.layout && gd.layout.meta;
      if (!meta || meta.tickless_epoch !== p.epoch) return;
      const batch = rxApi.take(p.rx, Date.now());
      if (!batch || !p.view.channels.length) return;
      const held = gd.data && gd.data.length ? Math.min(...gd.data.map((t) => (t.x ? t.x.length : 0))) : 0;
      const added = batch.to - batch.from;
      const update = { x: batch.y.map(() => batch.x.slice()), y: batch.y };
      const indices = batch.y.map((_, k) => k);
      const maxPoints = ns.frames.maxPoints(held, added, p.view.window);
      const epoch = p.epoch;
      p.busy = true;
      p.chain = p.chain
        .then(() => {
          if (!gd.isConnected || p.epoch !== epoch) return null;
          const t0 = performance.now();
          return Promise.resolve(root.Plotly.extendTraces(gd, update, indices, maxPoints)).then(() => {
            p.lastDrawMs = performance.now() - t0;
            p.draws += 1;
            p.drawnAt = performance.now();
            p.hi = batch.to;
            p.lo = Math.max(0, batch.to - p.view.window);
            p.dueAt = batch.oldest - performance.timeOrigin;
          });
        })
        .catch((err) => {
          p.errors += 1;
          console.warn("tickless push extendTraces:", err); // eslint-disable-line no-console
        })
        .then(() => {
          if (p.epoch === epoch) p.busy = false;
        });
    });
  }

  /** What the engine's probe and HUD read (stream.external): the panel's last draw, or null before one. */
  function snapshot(graphId) {
    const p = panels.get(graphId);
    if (!p || p.hi === null) return null;
    const gd = ns.stream.findGraphDiv(graphId);
    const points = gd && gd.data ? gd.data.reduce((sum, t) => sum + (t.x ? t.x.length : 0), 0) : 0;
    return { draws: p.draws, drawnAt: p.drawnAt, lo: p.lo, hi: p.hi, lastDrawMs: p.lastDrawMs, points, bucket: 1, dueAt: p.dueAt };
  }

  /** The control store's value: what the tab wants (channels, speed, clock anchor, from) and has applied. */
  function controlOf(p, active) {
    const clock = ns.stream.tab.clock;
    const speed = clock ? clock.speed : 1;
    const from = p.rx.end === null ? 0 : p.rx.end;
    if (active && (!p.wasActive || p.speed !== speed || !p.anchor)) {
      p.anchor = { pos: from, t: Date.now() }; // (re)start here: a pause or a new speed never counts as lost
      p.speed = speed;
    }
    return {
      v: p.rx.version,
      active,
      channels: p.view ? p.view.channels : [],
      speed,
      anchor: p.anchor,
      from,
      run: p.rx.run,
      seq: p.rx.seq,
    };
  }

  /** The HUD line for the socket: live, paused, silent (and when the tab asks again), or no push server. */
  function linkText(p, active, now) {
    if (!pushCapable()) {
      // this page's server has no websocket callbacks: push runs on the push server (make run: PORT + offset)
      const port = Number(root.location.port || (root.location.protocol === "https:" ? 443 : 80));
      return `on the push server: port ${port + ((ns.stream.tab.config.push || {}).portOffset || 1)}`;
    }
    if (!active) return "paused";
    const heard = p.rx.lastHeard;
    const again = p.rx.reconnects ? ` · reconnected ×${p.rx.reconnects}` : "";
    const watchdogMs = ns.stream.tab.config.push.watchdogMs;
    if (heard !== null && heard >= p.activeSince && now - heard < watchdogMs) return `live${again}`;
    // silent since the last message, or since the tab asked again (a pause is not silence: the stream it had
    // may have ended, and Dash may have closed the idle socket, meanwhile)
    const since = heard === null ? p.activeSince : Math.max(heard, p.activeSince);
    if (now - since < watchdogMs) return `waiting for data${again}`;
    const silent = Math.round((now - since) / 1000);
    const wait = p.nextProdAt === null ? "" : `, asking again in ${Math.max(0, Math.ceil((p.nextProdAt - now) / 1000))} s`;
    return `no data for ${silent} s: reconnecting${wait}`;
  }

  /** Slow lane: control store, watchdog, HUD fields. */
  function tick() {
    const cfg = ns.stream.tab.config && ns.stream.tab.config.push;
    if (!cfg) return;
    const now = Date.now();
    panels.forEach((p) => {
      const active = pushCapable() && streaming(p.graphId) && Boolean(p.view) && p.view.channels.length > 0;
      if (active && !p.wasActive) {
        p.activeSince = now;
        p.attempt = 0;
        p.nextProdAt = null;
      }
      const control = controlOf(p, active);
      p.wasActive = active;
      const text = JSON.stringify(control);
      if (text !== p.control && dc.set_props) {
        p.control = text;
        dc.set_props(partId(p.graphId, "control"), { data: control });
      }
      if (active) watchdog(p, cfg, now);
      const doc = root.document;
      const dropped = doc.getElementById(partId(p.graphId, "dropped"));
      if (dropped) ns.hud.writeText(dropped, p.rx.dropped.toLocaleString("en-US"));
      const link = doc.getElementById(partId(p.graphId, "link"));
      if (link) ns.hud.writeText(link, linkText(p, active, now));
    });
  }

  /** No message for watchdogMs (then longer, backing off): ask for a new stream through the prod store. */
  function watchdog(p, cfg, now) {
    const heard = p.rx.lastHeard === null ? p.activeSince : Math.max(p.rx.lastHeard, p.activeSince);
    if (now - heard < cfg.watchdogMs) {
      p.nextProdAt = null;
      return;
    }
    if (p.nextProdAt === null) p.nextProdAt = heard + cfg.watchdogMs;
    if (now < p.nextProdAt) return;
    p.prods += 1;
    dc.set_props(partId(p.graphId, "prod"), { data: { n: p.prods, t: now } });
    p.nextProdAt = now + rxApi.backoff(p.attempt, cfg.watchdogMs, cfg.backoffCapMs);
    p.attempt += 1;
  }

  /** Figures for tests and benchmarks: the receiver's counters and the panel's draws. */
  function state(graphId) {
    const p = panels.get(graphId);
    if (!p) return null;
    const rx = p.rx;
    return {
      run: rx.run,
      seq: rx.seq,
      end: rx.end,
      drawnEnd: rx.drawnEnd,
      pending: rx.pendingN,
      dropped: rx.dropped,
      duplicates: rx.duplicates,
      reconnects: rx.reconnects,
      handovers: rx.handovers,
      serverDropped: rx.serverDropped,
      messages: rx.messages,
      playout: rx.playout,
      lastHeard: rx.lastHeard,
      draws: p.draws,
      prods: p.prods,
      errors: p.errors,
      capable: pushCapable(),
      epoch: p.epoch,
    };
  }

  ns.stream.external(MODE, { snapshot });
  ns.stream.every(0, frame);
  ns.stream.every(100, tick);
  ns.push = { state, snapshot, pushCapable };
})(window);
