/**
 * Bare-page loops of the browser benchmark (benchmarks/bench_ceiling.py injects bench_page.js, then this,
 * into about:blank with plotly.js). No Dash, no engine: what Plotly alone allows on this machine.
 *   bareReact(opts)   the ceiling: Plotly.react every frame with a fixed small dataset, both ranges given, and
 *                     the data-to-paint latency under the probe's definition (previous frame's cut-off to the
 *                     animation frame after the draw: two frames when every draw fits in a frame); with
 *                     opts.data, the measured page's own picture instead (dataReact below);
 *   bareExtend(opts)  raw Plotly.extendTraces every frame with the samples due (at opts.rate), maxPoints = window.
 * Each result carries a `breakdown` like an app cell's (bench_page.js): the Plotly calls are spans (the
 * spans module, assets/js/42_spans.js, is injected before this file), the loop's own data making is "other".
 */
(function (root) {
  "use strict";
  const B = root.__ticklessBench;
  const { heap, newRecord, observeLongTasks, observeSpans, frameBreakdown, frameStats, wrapPlotly } = B.util;

  /** A plot div of the app graph's size on a bare page (the previous one purged: the page is reused). */
  function plotDiv(o) {
    document.querySelectorAll(".js-plotly-plot").forEach((gd) => root.Plotly.purge(gd));
    document.body.style.margin = "0";
    document.body.innerHTML = "";
    const gd = document.createElement("div");
    gd.style.width = `${o.width}px`;
    gd.style.height = `${o.height}px`;
    document.body.appendChild(gd);
    return gd;
  }

  /** A looped synthetic signal per trace (sines + noise), float32 like the app's dataset. */
  function signal(k, length) {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.sin(i / 900 + k) + 0.35 * Math.sin(i / 61 + 2 * k) + 0.1 * Math.sin(i * 1.7) + 2.5 * k;
    return out;
  }

  /** x/y plain arrays of virtual samples [from, to) of every trace (the engine's sliceColumns shape). */
  function columns(srcs, from, to, rate) {
    const x = [];
    const y = [];
    for (const src of srcs) {
      const xs = new Array(to - from);
      const ys = new Array(to - from);
      for (let v = from; v < to; v++) {
        xs[v - from] = v / rate;
        ys[v - from] = src[v % src.length];
      }
      x.push(xs);
      y.push(ys);
    }
    return { x, y };
  }

  /**
   * Run `step(now)` (returns a promise, or null when there is nothing to draw) one call in flight, record
   * painted frames on the rAF after each call settles, warm up, then measure for durationMs.
   */
  function runLoop(o, step) {
    return new Promise((resolve) => {
      let rec = newRecord();
      let busy = false;
      let pending = null;
      let running = true;
      let observer = null;
      let spanObserver = null;
      wrapPlotly();
      const tick = (now) => {
        if (!running) return;
        requestAnimationFrame(tick);
        rec.raf.push(now);
        if (pending) {
          rec.painted.push(now);
          if (pending.due !== undefined) rec.latency.push(now - pending.due);
          pending = null;
        }
        if (busy) return;
        const t0 = performance.now();
        const work = step(now);
        if (!work) return;
        busy = true;
        const r = rec;
        r.calls.push(performance.now() - t0);
        work.promise.then(() => {
          busy = false;
          pending = { due: work.due };
          r.settled.push(performance.now() - t0);
        });
      };
      requestAnimationFrame(tick);
      setTimeout(() => {
        rec = newRecord();
        rec.heapStartGc = heap(true);
        rec.running = true;
        B.heapWatch = rec.gc; // collections inside Plotly calls (bench_page.js wrapPlotly, bench_late.js)
        observer = observeLongTasks(rec);
        spanObserver = observeSpans(rec);
        setTimeout(() => {
          running = false;
          rec.running = false;
          B.heapWatch = null;
          if (observer) observer.disconnect();
          if (spanObserver) spanObserver.disconnect();
          const out = frameStats(rec, performance.now());
          out.breakdown = frameBreakdown(rec);
          out.heapStartGc = rec.heapStartGc;
          out.heapEndGc = heap(true);
          out.plotlyVersion = root.Plotly.version;
          resolve(out);
        }, o.durationMs);
      }, o.warmupMs);
    });
  }

  /** Trace k as every bare loop draws it (the app's: lines, width 1, no legend). */
  function line(o, k, x, y) {
    return { type: o.trace, mode: "lines", name: `ch${k + 1}`, x, y, line: { width: 1 } };
  }

  /** The app's layout at the graph's size with both axis ranges given (no autorange). */
  function fixedLayout(o, xRange, yRange) {
    return Object.assign({}, o.layout, {
      width: o.width,
      height: o.height,
      xaxis: Object.assign({}, o.layout.xaxis, { autorange: false, range: xRange }),
      yaxis: Object.assign({}, o.layout.yaxis, { autorange: false, range: yRange }),
    });
  }

  /**
   * runLoop with Plotly.react of `next(now)` ({data, layout}) every frame, timing data-to-paint latency as the
   * app's probe does: from the previous batch's cut-off (its oldest new sample came due just after that frame)
   * to the animation frame after this draw.
   */
  function reactLoop(o, gd, next) {
    let cut = null; // the rAF time of the previous draw: the points it did not show came due after it
    return runLoop(o, (now) => {
      const { data, layout } = next(now);
      const due = cut === null ? undefined : cut;
      cut = now;
      return { promise: root.Plotly.react(gd, data, layout), due };
    });
  }

  /** The first `traces` channels of a (channels × length) float32 dataset served by the bare origin, fetched once. */
  async function channelsOf(d) {
    const cache = B.dataCache || (B.dataCache = new Map());
    if (!cache.has(d.url)) {
      const res = await fetch(d.url);
      if (!res.ok) throw new Error(`dataset ${d.url}: HTTP ${res.status}`);
      cache.set(d.url, new Float32Array(await res.arrayBuffer()));
    }
    const all = cache.get(d.url);
    if (all.length < d.traces * d.length) throw new Error(`dataset ${d.url}: ${all.length} values, want ${d.traces} × ${d.length}`);
    return Array.from({ length: d.traces }, (_, k) => all.subarray(k * d.length, (k + 1) * d.length));
  }

  /**
   * The ceiling drawing the measured page's picture (o.data: {url, traces, length, window, bucket, yRange}): its
   * dataset's first `traces` channels, as min/max envelopes of `bucket` samples (the engine's own 35_decimate.js;
   * bucket 1 is the samples themselves), the window ending at a head that advances o.rate samples a second of
   * wall time as the page's clock does, the x range on the window. The envelope's upkeep each frame is the
   * loop's own work ("other"), as the engine's is the page's. Plotly.react every frame, one call in flight.
   */
  async function dataReact(o) {
    const d = o.data;
    const dec = root.dash_clientside && root.dash_clientside.tickless && root.dash_clientside.tickless.decimate;
    if (!dec) throw new Error("the envelope module (35_decimate.js) is not loaded on the bare page");
    const srcs = await channelsOf(d);
    const gd = plotDiv(o);
    const envs = srcs.map(() => dec.createEnvelope(d.bucket, dec.capacityFor(d.window, d.bucket, Math.max(d.window, o.rate))));
    const outs = srcs.map(() => null);
    let end = d.window;
    envs.forEach((env, k) => dec.appendLooped(env, 0, end, srcs[k]));
    const figure = () =>
      envs.map((env, k) => {
        const out = (outs[k] = dec.points(env, o.rate, outs[k]));
        return line(o, k, out.x.subarray(0, out.n), out.y.subarray(0, out.n));
      });
    const layoutAt = (head) => fixedLayout(o, [(head - d.window) / o.rate, (head - 1) / o.rate], d.yRange);
    await root.Plotly.newPlot(gd, figure(), layoutAt(end));
    const t0 = performance.now();
    const drawn = [];
    const out = await reactLoop(o, gd, (now) => {
      const head = d.window + Math.floor(((now - t0) * o.rate) / 1000);
      if (head > end) {
        envs.forEach((env, k) => {
          dec.appendLooped(env, end, head, srcs[k]);
          dec.trim(env, head - d.window);
        });
        end = head;
      }
      const data = figure();
      drawn.push(data.reduce((a, t) => a + t.x.length, 0) / data.length);
      return { data, layout: layoutAt(end) };
    });
    out.drawnPoints = drawn.length ? drawn.reduce((a, b) => a + b, 0) / drawn.length : null;
    return out;
  }

  /** The ceiling: Plotly.react every frame, o.traces traces × o.points points, both axis ranges given. */
  B.bareReact = async function (o) {
    if (o.data) return dataReact(o);
    const gd = plotDiv(o);
    const srcs = Array.from({ length: o.traces }, (_, k) => signal(k, o.points * 64));
    const layoutAt = (from) => fixedLayout(o, [from / o.rate, (from + o.points - 1) / o.rate], o.yRange);
    const figure = (from) => {
      const cols = columns(srcs, from, from + o.points, o.rate);
      return cols.y.map((y, k) => line(o, k, cols.x[k], y));
    };
    await root.Plotly.newPlot(gd, figure(0), layoutAt(0));
    let from = 0;
    return reactLoop(o, gd, () => {
      from += o.shift;
      return { data: figure(from), layout: layoutAt(from) };
    });
  };

  /** Raw extendTraces: a full window drawn once, then every frame the samples due (at o.rate) with maxPoints = window. */
  B.bareExtend = async function (o) {
    const gd = plotDiv(o);
    const length = Math.max(Math.ceil(o.window * 1.2), o.rate * 20);
    const srcs = Array.from({ length: o.traces }, (_, k) => signal(k, length));
    const cols = columns(srcs, 0, o.window, o.rate);
    const data = cols.y.map((y, k) => line(o, k, cols.x[k], y));
    const layout = Object.assign({}, o.layout, { width: o.width, height: o.height, yaxis: Object.assign({}, o.layout.yaxis, { range: o.yRange }) });
    await root.Plotly.newPlot(gd, data, layout);
    const tStart = performance.now();
    const indices = srcs.map((_, k) => k);
    let sent = o.window;
    return runLoop(o, (now) => {
      const due = o.window + Math.floor(((now - tStart) * o.rate) / 1000);
      if (due <= sent) return null;
      const from = Math.max(sent, due - o.window);
      const update = columns(srcs, from, due, o.rate);
      const dueAt = tStart + ((from - o.window) * 1000) / o.rate;
      sent = due;
      return { promise: root.Plotly.extendTraces(gd, update, indices, o.window), due: dueAt };
    });
  };
})(window);
