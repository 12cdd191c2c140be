/**
 * figure: the figures every clientside path draws, from the decoded dataset and the config the server
 * ships (one layout for every strategy, fixed y ranges from each channel's extent). Pure functions;
 * they run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(ns && ns.frames ? ns.frames : typeof require === "function" ? require("./30_frames.js") : null);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "figure", function (frames) {
  "use strict";

  /**
   * A fixed y range covering the chosen channels' whole data, padded as the server pads it: `yPad` is the
   * config's [fraction of the span, padding when flat] (app/contract.py y_range).
   */
  function yRange(ranges, channels, yPad) {
    const [fraction, flat] = yPad;
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of channels) {
      lo = Math.min(lo, ranges[c][0]);
      hi = Math.max(hi, ranges[c][1]);
    }
    if (!(lo <= hi)) return [0, 1];
    const pad = (hi - lo) * fraction || flat;
    return [lo - pad, hi + pad];
  }

  /** The shared layout with this view's y range and the epoch the stream waits for. */
  function layout(config, channels, epoch, extra) {
    const out = JSON.parse(JSON.stringify(config.layout));
    out.yaxis = Object.assign({}, out.yaxis, { range: yRange(config.ranges, channels, config.yPad) });
    out.meta = { tickless_epoch: epoch };
    for (const [key, value] of Object.entries(extra || {})) {
      out[key] = value && typeof value === "object" && !Array.isArray(value) ? Object.assign({}, out[key], value) : value;
    }
    return out;
  }

  /** One trace per chosen channel, without data. */
  function traces(ds, view) {
    return view.channels.map((c) => ({ type: view.trace, mode: "lines", name: ds.names[c], line: { width: 1 } }));
  }

  /**
   * The whole window ending at `head`, at full resolution, as typed arrays (Float64Array times, Float32Array
   * values): the engine extends it with the same types (stream extendArgs).
   */
  function windowFigure(ds, config, view, head, epoch) {
    const range = frames.windowRange(head, view.window);
    const cols = frames.sliceColumns(ds.channels, view.channels, range.from, range.to, xRate(ds), true, ds.x0 || 0);
    const data = traces(ds, view).map((t, k) => Object.assign(t, { x: cols.x[k], y: cols.y[k] }));
    return finish({ data, layout: layout(config, view.channels, epoch) }, view, config);
  }

  /**
   * Every clientside figure, as the viewer draws it (54_viewer.js: stacked rows, y scale, theme), if loaded; with
   * no plotly legend when the view's key is the engine's (view.legend "html", 47_key.js).
   */
  function finish(fig, view, config) {
    const g = typeof window !== "undefined" ? window : globalThis;
    const viewer = g.dash_clientside && g.dash_clientside.tickless && g.dash_clientside.tickless.viewer;
    const out = viewer ? viewer.finish(fig, view, config) : fig;
    if (view && view.legend === "html") out.layout.showlegend = false;
    return out;
  }

  /** The x range that shows the window ending at `head` (exclusive): seconds, or epoch ms from `x0`. */
  function xRange(head, window, rate, x0 = 0) {
    const end = Math.max(head, window);
    return [x0 + (end - window) / rate, x0 + (end - 1) / rate];
  }

  /** Samples per x unit of a loaded dataset (30_frames timeAxis: per second, or per ms on a date axis). */
  function xRate(ds) {
    return ds.xRate || ds.rate;
  }

  return { yRange, layout, traces, windowFigure, xRange, xRate, finish };
});
