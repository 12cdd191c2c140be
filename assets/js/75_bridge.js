/**
 * The sampled bridge, browser side (wired from app/bridge.py): every N ms a clientside callback reads the
 * tab's JS state (playhead, view, frames/s, new clicks) and, only when something changed, hands it to
 * Python: as a JSON string in the hidden div's data-bridge attribute, or as an object in a dcc.Store via
 * dash_clientside.set_props. Server calls are bounded by the sample period, whatever the frame rate, and none
 * go out while the server is unreachable or the tab hidden (44_link.js).
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
    ns.bridgeSample = api.bridgeSample;
    ns.bridgeApply = api.bridgeApply;
  }
})(typeof window !== "undefined" ? window : globalThis, "bridge", function (root) {
  "use strict";
  // wire: the payload's version and caps from the config store (config.bridge), kept when the period is configured
  const bridge = { seq: 0, lastKey: null, clicks: [], clickTotal: 0, wire: null, held: 0, waited: 0, ids: null, tracker: null };

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

  /** Interval period and on/off from the period control (0 = off); bad values change nothing. */
  function bridgeConfigure(period, config) {
    const dc = dash();
    if (!config) throw dc.PreventUpdate;
    bridge.wire = config.bridge;
    bridge.ids = config.ids;
    bridge.giveUpMs = (config.gate && config.gate.giveUpMs) || 10000;
    if (dc.tickless && dc.tickless.link && dc.tickless.link.configure) dc.tickless.link.configure(config);
    if (period === 0) return [dc.no_update, true];
    const [lo, hi] = config.limits.bridge;
    if (!(Number.isInteger(period) && period >= lo && period <= hi)) throw dc.PreventUpdate;
    return [period, false];
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

  /** Interval tick → data-bridge JSON (div transport) or set_props on the store; no_update if unchanged. */
  function bridgeSample(_n, via, storeId) {
    const dc = dash();
    const tl = dc.tickless;
    const state = tl && tl.stream ? tl.stream.bridgeState(performance.now()) : null;
    if (!state || !bridge.wire) throw dc.PreventUpdate;
    // server unreachable or tab hidden (44_link.js): send nothing; the next sample after it is back carries
    // the clicks queued meanwhile
    if (tl.link && tl.link.ok && !tl.link.ok()) {
      bridge.held += 1;
      return dc.no_update;
    }
    // one bridge call in flight (62_gate.js bookkeeping): a sample sent while another call, e.g. "Apply
    // thresholds", is pending would supersede it and the renderer would drop its reply and the state it carries
    if (!admitted(tl, performance.now())) {
      bridge.waited += 1;
      return dc.no_update;
    }
    const events = tl.inspector ? tl.inspector.counts() : {};
    const sample = bridgePayload(state, bridge.clicks, events, bridge.wire, Date.now());
    const key = sampleKey(sample, bridge.clickTotal);
    if (key === bridge.lastKey) return dc.no_update; // nothing changed: no server call
    bridge.lastKey = key;
    bridge.seq += 1;
    bridge.clicks = [];
    const payload = Object.assign({ seq: bridge.seq }, sample);
    if (via === "store") {
      dc.set_props(storeId, { data: payload });
      return dc.no_update;
    }
    return JSON.stringify(payload);
  }

  /**
   * Apply button → {n, levels}: the threshold boxes' values, in channel order, for Python (app/bridge.py reads
   * them as one Input, not every box as State on every sample).
   */
  function bridgeApply(n, values) {
    return { n, levels: Array.isArray(values) ? values.slice() : [] };
  }

  return Object.assign(bridge, { bridgePayload, sampleKey, queueClick, bridgeConfigure, bridgeSample, addClick, bridgeApply });
});
