/**
 * The sampled bridge, browser side (wired from app/bridge.py): every N ms a clientside callback reads the
 * tab's JS state (playhead, view, frames/s, new clicks) and, only when something changed, hands it to
 * Python: as a JSON string in the hidden div's data-bridge attribute, or as an object in a dcc.Store via
 * dash_clientside.set_props. Server calls are bounded by the sample period, whatever the frame rate.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  // wire: the payload's version and caps from the config store (config.bridge), kept when the period is configured
  const bridge = { seq: 0, lastKey: null, clicks: [], clickTotal: 0, wire: null };

  /** Interval period and on/off from the period control (0 = off); bad values change nothing. */
  ns.bridgeConfigure = function (period, config) {
    if (!config) throw dc.PreventUpdate;
    bridge.wire = config.bridge;
    if (period === 0) return [dc.no_update, true];
    const [lo, hi] = config.limits.bridge;
    if (!(Number.isInteger(period) && period >= lo && period <= hi)) throw dc.PreventUpdate;
    return [period, false];
  };

  /** Queue clicked points ({channel, x, y} from plotly_click, via 78_interact.js) for the next sample (the newest maxClicks). */
  function addClick(channel, x, y) {
    if (channel < 0 || !Number.isFinite(x) || !Number.isFinite(y)) return;
    bridge.clicks.push({ channel, x, y, t: Date.now() });
    bridge.clickTotal += 1;
    if (bridge.wire) bridge.clicks = bridge.clicks.slice(-bridge.wire.maxClicks);
  }

  /** Highest frames/s among the visible panels (what the chart renders at). */
  function visibleFps(now) {
    let best = 0;
    ns.stream.tab.streams.forEach((s) => {
      if (s.active) best = Math.max(best, ns.metrics.rate(s.fps, now));
    });
    return best;
  }

  /** The current sample in the wire format config.bridge.version names (see app/bridge_schema.py), without seq. */
  function current() {
    const tab = ns.stream.tab;
    const view = ns.controls.view;
    const now = performance.now();
    return {
      v: bridge.wire.version,
      t: Date.now(),
      head: ns.clock.dueEnd(tab.clock, now),
      window: view.window,
      channels: view.channels.map((n) => tab.dataset.names.indexOf(n)).filter((i) => i >= 0),
      playing: tab.clock.playing,
      speed: tab.clock.speed,
      fps: Math.round(visibleFps(now) * 10) / 10,
      clicks: bridge.clicks.slice(),
      events: ns.inspector ? ns.inspector.counts() : {},
    };
  }

  /** Interval tick → data-bridge JSON (div transport) or set_props on the store; no_update if unchanged. */
  ns.bridgeSample = function (_n, via, storeId) {
    const tab = ns.stream.tab;
    if (!tab.clock || !ns.controls.view || !bridge.wire) throw dc.PreventUpdate;
    const sample = current();
    const key = JSON.stringify([sample.head, sample.window, sample.channels, sample.playing, sample.speed,
      bridge.clickTotal, sample.events]); // a click count, not the queue: sending clears the queue
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
  };

  bridge.addClick = addClick;
  ns.bridge = bridge;
})(window);
