/**
 * The sampled bridge, browser side (wired from app/bridge.py): every N ms the sampler reads the tab's JS state
 * (playhead, view, frames/s, new clicks) and, only when something changed, hands it to Python with
 * dash_clientside.set_props: as a JSON string in the hidden div's data-bridge attribute, or as an object in a
 * dcc.Store, as the transport radio says. Server calls are bounded by the sample period, whatever the frame
 * rate, and none go out while the server is unreachable or the tab hidden (44_link.js).
 *
 * The sampler is a timer of its own, not a dcc.Interval: each Interval tick was a renderer pass (its
 * n_intervals) and a clientside callback run through the renderer's callback pipeline before the sample was
 * even taken, a second's worth of Dash work landing on a drawing frame. bridgeConfigure (a clientside callback
 * with no outputs, on the period control) starts it, and the sample is taken in the task after an animation
 * frame, once that frame's draw is done.
 *
 * The engine's state comes from ns.stream.bridgeState() (passed, not read from its globals); the payload and
 * its change key are pure functions (node --test): bridgePayload, sampleKey, queueClick.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) {
    ns[name] = api;
    ns.bridgeConfigure = api.bridgeConfigure;
    ns.bridgeApply = api.bridgeApply;
  }
})(typeof window !== "undefined" ? window : globalThis, "bridge", function (root) {
  "use strict";
  // wire: the payload's version and caps from the config store (config.bridge), kept when the period is configured
  // runs: times the sampler ran (sent or not); period: its period in ms (0 = off)
  const bridge = { seq: 0, lastKey: null, clicks: [], clickTotal: 0, wire: null, held: 0, waited: 0, ids: null, tracker: null, runs: 0, period: 0 };
  const timer = { handle: null, gen: 0, nextAt: 0 };

  /** The dash_clientside object (no_update, PreventUpdate, set_props), looked up when a callback runs. */
  function dash() {
    return root.dash_clientside || {};
  }

  /**
   * The sample in the wire format `wire.version` names (see app/bridge_schema.py), without seq: the engine's
   * `state` ({head, window, channels, playing, speed, fps}, 50_stream.js bridgeState), the clicks queued
   * since the last sample, the inspector's event counts, and the time `t` (epoch ms).
   */
  function bridgePayload(state, clicks, events, wire, t) {
    return {
      v: wire.version,
      t,
      head: state.head,
      window: state.window,
      channels: state.channels.slice(),
      playing: state.playing,
      speed: state.speed,
      fps: Math.round(state.fps * 10) / 10,
      clicks: clicks.slice(),
      events: Object.assign({}, events),
    };
  }

  /**
   * What must change for a sample to be sent: everything but the time and the frame rate (a paused tab sends
   * nothing however often it is sampled). A click count, not the queue: sending clears the queue.
   */
  function sampleKey(sample, clickTotal) {
    return JSON.stringify([sample.head, sample.window, sample.channels, sample.playing, sample.speed, clickTotal, sample.events]);
  }

  /** The click queue with {channel, x, y, t} added, keeping the newest `max`; unchanged for a bad click. */
  function queueClick(queue, channel, x, y, t, max) {
    if (!(channel >= 0) || !Number.isFinite(x) || !Number.isFinite(y)) return queue;
    return queue.concat([{ channel, x, y, t }]).slice(-max);
  }

  /**
   * The period control (0 = off) → the sampler's period (a clientside callback with no outputs); a value out of
   * range or not an integer changes nothing (the router has already named it on the page).
   */
  function bridgeConfigure(period, config) {
    const dc = dash();
    if (!config) throw dc.PreventUpdate;
    bridge.wire = config.bridge;
    bridge.ids = config.ids;
    // Python's replies land on the hidden result div; the view observes it (76_bridge_view.js)
    if (dc.tickless && dc.tickless.bridgeView && root.document) dc.tickless.bridgeView.watch(root.document, config.ids, root.MutationObserver);
    bridge.giveUpMs = (config.gate && config.gate.giveUpMs) || 10000;
    if (dc.tickless && dc.tickless.link && dc.tickless.link.configure) dc.tickless.link.configure(config);
    if (period === 0) {
      startSampler(0);
      return;
    }
    const [lo, hi] = config.limits.bridge;
    if (!(Number.isInteger(period) && period >= lo && period <= hi)) return;
    startSampler(period);
  }

  /** (Re)start the sampler every `period` ms (0 stops it), the first sample one period from now. */
  function startSampler(period) {
    if (timer.handle !== null) clearTimeout(timer.handle);
    timer.handle = null;
    timer.gen += 1;
    bridge.period = period;
    if (!(period > 0) || typeof root.setTimeout !== "function") return;
    timer.nextAt = performance.now() + period;
    arm(timer.gen);
  }

  /**
   * Wait for the next sample time, then for an animation frame, and sample in the task after it (once that
   * frame is drawn). Times keep to the period's grid (no drift); a tab that fell a period behind (hidden: no
   * animation frames) starts a new grid one period from now rather than catching up.
   */
  function arm(gen) {
    const now = performance.now();
    if (timer.nextAt <= now) timer.nextAt = now + bridge.period;
    timer.handle = root.setTimeout(() => {
      timer.handle = null;
      if (gen !== timer.gen) return;
      const afterFrame = () =>
        root.setTimeout(() => {
          if (gen !== timer.gen) return;
          timer.nextAt += bridge.period;
          arm(gen);
          sampleNow();
        }, 0);
      if (typeof root.requestAnimationFrame === "function") root.requestAnimationFrame(afterFrame);
      else afterFrame();
    }, Math.max(0, timer.nextAt - now));
  }

  /** The transport the radio shows ("div" or "store"), read from the renderer's layout; "div" when unknown. */
  function transport() {
    const api = root.dash_component_api;
    const id = bridge.ids && bridge.ids.bridgeVia;
    const component = api && typeof api.getLayout === "function" && id ? api.getLayout(id) : null;
    const via = component && component.props ? component.props.value : null;
    return via === "store" ? "store" : "div";
  }

  /** One run of the sampler: a sample when something changed, set on the transport's component. */
  function sampleNow() {
    const dc = dash();
    bridge.runs += 1;
    const payload = take();
    if (!payload || typeof dc.set_props !== "function" || !bridge.ids) return;
    if (transport() === "store") dc.set_props(bridge.ids.bridgeStore, { data: payload });
    else dc.set_props(bridge.ids.bridgeSample, { "data-bridge": JSON.stringify(payload) });
  }

  /**
   * The sample to send now ({seq, ...payload}), or null: nothing sampled yet, the server unreachable or the
   * tab hidden (held), another bridge call in flight (waited), or nothing changed since the last one sent.
   */
  function take() {
    const tl = dash().tickless;
    const state = tl && tl.stream ? tl.stream.bridgeState(performance.now()) : null;
    if (!state || !bridge.wire) return null;
    // server unreachable or tab hidden (44_link.js): send nothing; the next sample after it is back carries
    // the clicks queued meanwhile
    if (tl.link && tl.link.ok && !tl.link.ok()) {
      bridge.held += 1;
      return null;
    }
    // one bridge call in flight (62_gate.js bookkeeping): a sample sent while another call, e.g. "Apply
    // thresholds", is pending would supersede it and the renderer would drop its reply and the state it carries
    if (!admitted(tl, performance.now())) {
      bridge.waited += 1;
      return null;
    }
    const events = tl.inspector ? tl.inspector.counts() : {};
    const sample = bridgePayload(state, bridge.clicks, events, bridge.wire, Date.now());
    const key = sampleKey(sample, bridge.clickTotal);
    if (key === bridge.lastKey) return null; // nothing changed: no server call
    bridge.lastKey = key;
    bridge.seq += 1;
    bridge.clicks = [];
    return Object.assign({ seq: bridge.seq }, sample);
  }

  /** Queue a clicked point ({channel, x, y} from plotly_click, via 78_interact.js) for the next sample. */
  function addClick(channel, x, y) {
    const max = bridge.wire ? bridge.wire.maxClicks : Infinity;
    const before = bridge.clicks;
    bridge.clicks = queueClick(bridge.clicks, channel, x, y, Date.now(), max);
    if (bridge.clicks !== before) bridge.clickTotal += 1;
  }

  /**
   * May a bridge call go out now (none in flight)? The gate's tracker hears this tab's requests; the bridge's
   * are the ones whose outputs name its state store (config.ids.bridgeState).
   */
  function admitted(tl, now) {
    if (!tl.gate || !tl.metrics || !bridge.ids) return true;
    if (!bridge.tracker) {
      bridge.tracker = tl.gate.createTracker();
      tl.metrics.onUpdate((event) => tl.gate.observe(bridge.tracker, event, performance.now()));
    }
    const p = tl.gate.panel(bridge.tracker, bridge.ids.bridgeState);
    if (tl.gate.inFlight(bridge.tracker, p) > 0) {
      tl.gate.expire(bridge.tracker, now, bridge.giveUpMs);
      return tl.gate.inFlight(bridge.tracker, p) === 0;
    }
    return true;
  }

  /**
   * Apply button → {n, levels}: the threshold boxes' values, in channel order, for Python (app/bridge.py reads
   * them as one Input, not every box as State on every sample).
   */
  function bridgeApply(n, values) {
    return { n, levels: Array.isArray(values) ? values.slice() : [] };
  }

  return Object.assign(bridge, { bridgePayload, sampleKey, queueClick, bridgeConfigure, addClick, bridgeApply, take, transport });
});
