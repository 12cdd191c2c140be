/**
 * link: is the server reachable, and is the tab shown? One answer for every part of the page that talks to the
 * server (the tick gate of server panels, 62_gate.js, and the bridge sampler, 75_bridge.js).
 *
 * The fetch wrapper (40_metrics.js) reports how each callback request ended: no answer at all (status 0: the
 * connection was refused or reset, e.g. a worker killed mid-request or the server stopped) or 502/503/504 (a
 * proxy in front says the app is gone) marks the server unreachable; any other answer marks it reachable.
 * While unreachable, callers hold their requests (no retry storm: nothing but this module's probe goes out) and
 * one probe, GET config.link.path (a 204 from app/link.py), asks whether the server is back after a back-off:
 * baseMs doubling up to capMs, each wait between half and all of its step (jitter, so many tabs do not
 * return in step). The first answer makes the link up again and the callers resume by themselves.
 *
 * The Page Visibility API: while the tab is hidden callers hold their requests too (a hidden chart draws
 * nothing: requestAnimationFrame stops), and when it is shown again they ask once from where they are, at the
 * live edge, instead of replaying what they missed.
 *
 * The bookkeeping is pure functions over a plain object; they run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "link", function () {
  "use strict";

  /** Statuses that mean "the server did not answer" (0: no reply at all; 502-504: a proxy's gateway errors). */
  const UNREACHABLE = new Set([0, 502, 503, 504]);

  /** A link that is up, at `now` (ms), with back-off steps `baseMs` … `capMs`. */
  function createLink({ baseMs = 250, capMs = 1000, now = 0 } = {}) {
    return {
      baseMs,
      capMs,
      up: true,
      hidden: false,
      failures: 0, // consecutive failed requests and probes since the link was last up
      downSince: null,
      nextProbeAt: null,
      probing: false,
      probes: 0, // probes sent, in all
      outages: 0, // outages that ended
      lastOutageMs: null,
      upSince: now,
      hiddenSince: null,
      hiddenMs: 0, // time spent hidden, in all
      shown: 0, // times the tab was shown again after being hidden
    };
  }

  /** Does this status say the server did not answer? */
  function unreachable(status) {
    return UNREACHABLE.has(Number(status) || 0);
  }

  /** The wait before probe number `failures` (1, 2, …): the step baseMs·2^(failures-1) ≤ capMs, jittered into [step/2, step]. */
  function backoff(link, failures, random) {
    const step = Math.min(link.capMs, link.baseMs * 2 ** Math.max(0, Math.min(30, failures - 1)));
    return step / 2 + (random * step) / 2;
  }

  /** A request or probe got no answer at `now`: the link is down and the next probe is scheduled. */
  function failed(link, now, random = Math.random()) {
    if (link.up) {
      link.up = false;
      link.downSince = now;
    }
    link.failures += 1;
    link.nextProbeAt = now + backoff(link, link.failures, random);
    return link;
  }

  /**
   * The server answered at `now`: the link is up (an outage that ends is counted with its length). An answer
   * to a request sent at `sentAt`, before the outage began, says nothing of now (a server stopping gracefully
   * still answers the requests it holds while it refuses new ones) and leaves the outage going.
   */
  function answered(link, now, sentAt) {
    if (!link.up && sentAt !== undefined && sentAt !== null && sentAt < link.downSince) return link;
    if (!link.up) {
      link.up = true;
      link.outages += 1;
      link.lastOutageMs = now - link.downSince;
      link.upSince = now;
      link.downSince = null;
    }
    link.failures = 0;
    link.nextProbeAt = null;
    return link;
  }

  /** A request sent at `sentAt` ended with `status` at `now` (the fetch wrapper's "done" event). */
  function observe(link, status, now, random, sentAt) {
    return unreachable(status) ? failed(link, now, random) : answered(link, now, sentAt);
  }

  /** The tab was hidden or shown at `now`. */
  function setHidden(link, hidden, now) {
    hidden = Boolean(hidden);
    if (hidden === link.hidden) return link;
    link.hidden = hidden;
    if (hidden) link.hiddenSince = now;
    else {
      link.hiddenMs += now - link.hiddenSince;
      link.hiddenSince = null;
      link.shown += 1;
    }
    return link;
  }

  /** May a caller send a request now? (The server is reachable and the tab is shown.) */
  function allows(link) {
    return link.up && !link.hidden;
  }

  /** Is a probe due at `now`? */
  function probeDue(link, now) {
    return !link.up && !link.probing && link.nextProbeAt !== null && now >= link.nextProbeAt;
  }

  /** Seconds with one decimal. */
  function secs(ms) {
    return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  }

  /** The line the page shows about the link at `now` ("" while all is well and never was otherwise). */
  function statusText(link, now) {
    if (!link.up) {
      return `Server unreachable for ${secs(now - link.downSince)}: retrying (attempt ${link.failures}, next within ${secs(link.nextProbeAt - now)}); the chart keeps playing`;
    }
    if (link.outages) return `Server reachable again: it was unreachable for ${secs(link.lastOutageMs)}`;
    return "";
  }

  /** The short state a server panel shows while it holds its ticks. */
  function panelText(link) {
    if (!link.up) return `reconnecting: server unreachable (attempt ${link.failures})`;
    if (link.hidden) return "holding while the tab is hidden";
    return "";
  }

  /** A plain copy for tests and benchmarks. */
  function figures(link, now) {
    return Object.assign({}, link, { allows: allows(link), text: statusText(link, now) });
  }

  const api = { createLink, unreachable, backoff, failed, answered, observe, setHidden, allows, probeDue, statusText, panelText, figures };
  const ns = typeof window !== "undefined" && window.dash_clientside && window.dash_clientside.tickless;
  if (!ns || !ns.metrics || typeof document === "undefined") return api;

  // --- the browser glue -------------------------------------------------------------------------------
  const link = createLink({ now: performance.now() });
  const listeners = new Set();
  let conf = null; // config.link ({path, baseMs, capMs}) and the status element's id, once a callback passes the config
  let timer = null;

  /** Write the status line (only when its text changes) and tell the listeners. */
  function changed() {
    const now = performance.now();
    const el = conf && document.getElementById(conf.statusId);
    const text = statusText(link, now);
    if (el && el.textContent !== text) el.textContent = text;
    if (el) el.classList.toggle("bad", !link.up);
    listeners.forEach((fn) => {
      try {
        fn(figures(link, now));
      } catch (err) {
        console.warn("tickless link listener:", err); // eslint-disable-line no-console
      }
    });
  }

  /** Send one probe; its answer decides whether the link is up, its failure schedules the next one. */
  function probe() {
    timer = null;
    if (link.up || !conf) return;
    link.probing = true;
    link.probes += 1;
    changed();
    const url = `${conf.path}?t=${Date.now()}`;
    Promise.resolve()
      .then(() => window.fetch(url, { cache: "no-store", credentials: "same-origin" }))
      .then(
        (res) => observe(link, res.status, performance.now()),
        () => failed(link, performance.now())
      )
      .then(() => {
        link.probing = false;
        schedule();
        changed();
      });
  }

  /** Arm the probe timer for the next due probe (one timer at most). */
  function schedule() {
    if (link.up || link.probing || timer !== null || !conf) return;
    timer = setTimeout(probe, Math.max(0, link.nextProbeAt - performance.now()));
  }

  const sentAt = new Map(); // request id -> when it went out, while it is in flight
  ns.metrics.onUpdate((event) => {
    if (event.phase === "sent") sentAt.set(event.id, performance.now());
    if (event.phase !== "done") return;
    const wasUp = link.up;
    const t0 = sentAt.get(event.id);
    sentAt.delete(event.id);
    observe(link, event.status, performance.now(), undefined, t0);
    schedule();
    if (wasUp !== link.up || !link.up) changed();
  });
  document.addEventListener("visibilitychange", () => {
    setHidden(link, document.visibilityState === "hidden", performance.now());
    changed();
  });
  setHidden(link, document.visibilityState === "hidden", performance.now());

  /** Take the link's settings from the page config (called by the callbacks that get it); idempotent. */
  api.configure = function (config) {
    if (!config || !config.link || (conf && conf.source === config.link)) return;
    conf = Object.assign({ source: config.link, statusId: config.ids && config.ids.link }, config.link);
    link.baseMs = conf.baseMs;
    link.capMs = conf.capMs;
    schedule();
    changed();
  };
  /** May a request go out now? */
  api.ok = () => allows(link);
  /** Listen to changes of the link ({up, hidden, …}); returns the function that stops listening. */
  api.onChange = (fn) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  };
  api.snapshot = () => figures(link, performance.now());
  api.state = link;
  return api;
});
