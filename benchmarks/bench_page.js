/**
 * Page-side half of the browser benchmark (benchmarks/bench.py injects this file with execute_script).
 * Not served by the app. window.__ticklessBench:
 *   watch(graphId)           from page load: hear the engine's painted frames and latencies (hooks
 *                            tickless.metrics.record, so nothing is lost however long a frame blocks);
 *   start(graphId) / stop()  measure a Tickless page: own rAF loop (frame times), long tasks and long
 *                            animation frames, JS heap (with and without a forced GC), the engine's
 *                            painted frames and latencies, snapshots, the page's /_dash-update-component
 *                            traffic, Plotly call times, and where each frame's main-thread time goes
 *                            (`breakdown`: the engine's performance.measure spans, see 42_spans.js, plus
 *                            spans this file adds around Plotly calls and the Dash renderer's updates,
 *                            and idle time from requestIdleCallback);
 * Page facts (waitReady, graphSize, webgl, idleRaf) are in bench_facts.js, the bare-page loops in bench_bare.js,
 * why latency samples were late in bench_late.js; each is injected after this file.
 */
(function (root) {
  "use strict";
  if (root.__ticklessBench) return;
  const UPDATE = "/_dash-update-component";
  const MB = 1024 * 1024;
  const B = { rec: null, heapWatch: null, wrapped: false, hooked: false, dashWrapped: false, watchId: null, paintedTotal: 0 };

  /** The engine's namespace (null on a bare page before bench_bare.js sets one up). */
  function tickless() {
    return (root.dash_clientside && root.dash_clientside.tickless) || null;
  }

  /** The span recorder (42_spans.js), or null. */
  function spansApi() {
    const tl = tickless();
    return tl && tl.spans && typeof tl.spans.begin === "function" ? tl.spans : null;
  }

  /** Nearest-rank q-quantile (same rule as the engine's metrics.quantile); null when empty. */
  function quantile(values, q) {
    if (!values.length) return null;
    const sorted = Float64Array.from(values).sort();
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  }

  /** {n, p50, p95, max, mean} of a list of numbers (nulls when empty). */
  function stats(values) {
    const n = values.length;
    const sum = values.reduce((a, b) => a + b, 0);
    return { n, p50: quantile(values, 0.5), p95: quantile(values, 0.95), max: n ? Math.max(...values) : null, mean: n ? sum / n : null };
  }

  /** Used JS heap in bytes, as it stands (0 without performance.memory). */
  function usedHeap() {
    return performance.memory ? performance.memory.usedJSHeapSize : 0;
  }

  /** Used JS heap in MB, optionally after a forced GC (needs --js-flags=--expose-gc). */
  function heap(gc) {
    if (gc && typeof root.gc === "function") {
      root.gc();
      root.gc(); // a second pass frees what the first one's finalizers released
    }
    return performance.memory ? performance.memory.usedJSHeapSize / MB : null;
  }

  /**
   * Time every public Plotly draw call the page makes (sync part, and until its promise settles), and make
   * each a "plotly.<name>" span: calls the engine makes are spans already (nested, so nothing is counted
   * twice); this catches the others (dcc.Graph's Plotly.react, a relayout from an event handler).
   */
  function wrapPlotly() {
    const P = root.Plotly;
    if (!P || B.wrapped) return;
    B.wrapped = true;
    for (const name of ["extendTraces", "react", "newPlot", "update", "restyle", "relayout"]) {
      const original = P[name];
      if (typeof original !== "function") continue;
      P[name] = function () {
        const sp = spansApi();
        const token = sp ? sp.begin(`plotly.${name}`) : -1;
        const gc = B.heapWatch; // while recording: did a collection run inside this call? (bench_late.js)
        const heap0 = gc ? usedHeap() : 0;
        const t0 = performance.now();
        let result;
        try {
          result = original.apply(this, arguments);
        } finally {
          if (sp) sp.end(token);
        }
        const sync = performance.now() - t0;
        if (gc && usedHeap() < heap0) gc.push(t0);
        const rec = B.rec;
        if (rec) {
          rec.calls.push(sync);
          Promise.resolve(result).then(() => rec.settled.push(performance.now() - t0), () => {});
        }
        return result;
      };
    }
  }

  /** A new recording: everything stop() turns into numbers. */
  function newRecord() {
    return { t0: performance.now(), raf: [], painted: [], latency: [], long: [], loaf: [], unsupported: [], calls: [], settled: [], series: [], spans: [], idle: [], gc: [] };
  }

  /**
   * The Dash renderer's share of a frame, as spans: "dash.dispatch" around each redux dispatch (its reducers
   * and store subscribers, run synchronously) and "dash.flush" from a microtask queued before the first
   * dispatch of a task to one queued after its last: React 18 renders store updates in a microtask queued
   * during the dispatch, so that window holds the React update and the renderer's promise continuations
   * (nested spans, e.g. an engine draw resolving there, are subtracted). Work React schedules as a later
   * task (passive effects) is not caught and counts as "other".
   */
  function wrapDash() {
    const store = root.store;
    if (B.dashWrapped || !store || typeof store.dispatch !== "function") return;
    B.dashWrapped = true;
    const original = store.dispatch;
    let open = null; // the flush span of the current task: {token, gen}
    store.dispatch = function () {
      const sp = spansApi();
      if (!sp || !sp.enabled()) return original.apply(this, arguments);
      if (!open) {
        const o = { token: -1, gen: 0 };
        open = o;
        queueMicrotask(() => (o.token = sp.begin("dash.flush")));
      }
      const o = open;
      const token = sp.begin("dash.dispatch");
      try {
        return original.apply(this, arguments);
      } finally {
        sp.end(token);
        const gen = (o.gen += 1);
        queueMicrotask(() => {
          if (o.gen !== gen) return; // a later dispatch moved the end
          sp.end(o.token);
          if (open === o) open = null;
        });
      }
    };
  }

  /**
   * Record spans and idle periods into rec while it runs: our performance.measure entries (with their self
   * time) and, from a requestIdleCallback chain (one callback per idle period), each idle period's length.
   * Returns {disconnect()}.
   */
  function observeSpans(rec) {
    const sp = spansApi();
    let observer = null;
    if (sp && typeof PerformanceObserver === "function") {
      observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name.indexOf(sp.PREFIX) !== 0 || e.startTime < rec.t0) continue;
          rec.spans.push({ name: e.name, startTime: e.startTime, self: e.detail ? e.detail.self : e.duration });
        }
      });
      try {
        observer.observe({ type: "measure" });
      } catch (err) {
        observer = null;
        rec.unsupported.push("measure");
      }
      sp.enable(true);
    }
    const idle = (deadline) => {
      if (!rec.running) return;
      rec.idle.push({ start: performance.now(), ms: deadline.timeRemaining() });
      requestIdleCallback(idle); // runs in the next idle period, not again in this one
    };
    if (typeof requestIdleCallback === "function") requestIdleCallback(idle);
    else rec.unsupported.push("requestIdleCallback");
    return {
      disconnect() {
        if (sp) sp.enable(false);
        if (observer) {
          for (const e of observer.takeRecords()) {
            if (e.name.indexOf(sp.PREFIX) === 0 && e.startTime >= rec.t0) {
              rec.spans.push({ name: e.name, startTime: e.startTime, self: e.detail ? e.detail.self : e.duration });
            }
          }
          observer.disconnect();
        }
      },
    };
  }

  /** Per-frame totals per category (42_spans.js breakdown), or null without spans. */
  function frameBreakdown(rec) {
    const sp = spansApi();
    if (!sp || typeof sp.breakdown !== "function") return null;
    return Object.assign(sp.breakdown(rec.spans, rec.raf, rec.idle), { spans: rec.spans.length, source: "performance.measure spans + requestIdleCallback" });
  }

  /**
   * Watch long tasks (> 50 ms) into rec.long and long animation frames (> 50 ms, tasks + rendering) into
   * rec.loaf; returns an object with disconnect() (observers the browser lacks are left out).
   */
  function observeLongTasks(rec) {
    const observers = [];
    for (const [type, list] of [["longtask", rec.long], ["long-animation-frame", rec.loaf]]) {
      try {
        const observer = new PerformanceObserver((entries) => {
          for (const e of entries.getEntries()) if (e.startTime >= rec.t0) list.push(e.duration);
        });
        observer.observe({ type });
        observers.push(observer);
      } catch (err) {
        rec.unsupported.push(type);
      }
    }
    return { disconnect: () => observers.forEach((o) => o.disconnect()) };
  }

  /** The page's Dash callback traffic between t0 and t1 (Resource Timing). */
  function traffic(t0, t1) {
    const hits = performance.getEntriesByType("resource").filter((e) => e.name.indexOf(UPDATE) !== -1 && e.startTime >= t0 && e.startTime < t1);
    return { count: hits.length, bytes: hits.reduce((a, e) => a + (e.transferSize || 0), 0) };
  }

  /** What the page loaded: the layout (the dataset rides in it) and everything else, in bytes. */
  function loadInfo() {
    const entries = performance.getEntriesByType("resource").filter((e) => e.name.indexOf(UPDATE) === -1);
    const layout = entries.find((e) => e.name.indexOf("/_dash-layout") !== -1);
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      layoutBytes: layout ? layout.transferSize : null,
      layoutDecodedBytes: layout ? layout.decodedBodySize : null,
      layoutMs: layout ? layout.duration : null,
      totalBytes: entries.reduce((a, e) => a + (e.transferSize || 0), 0) + (nav ? nav.transferSize || 0 : 0),
    };
  }

  /** The engine's stream record for a graph, or null. */
  function streamOf(graphId) {
    const tl = root.dash_clientside && root.dash_clientside.tickless;
    return (tl && tl.stream && tl.stream.tab && tl.stream.tab.streams && tl.stream.tab.streams.get(graphId)) || null;
  }

  /**
   * Hear every painted frame and latency the engine records for the watched graph, exactly: wrap
   * tickless.metrics.record (the engine looks it up at call time). Returns whether the hook is in place.
   */
  function hookMetrics() {
    const tl = root.dash_clientside && root.dash_clientside.tickless;
    if (B.hooked || !tl || !tl.metrics || typeof tl.metrics.record !== "function") return Boolean(B.hooked);
    const original = tl.metrics.record;
    tl.metrics.record = function (meter, t, value) {
      const result = original.apply(this, arguments);
      const s = streamOf(B.watchId);
      if (s && meter === s.fps) {
        B.paintedTotal += 1;
        if (B.rec && t >= B.rec.t0) B.rec.painted.push(t);
      } else if (s && meter === s.latency && B.rec && t >= B.rec.t0) {
        B.rec.latency.push(value);
      }
      return result;
    };
    B.hooked = true;
    return true;
  }

  /** Watch a graph from page load on: {hooked, painted so far, snapshot, page message (element `messageId`)}. */
  B.watch = function (graphId, messageId) {
    if (B.watchId !== graphId) {
      B.watchId = graphId;
      B.paintedTotal = 0;
    }
    const hooked = hookMetrics();
    const msg = messageId ? document.getElementById(messageId) : null;
    return { hooked, painted: B.paintedTotal, snapshot: snap(graphId), message: msg ? msg.textContent : "" };
  };

  /** The engine's snapshot of a graph (null before the stream exists). */
  function snap(graphId) {
    const tl = root.dash_clientside && root.dash_clientside.tickless;
    return tl && tl.stream ? tl.stream.snapshot(graphId) : null;
  }

  /** Start measuring a Tickless page's graph; returns the starting heap and snapshot. */
  B.start = function (graphId) {
    B.watch(graphId);
    wrapPlotly();
    wrapDash();
    const heapStart = heap(false);
    const heapStartGc = heap(true);
    const rec = Object.assign(newRecord(), { graphId, heapStart, heapStartGc, running: true });
    rec.snap0 = snap(graphId);
    rec.source = B.hooked ? "engine-meters" : "snapshot";
    rec.observer = observeLongTasks(rec);
    rec.spanObserver = observeSpans(rec);
    const tick = (now) => {
      if (!rec.running) return;
      requestAnimationFrame(tick);
      rec.raf.push(now);
    };
    requestAnimationFrame(tick);
    rec.timer = setInterval(() => {
      const s = snap(graphId);
      if (s) rec.series.push([performance.now() - rec.t0, s.fps, s.latencyP50, s.latencyP95]);
    }, 1000);
    rec.visible0 = document.visibilityState;
    B.rec = rec;
    B.heapWatch = rec.gc;
    return { heapStart, heapStartGc, snapshot: rec.snap0, source: rec.source, load: loadInfo() };
  };

  /** Frame-rate figures common to app pages and bare pages. */
  function frameStats(rec, t1) {
    const seconds = (t1 - rec.t0) / 1000;
    const deltas = rec.raf.slice(1).map((t, i) => t - rec.raf[i]);
    const longMs = rec.long.reduce((a, b) => a + b, 0);
    const loafMs = rec.loaf.reduce((a, b) => a + b, 0);
    return {
      seconds,
      fps: rec.painted.length / seconds,
      painted: rec.painted.length,
      rafHz: rec.raf.length / seconds,
      frameMs: stats(deltas),
      latencyMs: stats(rec.latency),
      longTasks: { count: rec.long.length, totalMs: longMs, maxMs: rec.long.length ? Math.max(...rec.long) : 0 },
      longFrames: { count: rec.loaf.length, totalMs: loafMs },
      // share of the time the page spent in frames or tasks over 50 ms (shorter work is not counted)
      busyFraction: Math.min(1, Math.max(longMs, loafMs) / (t1 - rec.t0)),
      unsupported: rec.unsupported,
      plotlyCallMs: stats(rec.calls),
      plotlySettledMs: stats(rec.settled),
      // why samples were late: long frames by what ran in them (bench_late.js, injected beside this file)
      late: root.__ticklessLate ? root.__ticklessLate.lateFrames(rec) : null,
      visible: [rec.visible0, document.visibilityState],
    };
  }

  /** Stop measuring; returns every figure of the recording. */
  B.stop = function () {
    const rec = B.rec;
    if (!rec) return null;
    const t1 = performance.now();
    rec.running = false;
    clearInterval(rec.timer);
    if (rec.observer) rec.observer.disconnect();
    if (rec.spanObserver) rec.spanObserver.disconnect();
    B.rec = null;
    B.heapWatch = null;
    const end = snap(rec.graphId);
    const out = frameStats(rec, t1);
    if (rec.source === "snapshot" && rec.series.length) {
      // no meters to read: per-second snapshot figures (latency quantiles are then medians of 2 s windows)
      out.fps = rec.series.reduce((a, r) => a + r[1], 0) / rec.series.length;
      out.latencyMs = { n: rec.series.length, p50: quantile(rec.series.map((r) => r[2]), 0.5), p95: quantile(rec.series.map((r) => r[3]), 0.5), max: null, mean: null };
    }
    return Object.assign(out, {
      source: rec.source,
      heapStart: rec.heapStart,
      heapStartGc: rec.heapStartGc,
      heapEnd: heap(false),
      heapEndGc: heap(true),
      snapshot0: rec.snap0,
      snapshot: end,
      traffic: traffic(rec.t0, t1),
      breakdown: frameBreakdown(rec),
      series: rec.series,
      load: loadInfo(),
    });
  };

  B.util = { quantile, stats, heap, newRecord, observeLongTasks, observeSpans, frameBreakdown, frameStats, wrapPlotly, traffic };
  root.__ticklessBench = B;
})(window);
