/**
 * gate: a server panel never has two requests in flight (plotly/dash #1613). Its dcc.Interval's ticks go
 * through a clientside callback (`gateTick`, wired from app/strategies/gate.py) that writes the panel's request
 * store, the Input of the panel's Python callback, only when the panel has nothing in flight; otherwise it
 * counts a skipped tick. 40_metrics.js's fetch wrapper says when a request goes out and when the page is done
 * with it: a 200 once the renderer has read its body (the renderer applies the outputs, the cursor included,
 * before any later tick can run), any other status when it arrives. A reply that fails leaves the cursor
 * where it was, so the next tick asks again from there; a request nobody hears back from within `giveUpMs`
 * stops holding the panel (the renderer drops a superseded reply, so giving up cannot duplicate samples).
 * Each panel shows how far its newest drawn sample is behind the clock (its "behind" element, snapshot()).
 * While the server is unreachable or the tab hidden (44_link.js) every tick is held (counted, never sent) and
 * the panel says it is reconnecting; the first tick after the link is back asks from the panel's cursor, and
 * the server replies with at most a window from the live edge, so nothing is replayed in a burst.
 * The bookkeeping is pure functions over a tracker object; they run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(ns && ns.clock ? ns.clock : typeof require === "function" ? require("./20_clock.js") : null);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "gate", function (clk) {
  "use strict";

  /** A tracker of this tab's callback requests in flight and of each gated panel's counts. */
  function createTracker() {
    return { flights: new Map(), panels: new Map() };
  }

  /** A gated panel's record (created on first use): the needle finds its requests by their outputs. */
  function panel(tracker, graphId) {
    let p = tracker.panels.get(graphId);
    if (!p) {
      p = {
        graphId,
        needle: `${graphId}.`,
        awaiting: null, // when the gate let a tick through whose request has not gone out yet
        ticks: 0,
        admitted: 0,
        skipped: 0,
        replies: 0,
        failed: 0,
        abandoned: 0,
        held: 0, // ticks held because the server was unreachable or the tab hidden (44_link.js)
        maxInFlight: 0,
        lastRttMs: null,
      };
      tracker.panels.set(graphId, p);
    }
    return p;
  }

  /** Requests of this panel in flight now. */
  function inFlight(tracker, p) {
    let n = 0;
    tracker.flights.forEach((f) => {
      if (f.output.indexOf(p.needle) !== -1) n += 1;
    });
    return n;
  }

  /** Forget requests older than `giveUpMs` (counted as abandoned by the panels they belong to). */
  function expire(tracker, now, giveUpMs) {
    tracker.flights.forEach((f, id) => {
      if (now - f.sentAt <= giveUpMs) return;
      tracker.flights.delete(id);
      tracker.panels.forEach((p) => {
        if (f.output.indexOf(p.needle) !== -1) p.abandoned += 1;
      });
    });
  }

  /** A request event from 40_metrics.js (`{phase: "sent" | "done", output, id, status}`) at time `now`. */
  function observe(tracker, event, now) {
    if (event.phase === "sent") {
      tracker.flights.set(event.id, { output: event.output, sentAt: now });
      tracker.panels.forEach((p) => {
        if (event.output.indexOf(p.needle) === -1) return;
        p.awaiting = null;
        p.maxInFlight = Math.max(p.maxInFlight, inFlight(tracker, p));
      });
      return;
    }
    const f = tracker.flights.get(event.id);
    if (!f) return;
    tracker.flights.delete(event.id);
    tracker.panels.forEach((p) => {
      if (f.output.indexOf(p.needle) === -1) return;
      p.lastRttMs = now - f.sentAt;
      if (event.status === 200 || event.status === 204) p.replies += 1;
      else p.failed += 1;
    });
  }

  /**
   * One tick of a panel's Interval at `now`: true when a request may go out (the panel has none in flight,
   * and no tick let through earlier is still waiting to go out), else false and the tick is counted skipped.
   */
  function admit(tracker, graphId, now, giveUpMs) {
    const p = panel(tracker, graphId);
    p.ticks += 1;
    expire(tracker, now, giveUpMs);
    if (p.awaiting !== null && now - p.awaiting > giveUpMs) {
      p.awaiting = null; // the renderer never sent it
      p.abandoned += 1;
    }
    if (p.awaiting !== null || inFlight(tracker, p) > 0) {
      p.skipped += 1;
      return false;
    }
    p.awaiting = now;
    p.admitted += 1;
    return true;
  }

  /**
   * A tick of a panel's Interval that the page's link holds (server unreachable, tab hidden): counted, never
   * sent. A tick let through earlier that never went out stops holding the panel.
   */
  function hold(tracker, graphId) {
    const p = panel(tracker, graphId);
    p.ticks += 1;
    p.held += 1;
    p.awaiting = null;
    return false;
  }

  /**
   * How long ago (ms, at epoch-ms `nowMs`) sample `newest` came due on the tab clock whose anchor the clock
   * store holds ({pos, t (epoch ms), speed, playing}); null when unknown or paused.
   */
  function lagMs(anchor, rate, newest, nowMs) {
    if (!anchor || !anchor.playing || !(rate > 0) || !Number.isFinite(newest)) return null;
    const c = clk.createClock({ rate, start: anchor.pos, speed: anchor.speed, playing: true, now: anchor.t });
    return Math.max(0, nowMs - clk.dueTime(c, newest));
  }

  /** Is a panel late: its newest drawn sample came due more than three tick periods ago? */
  function isLate(lag, periodMs) {
    return lag !== null && lag > 3 * periodMs;
  }

  /** The text of a panel's "behind" element. */
  function behindText(lag, p) {
    const shown = lag === null ? "–" : lag < 1000 ? `${Math.round(lag)} ms` : `${(lag / 1000).toFixed(1)} s`;
    return p.skipped ? `${shown} · ${p.skipped.toLocaleString("en-US")} ticks skipped` : shown;
  }

  /** A panel's figures, for tests and benchmarks. */
  function figures(tracker, graphId) {
    const p = tracker.panels.get(graphId);
    if (!p) return null;
    const out = Object.assign({}, p, { inFlight: inFlight(tracker, p) });
    delete out.needle;
    return out;
  }

  const api = { createTracker, panel, inFlight, expire, observe, admit, hold, lagMs, isLate, behindText, figures };
  const ns = typeof window !== "undefined" && window.dash_clientside && window.dash_clientside.tickless;
  if (!ns || !ns.metrics || !ns.stream) return api;

  // --- the browser glue -------------------------------------------------------------------------------
  const dc = window.dash_clientside;
  const tracker = createTracker();
  const lag = new Map(); // graphId → the latest lag (ms) the gate measured
  ns.metrics.onUpdate((event) => observe(tracker, event, performance.now()));

  /** The index of the newest sample a plotly graph shows, or NaN when it shows none. */
  function newestDrawn(graphId, rate) {
    const gd = ns.stream.findGraphDiv(graphId);
    const x = gd && gd.data && gd.data[0] && gd.data[0].x;
    return x && x.length ? Math.round(x[x.length - 1] * rate) : NaN;
  }

  /** Write a panel's "behind" element (only when its text changes). */
  function show(behindId, text, late) {
    const el = document.getElementById(behindId);
    if (!el) return;
    if (el.textContent !== text) el.textContent = text;
    if (el.classList.contains("late") !== late) el.classList.toggle("late", late);
  }

  /**
   * Clientside callback: a server panel's Interval ticked. Returns the number of requests this panel has
   * let through (the request store's new value, which fires its Python callback), or PreventUpdate while a
   * request is in flight. Shows how far behind the panel's newest drawn sample is.
   */
  api.tick = function (_n, graphId, behindId, periodMs, anchor, payload, config) {
    const giveUpMs = (config && config.gate && config.gate.giveUpMs) || 10000;
    const p = panel(tracker, graphId);
    const link = ns.link;
    if (link && link.configure) link.configure(config);
    if (link && link.ok && !link.ok()) {
      // server unreachable or tab hidden: hold (no retry storm); the link's probe says when to go on
      hold(tracker, graphId);
      show(behindId, link.panelText(link.state), !link.state.up);
      throw dc.PreventUpdate;
    }
    const go = admit(tracker, graphId, performance.now(), giveUpMs);
    const rate = payload && payload.rate;
    const behind = lagMs(anchor, rate, newestDrawn(graphId, rate), Date.now());
    lag.set(graphId, behind);
    show(behindId, behindText(behind, p), isLate(behind, periodMs || 100));
    if (!go) throw dc.PreventUpdate;
    return p.admitted;
  };

  /** A panel's gate figures and its latest lag, or null before its first tick. */
  api.snapshot = function (graphId) {
    const out = figures(tracker, graphId);
    if (out) out.lagMs = lag.has(graphId) ? lag.get(graphId) : null;
    return out;
  };

  api.tracker = tracker;
  ns.gateTick = api.tick; // ClientsideFunction("tickless", "gateTick")
  return api;
});
