// Installed in every soak tab before the page's own scripts (CDP Page.addScriptToEvaluateOnNewDocument): a
// bounded record of the page's fetches, uncaught errors and CSP violations, and `window.__soak.snapshot(ids)`,
// the page's own figures for the run (frames, each graph's newest sample, the link, the gate, the bridge, the
// length of Dash's undo history).
// Bounded so that a ten-minute run measures the page's memory, not this recorder's.
(() => {
  "use strict";
  const RING = 600;
  const rec = (window.__soak = { fetches: [], counts: { sent: 0, failed: 0, probes: 0 }, errors: [], csp: [] });
  const push = (list, item) => {
    list.push(item);
    if (list.length > RING) list.splice(0, list.length - RING);
  };
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : (input && input.url) || "";
    let output = "";
    try {
      output = JSON.parse((init && init.body) || "{}").output || "";
    } catch (err) {
      output = "";
    }
    const entry = { url: url.split("?")[0], output, t0: Date.now(), t1: null, status: null };
    push(rec.fetches, entry);
    rec.counts.sent += 1;
    if (url.indexOf("/_tickless/alive") !== -1) rec.counts.probes += 1;
    return original.apply(this, arguments).then(
      (res) => {
        entry.t1 = Date.now();
        entry.status = res.status;
        return res;
      },
      (err) => {
        entry.t1 = Date.now();
        entry.status = 0;
        rec.counts.failed += 1;
        throw err;
      }
    );
  };
  window.addEventListener("error", (e) => push(rec.errors, [Date.now(), String(e.message)]));
  window.addEventListener("unhandledrejection", (e) => push(rec.errors, [Date.now(), "unhandled: " + String(e.reason)]));
  document.addEventListener("securitypolicyviolation", (e) =>
    push(rec.csp, [Date.now(), e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(" "))
  );

  /** The newest sample index a plotly graph shows (or the LiveChart's drawn end), -1 when none. */
  function newest(ns, graphId, rate) {
    const snap = ns.stream.snapshot(graphId);
    if (snap && snap.mode === "component") return Number.isFinite(snap.sentEnd) ? snap.sentEnd - 1 : -1;
    const gd = ns.stream.findGraphDiv(graphId);
    const x = gd && gd.data && gd.data[0] && gd.data[0].x;
    return x && x.length ? Math.round(x[x.length - 1] * rate) : -1;
  }

  /** The Dash renderer's callback queue: how many callbacks wait in each stage, and the outputs of those waiting
   * to be sent or in flight (are requests held by the renderer rather than by the page's gate?). */
  function rendererQueue() {
    const store = (window.dash_stores || [])[0];
    const cb = store && store.getState().callbacks;
    if (!cb) return null;
    const names = (list) => (list || []).slice(0, 12).map((c) => (c.callback && c.callback.output) || "?");
    return {
      requested: names(cb.requested),
      prioritized: names(cb.prioritized),
      blocked: names(cb.blocked),
      executing: names(cb.executing),
      watched: names(cb.watched),
      executed: (cb.executed || []).length,
      stored: (cb.stored || []).length,
    };
  }

  rec.snapshot = function (graphIds) {
    const ns = window.dash_clientside && window.dash_clientside.tickless;
    if (!ns || !ns.stream || !ns.stream.tab.clock) return null;
    const tab = ns.stream.tab;
    const rate = tab.dataset.rate;
    const now = performance.now();
    const status = document.getElementById(tab.config.ids.link);
    const bridge = (document.querySelector(".bridge-status") || {}).textContent || "";
    const seq = bridge.match(/sample (\d+)/);
    const graphs = {};
    graphIds.forEach((id) => {
      const snap = ns.stream.snapshot(id) || {};
      graphs[id] = {
        fps: snap.fps || 0,
        points: snap.points || 0,
        newest: newest(ns, id, rate),
        gate: ns.gate.snapshot(id),
      };
    });
    return {
      t: Date.now(),
      visible: document.visibilityState,
      frames: tab.frameCount,
      due: ns.clock.dueEnd(tab.clock, now),
      link: ns.link.snapshot(),
      linkText: status ? status.textContent : "",
      bridgeSeq: seq ? Number(seq[1]) : 0,
      graphs,
      undo: ns.undo && ns.undo.snapshot ? ns.undo.snapshot() : null,
      queue: rendererQueue(),
      counts: Object.assign({}, rec.counts),
      errors: rec.errors.length,
      csp: rec.csp.length,
    };
  };
})();
