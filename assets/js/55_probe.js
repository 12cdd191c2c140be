/**
 * probe: measures every graph the same way, whatever draws it. On each plotly_afterplot that shows newer
 * samples, the next animation frame records a painted frame and the data-to-paint latency (from the time
 * the oldest new sample came due on the tab clock); plotly_beforeplot → plotly_afterplot gives the JS
 * time of each update. It listens through the events helper (70_events.js), which re-attaches the listeners
 * when dcc.Graph's purge removed them or replaced the div, and only while the stream is shown. A graph that draws
 * itself (the LiveChart component, see stream.external) is measured the same way from its snapshot: a draw
 * that shows newer samples is painted at the next animation frame.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;

  /** Give a stream record its meters and listeners; `tab` is the engine's state it is measured against. */
  function init(s, tab) {
    s.tab = tab;
    const { metrics } = ns;
    s.fps = metrics.createMeter(1000);
    s.latency = metrics.createMeter(2000);
    s.update = metrics.createMeter(2000);
    s.paintedEnd = null;
    s.pending = null;
    s.plotStart = null;
    s.draws = null;
    s.unlisten = null;
    s.onAfterplot = () => afterplot(s);
    s.onBeforeplot = () => {
      s.plotStart = performance.now();
    };
  }

  /** Listen to a plotly graph's draws through the events helper (idempotent; it attaches when the div exists). */
  function listen(s) {
    if (s.unlisten) return;
    const offAfter = ns.events.subscribe(s.graphId, "plotly_afterplot", s.onAfterplot);
    const offBefore = ns.events.subscribe(s.graphId, "plotly_beforeplot", s.onBeforeplot);
    s.unlisten = () => {
      offAfter();
      offBefore();
      s.unlisten = null;
    };
  }

  /** Forget what was painted and stop listening (a hidden stream times nothing). */
  function reset(s) {
    s.pending = null;
    s.paintedEnd = null;
    s.plotStart = null;
    if (s.unlisten) s.unlisten();
  }

  /** plotly_afterplot: time the update; if the graph now shows newer samples, the next frame paints them. */
  function afterplot(s) {
    const tab = s.tab;
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

  /** Once per animation frame: record what the last update painted; listen while the stream is shown. */
  function frame(s, gd, now) {
    if (s.pending) {
      ns.metrics.record(s.fps, now);
      ns.metrics.record(s.latency, now, now - s.pending.due);
      s.pending = null;
    }
    listen(s);
  }

  /**
   * Once per animation frame for a graph that draws itself: `chart` is its snapshot ({draws, drawnAt, lo, hi,
   * lastDrawMs}, or null). A new draw that shows newer samples is a painted frame at the first animation frame
   * after the one it drew in, with the latency from the time the oldest new sample came due; each draw's JS
   * time goes to the update meter (plotly graphs: beforeplot → afterplot).
   */
  function drawn(s, chart, now) {
    const tab = s.tab;
    paintedBy(s, now); // the previous draw, if this is the first frame after it
    if (!chart || chart.draws === s.draws) return;
    s.draws = chart.draws;
    if (Number.isFinite(chart.lastDrawMs)) ns.metrics.record(s.update, now, chart.lastDrawMs);
    const end = Number.isFinite(chart.hi) ? chart.hi : s.paintedEnd; // no data drawn yet: nothing to time
    if (s.paintedEnd === null || end < s.paintedEnd) s.paintedEnd = end; // first look, or the view went back
    else if (end > s.paintedEnd) {
      const held = s.config ? s.config.window : end - chart.lo;
      // a live source's samples came due when they were produced (chart.dueAt), not on the replay clock
      const due = Number.isFinite(chart.dueAt) ? chart.dueAt : ns.clock.dueTime(tab.clock, Math.max(s.paintedEnd, end - held));
      s.pending = { due, at: chart.drawnAt };
      s.paintedEnd = end;
      paintedBy(s, now); // it drew in an earlier frame than this one (its loop ran after ours)
    }
  }

  /** Record the pending draw as painted once an animation frame after the one it drew in has come. */
  function paintedBy(s, now) {
    if (!s.pending || !(now > s.pending.at)) return;
    ns.metrics.record(s.fps, now);
    ns.metrics.record(s.latency, now, now - s.pending.due);
    s.pending = null;
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

  ns.probe = { init, reset, frame, drawn, figures };
})(window);
