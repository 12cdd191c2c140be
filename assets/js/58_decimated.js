/**
 * decimated: the clientside render path for windows wider than the plot. The full-resolution window lives
 * in per-channel min/max envelopes (35_decimate.js), updated incrementally as samples arrive, so the
 * drawn point count stays about two per pixel column whatever the window. The x range is computed here
 * (no autorange: it is a large share of plotly's cost), and left alone while the user has zoomed.
 *
 * Pure functions over the state they are given (the dataset, the config, the envelope record `d`): the
 * engine (50_stream.js) owns that state, passes it in and makes the Plotly calls. They run under node
 * --test; only `columns(gd)` reads the DOM.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const dep = (key, file) => (ns && ns[key] ? ns[key] : typeof require === "function" ? require(file) : null);
  const api = factory(dep("decimate", "./35_decimate.js"), dep("figure", "./48_figure.js"));
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "decimated", function (decimate, figure) {
  "use strict";
  const FALLBACK_COLUMNS = 1000;
  const FIT_HOLD_MS = 200; // a new graph width must hold this long before a view's envelope is rebuilt (refit)

  /** Pixel columns of the plot area (or a fallback before the first draw). */
  function columns(gd) {
    const size = gd && gd._fullLayout && gd._fullLayout._size;
    if (size && size.w > 10) return Math.floor(size.w);
    return gd && gd.clientWidth > 100 ? gd.clientWidth - 70 : FALLBACK_COLUMNS;
  }

  /** Should this view be drawn as an envelope at this many columns? (view.decimate: one of config.decimate) */
  function wants(view, cols) {
    return decimate.shouldDecimate(view.decimate, view.window, cols);
  }

  /** Fill the envelopes afresh with the window [head - window, head). */
  function fill(d, view, ds, head) {
    const from = Math.max(0, head - view.window);
    d.envs.forEach((env, k) => {
      decimate.reset(env);
      decimate.appendLooped(env, from, head, ds.channels[view.channels[k]]);
    });
    d.end = head;
  }

  /** The drawn columns, as typed-array views per trace ({x: [...], y: [...]}), reusing d's buffers. */
  function columnsOut(d, ds) {
    const x = [];
    const y = [];
    d.envs.forEach((env, k) => {
      d.outs[k] = decimate.points(env, figure.xRate(ds), d.outs[k], ds.x0 || 0);
      x.push(d.outs[k].x.subarray(0, d.outs[k].n));
      y.push(d.outs[k].y.subarray(0, d.outs[k].n));
    });
    return { x, y };
  }

  /** A new envelope record for a view at `cols` pixel columns, filled up to `head`. */
  function create(view, head, cols, ds) {
    const B = decimate.bucketSize(view.window, cols);
    const d = { B, envs: view.channels.map(() => decimate.createEnvelope(B, decimate.capacityFor(view.window, B))), outs: [], end: 0, xaxis: null };
    fill(d, view, ds, head);
    return d;
  }

  /** Add samples [from, to) (refilling if samples were skipped) and drop what left the window. */
  function advance(d, view, ds, from, to) {
    if (from !== d.end) fill(d, view, ds, to);
    else d.envs.forEach((env, k) => decimate.appendLooped(env, from, to, ds.channels[view.channels[k]]));
    d.end = to;
    d.envs.forEach((env) => decimate.trim(env, to - view.window));
  }

  /**
   * The envelope record that fits `cols` pixel columns now: `d` itself while its bucket size still does; a new
   * one filled up to `head` when the width changed the bucket size (the view's first figure was built before
   * its graph was laid out, at the fallback width, or the graph was resized: it is responsive) or when a view
   * drawn at full resolution no longer fits (`d` null and the view wants an envelope); null while full
   * resolution fits. A new record keeps the x axis the old one showed (a user's zoom stays).
   */
  function fitted(d, view, cols, head, ds) {
    if (d ? decimate.bucketSize(view.window, cols) === d.B : !wants(view, cols)) return d;
    const next = create(view, head, cols, ds);
    next.xaxis = d ? d.xaxis : xaxisAt(view, ds, head);
    return next;
  }

  /**
   * A stream's envelope kept at one bucket per pixel column (`s`: the engine's stream state, {fit, decimated,
   * config, sentEnd}; `cols`: its plot's columns now): a view configured before its graph was laid out was
   * built for the fallback width, and a responsive graph changes width with the window. The envelope is rebuilt
   * (O(window)) once a new width has held FIT_HOLD_MS, not at every step of a drag; the next draw replaces
   * every point, so the switch needs no new figure.
   */
  function refit(s, cols, now, ds) {
    if (cols !== s.fit.cols) s.fit = { cols, since: now };
    else if (now - s.fit.since >= FIT_HOLD_MS) s.decimated = fitted(s.decimated, s.config, cols, s.sentEnd, ds);
  }

  /** The x axis that shows the window ending at `head` (fixed range: no autorange). */
  function xaxisAt(view, ds, head) {
    return { autorange: false, range: figure.xRange(head, view.window, figure.xRate(ds), ds.x0 || 0) };
  }

  /** The whole figure of the envelope as it stands (the first draw of a view, or an Interval tick). */
  function envelopeFigure(d, view, ds, config, epoch) {
    const cols = columnsOut(d, ds);
    const data = figure.traces(ds, view).map((t, k) => Object.assign(t, { x: cols.x[k], y: cols.y[k] }));
    return figure.finish({ data, layout: figure.layout(config, view.channels, epoch, { xaxis: d.xaxis }) }, view, config);
  }

  /** The first figure of a view: the envelope up to `head`, the x axis on the window. */
  function prepare(d, view, ds, config, epoch, head) {
    d.xaxis = xaxisAt(view, ds, head);
    return envelopeFigure(d, view, ds, config, epoch);
  }

  /**
   * rAF path: advance by [from, to) and return Plotly.update's arguments [traces, layout, indices]: restyle
   * and relayout in place, so dcc.Graph's figure stays current; the x range is left alone while `frozen`.
   * Restyling x and y makes plotly forget the axis types and guess them again from the data (its
   * clearAxisTypes, then autotype: ~3-4 ms a frame here) unless the same update names them, so the types
   * the layout `base` declares are named again.
   */
  function updateArgs(d, view, ds, from, to, frozen, base) {
    advance(d, view, ds, from, to);
    const cols = columnsOut(d, ds);
    const layout = frozen ? {} : { "xaxis.range": figure.xRange(to, view.window, figure.xRate(ds), ds.x0 || 0) };
    for (const axis of ["xaxis", "yaxis"]) {
      const type = axis === "xaxis" && ds.date ? "date" : base && base[axis] && base[axis].type;
      if (type) layout[`${axis}.type`] = type;
    }
    return [{ x: cols.x, y: cols.y }, layout, view.channels.map((_, k) => k)];
  }

  /**
   * Interval path: advance by [from, to) and return the whole (small) figure for a dcc.Graph figure output.
   * While the user has zoomed (`frozen`) the last x axis is repeated, so uirevision keeps the user's range.
   */
  function tickFigure(d, view, ds, config, epoch, from, to, frozen) {
    advance(d, view, ds, from, to);
    if (!frozen) d.xaxis = xaxisAt(view, ds, to);
    return envelopeFigure(d, view, ds, config, epoch);
  }

  return { columns, wants, create, fitted, refit, advance, prepare, updateArgs, tickFigure, FALLBACK_COLUMNS, FIT_HOLD_MS };
});
