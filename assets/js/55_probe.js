/**
 * probe: measures every graph the same way, whatever draws it. On each plotly_afterplot that shows newer
 * samples, the next animation frame records a painted frame and the data-to-paint latency (from the time
 * the oldest new sample came due on the tab clock); plotly_beforeplot → plotly_afterplot gives the JS
 * time of each update. Listeners are re-attached when dcc.Graph's purge removed them.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;

  /** Give a stream record its meters and listeners. */
  function init(s) {
    const { metrics } = ns;
    s.fps = metrics.createMeter(1000);
    s.latency = metrics.createMeter(2000);
    s.update = metrics.createMeter(2000);
    s.paintedEnd = null;
    s.pending = null;
    s.plotStart = null;
    s.onAfterplot = ns.spans.wrap("engine.bookkeeping", () => afterplot(s));
    s.onBeforeplot = () => {
      s.plotStart = performance.now();
    };
  }

  /** Forget what was painted (a hidden stream times nothing). */
  function reset(s) {
    s.pending = null;
    s.paintedEnd = null;
    s.plotStart = null;
  }

  /** plotly_afterplot: time the update; if the graph now shows newer samples, the next frame paints them. */
  function afterplot(s) {
    const tab = ns.stream.tab;
    if (!s.active || !tab.clock) return;
    const now = performance.now();
    if (s.plotStart !== null) ns.metrics.record(s.update, now, now - s.plotStart);
    s.plotStart = null;
    const gd = ns.stream.findGraphDiv(s.graphId);
    const trace = gd && gd.data && gd.data[0];
    if (!trace || !trace.x || !trace.x.length) return;
    const rate = tab.dataset.rate;
    // an envelope's last point is its last bucket's min or max, not its newest sample: ask the envelope
    const end = s.decimated ? s.decimated.end : Math.round(trace.x[trace.x.length - 1] * rate) + 1;
    if (s.paintedEnd === null || end < s.paintedEnd) {
      s.paintedEnd = end; // first look, or the view went back: nothing to time
      return;
    }
    if (end === s.paintedEnd) return;
    const held = s.config ? s.config.window : trace.x.length; // server graphs: the points drawn
    const oldest = Math.max(s.paintedEnd, end - held);
    const due = ns.clock.dueTime(tab.clock, oldest);
    s.pending = s.pending ? { due: Math.min(s.pending.due, due) } : { due };
    s.paintedEnd = end;
  }

  /** Is this listener on the graph div? (dcc.Graph's purge removes all listeners.) */
  function listening(gd, name, fn) {
    return Boolean(gd._ev && gd._ev.listeners(name).indexOf(fn) !== -1);
  }

  /** Once per animation frame: record what the last update painted, keep the listeners attached. */
  function frame(s, gd, now) {
    if (s.pending) {
      ns.metrics.record(s.fps, now);
      ns.metrics.record(s.latency, now, now - s.pending.due);
      s.pending = null;
    }
    if (!gd || typeof gd.on !== "function" || !gd._ev) return;
    if (!listening(gd, "plotly_afterplot", s.onAfterplot)) gd.on("plotly_afterplot", s.onAfterplot);
    if (!listening(gd, "plotly_beforeplot", s.onBeforeplot)) gd.on("plotly_beforeplot", s.onBeforeplot);
  }

  /** The meters as numbers for a snapshot. */
  function figures(s, now) {
    const m = ns.metrics;
    return {
      fps: m.rate(s.fps, now),
      latencyP50: m.meterQuantile(s.latency, 0.5, now),
      latencyP95: m.meterQuantile(s.latency, 0.95, now),
      updateMsP50: m.meterQuantile(s.update, 0.5, now),
      updateMsP95: m.meterQuantile(s.update, 0.95, now),
    };
  }

  ns.probe = { init, reset, frame, figures };
})(window);
