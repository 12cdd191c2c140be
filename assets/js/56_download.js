/**
 * download: the window on screen as a file. Pure parts (node --test):
 *   windowRange(end, window, xRange, rate, x0) the samples [from, to) on screen: the window ending at `end`,
 *                                             or the part of it a zoom shows (seconds or plotly date strings);
 *   dateMs(text)                              epoch ms of a plotly date-axis string;
 *   float32Text(v)                            the shortest text that reads back as the same float32;
 *   csvText(ds, channels, from, to, start)    those samples, exactly, with their time; a header of the
 *                                             channels' names.
 * Page parts: the PNG (Plotly.toImage) and CSV of the main graph's window, saved as a link click does; the
 * viewer's click handler (54_viewer.js) calls them for the download buttons.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root, ns);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "download", function (root, ns) {
  "use strict";

  /**
   * The samples [from, to) on screen: the window ending at `end` (exclusive), cut to a zoomed x range (x =
   * x0 + v / rate: seconds, or epoch ms on a date axis, whose range plotly gives as date strings).
   */
  function windowRange(end, window, xRange, rate, x0 = 0) {
    let from = Math.max(0, end - window);
    let to = Math.max(from, end);
    const xs = Array.isArray(xRange) ? xRange.map((x) => (typeof x === "string" ? dateMs(x) : x)) : null;
    if (xs && Number.isFinite(xs[0]) && Number.isFinite(xs[1])) {
      from = Math.max(from, Math.ceil((xs[0] - x0) * rate - 1e-6));
      to = Math.min(to, Math.floor((xs[1] - x0) * rate + 1e-6) + 1);
    }
    return { from, to: Math.max(from, to) };
  }

  /** Epoch ms of a plotly date-axis string ("2026-03-01 08:00:00.004", UTC), NaN when it is not one. */
  function dateMs(text) {
    const m = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?))?$/.exec(String(text).trim());
    return m ? Date.parse(`${m[1]}T${m[2] || "00:00"}Z`) + fraction(m[2]) : NaN;
  }

  /** Sub-millisecond digits Date.parse drops ("…:05.0041" → 0.1 ms). */
  function fraction(time) {
    const m = /\.(\d{4,})$/.exec(time || "");
    return m ? Number(`0.${m[1].slice(3)}`) : 0;
  }

  /** The shortest decimal text that reads back as this float32 value. */
  function float32Text(v) {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "" : String(v);
    for (let p = 1; p <= 9; p++) {
      const text = Number(v.toPrecision(p)).toString();
      if (Math.fround(Number(text)) === v) return text;
    }
    return String(v);
  }

  /** Quote a CSV header cell when it must be. */
  function cell(text) {
    const s = String(text);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  /**
   * CSV of samples [from, to) of the chosen channel indices: "time" (seconds from the data's start, or ISO
   * 8601 UTC when `start` (epoch s) is given) and one column per channel, each value exactly the float32 drawn.
   */
  function csvText(ds, channels, from, to, start) {
    const header = ["time", ...channels.map((c) => cell(ds.names[c]))].join(",");
    const lines = [header];
    for (let v = from; v < to; v++) {
      const i = v % ds.length;
      const t = v / ds.rate;
      const time = Number.isFinite(start) ? new Date((start + t) * 1000).toISOString() : String(Number(t.toPrecision(15)));
      const row = [time];
      for (const c of channels) row.push(float32Text(ds.channels[c][i]));
      lines.push(row.join(","));
    }
    return `${lines.join("\n")}\n`;
  }

  // --- the page ------------------------------------------------------------------------------------------

  /** The first shown graph that plotly draws (downloads are of this one). */
  function mainGraph() {
    for (const id of ns.viewer.shownGraphs()) {
      const gd = ns.stream.findGraphDiv(id);
      if (gd && gd.data) return { id, gd };
    }
    return null;
  }

  /** Save a Blob (or a data: URL) as a file, as a link click does. */
  function save(href, filename) {
    const a = root.document.createElement("a");
    a.href = href;
    a.download = filename;
    root.document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function baseName() {
    const ds = ns.stream.tab.dataset;
    const source = (ns.stream.tab.config && ns.stream.tab.config.source) || "";
    const stem = String(source.split(":")[0] || "tickless").replace(/\.[A-Za-z0-9]+$/, "");
    return `${stem || "tickless"}-${ds ? ds.length : 0}`.replace(/[^\w.-]+/g, "_");
  }

  /** The samples on screen in the main graph: {ds, channels, from, to} (what the CSV holds). */
  function onScreen() {
    const main = mainGraph();
    const tab = ns.stream.tab;
    if (!main || !tab.dataset) return null;
    const snap = ns.stream.snapshot(main.id);
    const cfg = (snap && snap.config) || {};
    const xr = main.gd.layout && main.gd.layout.xaxis && main.gd.layout.xaxis.range;
    const frozen = Boolean(ns.interact && ns.interact.frozen(main.id));
    const ds = tab.dataset;
    const range = windowRange(snap.sentEnd, cfg.window, frozen ? xr : null, ds.xRate || ds.rate, ds.x0 || 0);
    return { id: main.id, gd: main.gd, ds: tab.dataset, channels: cfg.channels || [], from: range.from, to: range.to };
  }

  function downloadCsv() {
    const win = onScreen();
    if (!win) return null;
    const start = ns.stream.tab.config.data.start;
    const text = csvText(win.ds, win.channels, win.from, win.to, start);
    const url = root.URL.createObjectURL(new root.Blob([text], { type: "text/csv" }));
    save(url, `${baseName()}-${win.from}-${win.to}.csv`);
    root.setTimeout(() => root.URL.revokeObjectURL(url), 10000);
    return { from: win.from, to: win.to, rows: win.to - win.from };
  }

  function downloadPng() {
    const win = onScreen();
    if (!win) return null;
    const { width, height } = win.gd.getBoundingClientRect();
    return root.Plotly.toImage(win.gd, { format: "png", width: Math.round(width), height: Math.round(height) }).then((url) => {
      save(url, `${baseName()}-${win.from}-${win.to}.png`);
      return { from: win.from, to: win.to };
    });
  }

  return { windowRange, dateMs, float32Text, csvText, onScreen, downloadCsv, downloadPng };
});
