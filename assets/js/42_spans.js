/**
 * spans: where each frame's main-thread time goes. `begin(name)` / `end(token)` time one synchronous piece of
 * work named "<category>.<part>" (engine.batch, engine.envelope, plotly.update, dash.flush, …). Spans nest:
 * a span's own ("self") time excludes the spans opened inside it, so a Plotly call that runs the probe's
 * afterplot handler counts as plotly minus the probe, and no millisecond is counted twice.
 *
 * Off by default, where begin/end cost one boolean test. `enable(true)` (the benchmark does it; anyone can
 * from the console before recording a Chrome trace) makes every span a performance.measure entry named
 * "tickless:<name>" with detail {self}, visible in the Performance panel's Timings track and to a
 * PerformanceObserver. Our entries are cleared from the timeline buffer now and then so it does not grow;
 * observers have had them by then.
 *
 * `breakdown(entries, frames, idle)` turns entries into per-frame totals per category (pure; node --test).
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "spans", function (globalRoot) {
  "use strict";

  const PREFIX = "tickless:";
  const CATEGORIES = ["plotly", "engine", "dash"]; // measured; "idle" and "other" are derived per frame
  const CLEAR_EVERY = 2000; // spans emitted between two clears of our entries from the timeline buffer

  /** The category of a span name: "engine.batch" → "engine". */
  function category(spanName) {
    const dot = spanName.indexOf(".");
    return dot === -1 ? spanName : spanName.slice(0, dot);
  }

  /**
   * A span recorder over a Performance-like object (`now()`, optionally `measure()` and `clearMeasures()`).
   * `totals` keeps {count, self} per name while enabled (tests and quick looks from the console).
   */
  function createSpans(perf) {
    const state = { enabled: false, stack: [], totals: new Map(), emitted: 0 };

    /** Turn recording on or off (on: forget open spans and totals). */
    function enable(on) {
      state.enabled = Boolean(on);
      state.stack.length = 0;
      if (state.enabled) state.totals = new Map();
    }

    /** Open a span; returns the token for end() (-1 while disabled). */
    function begin(spanName) {
      if (!state.enabled) return -1;
      state.stack.push({ name: spanName, start: perf.now(), child: 0 });
      return state.stack.length - 1;
    }

    /** Keep one closed span: totals, and a performance.measure entry. */
    function record(spanName, start, end, self) {
      const t = state.totals.get(spanName) || { count: 0, self: 0 };
      t.count += 1;
      t.self += self;
      state.totals.set(spanName, t);
      if (typeof perf.measure !== "function") return;
      try {
        perf.measure(PREFIX + spanName, { start, end, detail: { self } });
      } catch (err) {
        return; // an old browser without User Timing L3: totals only
      }
      state.emitted += 1;
      if (state.emitted % CLEAR_EVERY === 0 && typeof perf.clearMeasures === "function") {
        state.totals.forEach((_, n) => perf.clearMeasures(PREFIX + n));
      }
    }

    /**
     * Close the span `token` (and any left open inside it, e.g. by an exception); returns its self time in
     * ms (0 when disabled or already closed).
     */
    function end(token) {
      if (token < 0 || token >= state.stack.length) return 0;
      const now = perf.now();
      let self = 0;
      while (state.stack.length > token) {
        const s = state.stack.pop();
        const duration = now - s.start;
        self = Math.max(0, duration - s.child);
        record(s.name, s.start, now, self);
        if (state.stack.length) state.stack[state.stack.length - 1].child += duration;
      }
      return self;
    }

    /** `fn` wrapped in a span (for handlers and API calls made by others). */
    function wrap(spanName, fn) {
      return function spanned() {
        const token = begin(spanName);
        try {
          return fn.apply(this, arguments);
        } finally {
          end(token);
        }
      };
    }

    /** Is recording on? */
    function enabled() {
      return state.enabled;
    }

    /** {name: {count, self}} recorded since enable(true). */
    function totals() {
      const out = {};
      state.totals.forEach((v, k) => (out[k] = Object.assign({}, v)));
      return out;
    }

    return { enable, enabled, begin, end, wrap, totals };
  }

  /** Nearest-rank q-quantile of numbers (null when empty): the rule 40_metrics.js and the benchmark use. */
  function quantile(values, q) {
    if (!values.length) return null;
    const sorted = Float64Array.from(values).sort();
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  }

  /** Index of the frame whose [start, next start) holds time t (-1 before the first, or at/after the last). */
  function frameOf(starts, t) {
    if (!(t >= starts[0]) || !(t < starts[starts.length - 1])) return -1;
    let lo = 0;
    let hi = starts.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  const round = (v) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000);

  /**
   * Per-frame totals per category and their distribution. `entries`: spans as {name ("tickless:" prefix
   * optional), startTime, self}; `frames`: animation-frame start times, ascending (frame k is [frames[k],
   * frames[k+1])); `idle`: idle periods as {start, ms} (requestIdleCallback). A span or idle period counts in
   * the frame its start falls in. "other" is the rest of the frame: browser style, layout and paint, GC and
   * other scripts. Returns flat fields: frames, frame_ms_*, <cat>_ms_p50/_p95/_mean and <cat>_share for
   * plotly, engine, dash, idle and other, and parts {name: ms per frame}.
   */
  function breakdown(entries, frames, idle) {
    const n = Math.max(0, frames.length - 1);
    const cats = CATEGORIES.concat(["idle"]);
    const per = {};
    cats.forEach((c) => (per[c] = new Float64Array(n)));
    const parts = {};
    for (const e of entries) {
      const spanName = e.name.indexOf(PREFIX) === 0 ? e.name.slice(PREFIX.length) : e.name;
      const k = frameOf(frames, e.startTime);
      if (k === -1) continue;
      const c = category(spanName);
      if (!per[c]) continue;
      per[c][k] += e.self;
      parts[spanName] = (parts[spanName] || 0) + e.self;
    }
    for (const p of idle || []) {
      const k = frameOf(frames, p.start);
      if (k !== -1) per.idle[k] += p.ms;
    }
    const dt = new Float64Array(n);
    const other = new Float64Array(n);
    let wall = 0;
    for (let k = 0; k < n; k++) {
      dt[k] = frames[k + 1] - frames[k];
      wall += dt[k];
      other[k] = Math.max(0, dt[k] - cats.reduce((sum, c) => sum + per[c][k], 0));
    }
    per.other = other;
    const out = { frames: n, frame_ms_p50: round(quantile(dt, 0.5)), frame_ms_p95: round(quantile(dt, 0.95)) };
    for (const c of cats.concat(["other"])) {
      const values = per[c];
      const sum = values.reduce((a, b) => a + b, 0);
      out[`${c}_ms_p50`] = round(quantile(values, 0.5));
      out[`${c}_ms_p95`] = round(quantile(values, 0.95));
      out[`${c}_ms_mean`] = round(n ? sum / n : null);
      out[`${c}_share`] = round(wall ? sum / wall : null);
    }
    out.parts = {};
    Object.keys(parts)
      .sort()
      .forEach((k) => (out.parts[k] = round(n ? parts[k] / n : null)));
    return out;
  }

  const hasPerf = globalRoot.performance && typeof globalRoot.performance.now === "function";
  const page = createSpans(hasPerf ? globalRoot.performance : { now: () => Date.now() });
  return Object.assign({ createSpans, breakdown, category, quantile, CATEGORIES, PREFIX }, page);
});
