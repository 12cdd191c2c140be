/**
 * decimated: the clientside render path for windows wider than the plot. The full-resolution window lives
 * in per-channel min/max envelopes (35_decimate.js), updated incrementally as samples arrive, so the
 * drawn point count stays about two per pixel column whatever the window. The x range is computed here
 * (no autorange: it is a large share of plotly's cost), and left alone while the user has zoomed.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const FALLBACK_COLUMNS = 1000;

  /** Pixel columns of the plot area (or a fallback before the first draw). */
  function columns(gd) {
    const size = gd && gd._fullLayout && gd._fullLayout._size;
    if (size && size.w > 10) return Math.floor(size.w);
    return gd && gd.clientWidth > 100 ? gd.clientWidth - 70 : FALLBACK_COLUMNS;
  }

  /** Should this view be drawn as an envelope on this graph? (view.decimate: one of config.decimate, checked by configure) */
  function wants(view, gd) {
    return ns.decimate.shouldDecimate(view.decimate, view.window, columns(gd));
  }

  /** Fill fresh envelopes with the window [head - window, head). */
  function fill(d, view, head) {
    const ds = ns.stream.tab.dataset;
    const from = Math.max(0, head - view.window);
    d.envs.forEach((env, k) => {
      ns.decimate.reset(env);
      ns.decimate.appendLooped(env, from, head, ds.channels[view.channels[k]]);
    });
    d.end = head;
  }

  /** The drawn columns, as typed-array views per trace ({x: [...], y: [...]}). */
  function columnsOut(d) {
    const rate = ns.stream.tab.dataset.rate;
    const x = [];
    const y = [];
    d.envs.forEach((env, k) => {
      d.outs[k] = ns.decimate.points(env, rate, d.outs[k]);
      x.push(d.outs[k].x.subarray(0, d.outs[k].n));
      y.push(d.outs[k].y.subarray(0, d.outs[k].n));
    });
    return { x, y };
  }

  /** New envelopes for a stream's view, filled up to `head`; returns the figure to draw. */
  function prepare(s, head, gd) {
    const view = s.config;
    const dec = ns.decimate;
    const B = dec.bucketSize(view.window, columns(gd));
    const d = { B, envs: view.channels.map(() => dec.createEnvelope(B, dec.capacityFor(view.window, B))), outs: [] };
    s.decimated = d;
    fill(d, view, head);
    const ds = ns.stream.tab.dataset;
    const cols = columnsOut(d);
    const data = ns.figure.traces(ds, view).map((t, k) => Object.assign(t, { x: cols.x[k], y: cols.y[k] }));
    const xaxis = { autorange: false, range: ns.figure.xRange(head, view.window, ds.rate) };
    d.xaxis = xaxis;
    return { data, layout: ns.figure.layout(ns.stream.tab.config, view.channels, s.epoch, { xaxis }) };
  }

  /** Add samples [from, to) (refilling if samples were skipped) and return the columns to draw. */
  function advance(s, from, to) {
    const d = s.decimated;
    const view = s.config;
    const ds = ns.stream.tab.dataset;
    if (from !== d.end) fill(d, view, to);
    else d.envs.forEach((env, k) => ns.decimate.appendLooped(env, from, to, ds.channels[view.channels[k]]));
    d.end = to;
    d.envs.forEach((env) => ns.decimate.trim(env, to - view.window));
    return columnsOut(d);
  }

  /** rAF path: one Plotly.update per frame (restyle + relayout in place, so dcc.Graph's figure stays current). */
  function draw(s, gd, from, to) {
    const spans = ns.spans;
    const span = spans.begin("engine.envelope");
    const cols = advance(s, from, to);
    const frozen = ns.interact && ns.interact.frozen(s.graphId);
    const layout = frozen ? {} : { "xaxis.range": ns.figure.xRange(to, s.config.window, ns.stream.tab.dataset.rate) };
    const indices = s.config.channels.map((_, k) => k);
    spans.end(span);
    const call = spans.begin("plotly.update");
    try {
      return root.Plotly.update(gd, { x: cols.x, y: cols.y }, layout, indices);
    } finally {
      spans.end(call);
    }
  }

  /** Interval path: the whole (small) figure for this tick, for a dcc.Graph figure output. */
  function tickFigure(s, from, to) {
    const cols = advance(s, from, to);
    const ds = ns.stream.tab.dataset;
    const data = ns.figure.traces(ds, s.config).map((t, k) => Object.assign(t, { x: cols.x[k], y: cols.y[k] }));
    // while the user has zoomed, repeat the last x axis: uirevision then keeps the user's range
    if (!(ns.interact && ns.interact.frozen(s.graphId))) {
      s.decimated.xaxis = { autorange: false, range: ns.figure.xRange(to, s.config.window, ds.rate) };
    }
    const extra = { xaxis: s.decimated.xaxis };
    return { data, layout: ns.figure.layout(ns.stream.tab.config, s.config.channels, s.epoch, extra) };
  }

  ns.decimated = { columns, wants, prepare, draw, tickFigure };
})(window);
