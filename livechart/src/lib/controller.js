/**
 * controller: one LiveChart's engine. React hands it the props (update) and the DOM element (create);
 * it runs its own requestAnimationFrame loop that, each frame, finds the live edge (playback.js or the
 * Tickless tab's clock), brings the envelopes to the samples in view (view.js), and redraws the uPlot
 * canvas only when something changed. setProps hears sampled values only (outbox.js), never per frame.
 */
import { normalize, resolveChannels } from "./props.js";
import * as series from "./series.js";
import { createView, update as updateView, columns, extent, extentOf, padded, bucketFor } from "./view.js";
import * as play from "./playback.js";
import { createOutbox, createMeter, offer, flush, tick } from "./outbox.js";
import { createChart, destroyChart, drawFrame, fit, plotColumns } from "./chart.js";
import { gestures } from "./gestures.js";
import { ticklessSource } from "./tickless.js";
import { rowScale, rowTicks } from "./stack.js";

const MAX_LOGGED = 200;

/** What a chart shows of its look (for tests): background, font, axis labels as last drawn. */
function lookOf(chart) {
  const u = chart.u;
  return {
    background: chart.el.style.background,
    fontSize: chart.look.fontSize,
    axisFont: u.axes[0].font ? String(u.axes[0].font[0] || u.axes[0].font) : null,
    xLabels: (u.axes[0]._values || []).slice(),
    yLabels: (u.axes[1]._values || []).slice(),
    scales: Object.keys(u.scales),
  };
}

/** A controller drawing into `plotEl`; `hooks` = {setProps, onLoading}. */
export function createController(plotEl, hooks) {
  const doc = plotEl.ownerDocument;
  const win = doc.defaultView;
  const st = {
    doc, win, hooks, opts: normalize({}).opts, logged: new Set(),
    series: series.emptySeries([], 1), epoch: 0, dataRef: undefined, extendRef: undefined, updated: false,
    pending: null, queued: [], player: null, tl: null, tlEpoch: 0,
    view: createView(), chart: null, lookKey: "", frozen: null, last: null, loopArrays: null,
    box: createOutbox(), meter: createMeter(), dirty: true, loading: false, raf: 0, frames: 0, draws: 0, drawMs: 0, resized: false,
    drawnAt: null, lastDrawMs: null, hidden: false,
    propsNames: null, // the Tickless data's channel names when the props last came (see frame)
  };
  st.box.sent = { clickData: null, hoverData: null, xRange: null, fps: null };
  const on = gestures(st);
  const ro = new win.ResizeObserver((entries) => {
    st.resized = true;
    const box = entries[entries.length - 1].contentRect;
    st.hidden = box.width === 0 && box.height === 0; // display:none (a hidden panel or tab): nothing to draw
  });
  ro.observe(plotEl);

  /** console.error each message once (the props are re-read on every render). */
  function report(errors) {
    for (const text of errors) {
      if (st.logged.has(text)) continue;
      if (st.logged.size < MAX_LOGGED) st.logged.add(text);
      console.error(text); // eslint-disable-line no-console
    }
  }

  /** Tell React whether the chart waits for its data. */
  function setLoading(loading) {
    if (loading === st.loading) return;
    st.loading = loading;
    if (hooks.onLoading) hooks.onLoading(loading);
  }

  /** A new player for the props data (replay restarts its clock; live follows the newest sample). */
  function resetPlayer(now) {
    const o = st.opts;
    st.player = play.createPlayer(o.mode, st.series.rate, o.window, o.playing, o.speed, now);
    st.playerMode = o.mode;
  }

  /** Decode data set by props (a frame after it arrived, so the loading state can paint), then queued extends. */
  function takePending(now) {
    if (st.pending && st.pending.age++ >= 1) {
      const errors = [];
      st.series = series.fromData(st.pending.data, errors);
      report(errors);
      st.pending = null;
      st.epoch += 1;
      resetPlayer(now);
    }
    if (st.pending) return false;
    for (const ext of st.queued.splice(0)) {
      const errors = [];
      series.append(st.series, ext, errors);
      report(errors);
    }
    return true;
  }

  /** The props data as a source for view.js (looped in replay mode). */
  function propsSource() {
    const s = st.series;
    const loop = st.opts.mode === "replay";
    if (loop && (!st.loopArrays || st.loopArrays.length !== s.length || st.loopArrays.channels !== s.channels)) {
      st.loopArrays = { length: s.length, channels: s.channels, views: s.channels.map((a) => a.subarray(0, s.length)) };
    }
    const epoch = loop ? `${st.epoch}:${s.length}` : String(st.epoch);
    const array = loop ? (c) => st.loopArrays.views[c] : (c) => s.channels[c];
    return { ready: true, names: s.names, rate: s.rate, ranges: s.ranges, loop, start: s.start, end: series.end(s), array, epoch };
  }

  /** The source this frame draws from (the Tickless tab's arrays or the props data), or null while waiting. */
  function source() {
    if (st.opts.source !== "tickless") return takePending(st.now) ? propsSource() : null;
    const tl = ticklessSource(win, st.tl);
    if (!tl.ready) {
      if (!tl.found) report(["LiveChart: prop `source` is \"tickless\" but this page has no Tickless engine (window.dash_clientside.tickless.stream); waiting for it"]);
      return null;
    }
    if (tl !== st.tl) st.tlEpoch += 1;
    st.tl = tl;
    tl.epoch = `t${st.tlEpoch}`;
    return tl;
  }

  /** (Re)build the uPlot when the shown channels, names, colours, theme, font, layout or x axis kind change. */
  function ensureChart(src, chans) {
    const o = st.opts;
    const theme = o.themes[o.theme];
    const stacked = o.layout === "stacked" && chans.length > 1;
    const time = o.timeStart !== null;
    const key = JSON.stringify([chans, src.names, o.colors, theme, o.fontSize, stacked, o.stackGap, time]);
    if (st.chart && key === st.lookKey) return;
    destroyChart(st.chart);
    const look = { chans, names: src.names, colors: o.colors, theme, fontSize: o.fontSize, stacked, gap: o.stackGap, time };
    st.chart = createChart(plotEl, look, on);
    st.rows = chans.map(() => [0, 1]); // each row's scale, and its channel's [lo, hi] (reused every frame)
    st.rowData = chans.map(() => [0, 1]);
    st.one = [null];
    st.lookKey = key;
    st.dirty = true;
    if (hooks.onShown) hooks.onShown(chans.map((c) => ({ c, name: src.names[c] })));
  }

  /** The y range for this frame: fixed (prop, or the whole data's extent) or the window's own extent. */
  function yRangeFor(src, chans) {
    const o = st.opts;
    if (o.yMode === "fixed") {
      if (o.yRange) return o.yRange;
      let lo = Infinity;
      let hi = -Infinity;
      for (const c of chans) {
        lo = Math.min(lo, src.ranges[c][0]);
        hi = Math.max(hi, src.ranges[c][1]);
      }
      return padded(lo, hi);
    }
    const e = extent(st.view);
    return padded(e.lo, e.hi);
  }

  /**
   * The y scales for this frame: [the y range] overlaid; stacked, one scale per shown channel placing its
   * range (fixed: `yRange` or its whole data; auto: its window on screen) in its row, and the rows' ticks.
   */
  function yScalesFor(src, chans) {
    const o = st.opts;
    if (!st.chart.look.stacked) {
      st.one[0] = yRangeFor(src, chans);
      return st.one;
    }
    const n = chans.length;
    for (let k = 0; k < n; k++) {
      let r;
      if (o.yMode === "fixed") r = o.yRange || padded(src.ranges[chans[k]][0], src.ranges[chans[k]][1]);
      else {
        const e = extentOf(st.view, k);
        r = padded(e.lo, e.hi);
      }
      st.rowData[k][0] = r[0];
      st.rowData[k][1] = r[1];
      const s = rowScale(r[0], r[1], k, n, o.stackGap);
      st.rows[k][0] = s[0];
      st.rows[k][1] = s[1];
    }
    rowTicks(st.rowData, n, o.stackGap, st.chart.look.ticks);
    return st.rows;
  }

  /** Draw what is due at `now` if anything changed; returns true when it drew. */
  function frame(now) {
    st.now = now;
    const src = source();
    setLoading(!src || Boolean(st.pending));
    if (!src) return false;
    const o = st.opts;
    const errors = [];
    const chans = resolveChannels(o.channels, src.names, errors);
    // the Tickless tab's data can change under the chart (an upload) a frame before the page's view names the new
    // channels: a selection made for other data is not reported; one made while these data were shown is
    if (errors.length && (o.source !== "tickless" || !st.propsNames || st.propsNames === src.names.join("\u0001"))) {
      report(errors);
    }
    ensureChart(src, chans);
    if (st.resized) {
      st.resized = false;
      if (fit(st.chart)) st.dirty = true;
    }
    let head;
    if (o.source === "tickless") head = play.clockHead(src.clock, now);
    else {
      if (!st.player || st.playerMode !== o.mode) resetPlayer(now);
      play.control(st.player, o.playing, o.speed, now, src.end);
      head = play.head(st.player, now, src.end);
    }
    st.head = head;
    const first = src.loop ? 0 : src.start;
    const x0 = o.timeStart === null ? 0 : o.timeStart; // x is epoch seconds on a date axis
    const range = st.frozen
      ? play.frozenSamples(x0 ? [st.frozen[0] - x0, st.frozen[1] - x0] : st.frozen, src.rate, first, head)
      : play.followSamples(head, o.window, first);
    const span = st.frozen ? (st.frozen[1] - st.frozen[0]) * src.rate : o.window;
    const B = bucketFor(o.decimate, span, plotColumns(st.chart));
    const keep = Math.max(o.window, st.frozen ? head - range.lo : 0, 1);
    if (st.hidden) {
      // no envelope work and no draw while hidden (appends are still taken and trimmed); shown again, the
      // resize makes the next frame bring the envelopes to the range and draw
      if (!src.loop) series.trimTo(st.series, keep);
      return false;
    }
    const changed = updateView(st.view, src, chans, range.lo, range.hi, B, src.epoch);
    if (!src.loop) series.trimTo(st.series, keep);
    if (!changed && !st.dirty) return false;
    const cols = columns(st.view, src.rate, x0);
    const xRange = st.frozen || play.followRange(head, o.window, first, src.rate);
    if (!st.frozen && x0) {
      xRange[0] += x0;
      xRange[1] += x0;
    }
    const yScales = yScalesFor(src, chans);
    st.last = { cols, chans, names: src.names, rate: src.rate, head, range, B, xRange, yRange: yScales[0], yScales };
    drawFrame(st.chart, cols, xRange, yScales);
    st.dirty = false;
    return true;
  }

  /** The animation frame loop: draw, count, and send what changed (sampled). */
  function loop(now) {
    st.raf = win.requestAnimationFrame(loop);
    st.frames += 1;
    let drew = false;
    const t0 = win.performance.now();
    try {
      drew = frame(now);
    } catch (err) {
      report([`LiveChart: frame failed: ${err && err.stack ? err.stack.split("\n")[0] : err}`]);
    }
    if (drew) {
      st.draws += 1;
      st.drawnAt = now; // the animation frame that painted it (hosts time data-to-paint from the next one)
      st.lastDrawMs = win.performance.now() - t0;
      st.drawMs = 0.9 * st.drawMs + 0.1 * st.lastDrawMs;
    }
    offer(st.box, "fps", tick(st.meter, now, drew), false);
    const out = flush(st.box, now, st.opts.sampleInterval);
    if (out && hooks.setProps) hooks.setProps(out);
  }

  /** Take new props: options now; data and extend are taken in the next frame, in order. */
  function update(props) {
    const { opts, errors } = normalize(props);
    report(errors);
    const o = st.opts;
    const shown = opts.source === "tickless" && st.tl && st.tl.ready ? st.tl.names : null;
    st.propsNames = shown ? shown.join("\u0001") : null; // the channels these props were given for
    if (opts.window !== o.window || opts.decimate !== o.decimate || opts.yMode !== o.yMode || String(opts.yRange) !== String(o.yRange)) st.dirty = true;
    if (opts.timeStart !== o.timeStart) st.frozen = null; // a zoom in the other x units means nothing now
    st.opts = opts;
    // pause/play and speed act now, not at the next frame: a pause holds what is on screen, even if an
    // extend arrives before that frame
    if (st.player && (opts.playing !== o.playing || opts.speed !== o.speed)) {
      play.control(st.player, opts.playing, opts.speed, win.performance.now(), series.end(st.series));
    }
    if (opts.source === "props" && props.data !== st.dataRef) {
      st.dataRef = props.data;
      st.pending = { data: props.data, age: 0 };
      st.queued = [];
      setLoading(true);
    }
    // each new value of `extend` is appended once; the value held when the chart mounts is not (a remount
    // starts again from `data`, and re-appending the last extend would duplicate it)
    const fresh = st.updated && props.extend !== st.extendRef;
    st.updated = true;
    st.extendRef = props.extend;
    if (fresh && props.extend !== null && props.extend !== undefined && opts.source === "props") st.queued.push(props.extend);
  }

  /** Stop the loop, drop listeners and the canvas. */
  function destroy() {
    win.cancelAnimationFrame(st.raf);
    ro.disconnect();
    if (st.unpan) st.unpan();
    destroyChart(st.chart);
    st.chart = null;
  }

  /** A plain summary for tests and debugging (what is drawn, where the edge is, what was sent). */
  function snapshot() {
    const l = st.last;
    return {
      frames: st.frames, draws: st.draws, drawMs: st.drawMs, drawnAt: st.drawnAt, lastDrawMs: st.lastDrawMs,
      fps: st.meter.fps, loading: st.loading, hidden: st.hidden, frozen: st.frozen,
      head: st.head === undefined ? null : st.head, lo: l ? l.range.lo : null, hi: l ? l.range.hi : null, bucket: l ? l.B : null,
      xRange: l ? l.xRange : null, yRange: l ? l.yRange : null, channels: l ? l.chans : [], points: l ? l.cols.n : 0,
      held: st.series.length, start: st.series.start, sent: Object.assign({}, st.box.sent), opts: st.opts,
      layout: st.chart && st.chart.look.stacked ? "stacked" : "overlaid", theme: st.opts.theme, time: st.opts.timeStart !== null,
      yScales: l ? l.yScales.map((r) => r.slice()) : [], look: st.chart ? lookOf(st.chart) : null,
    };
  }

  /** The drawn columns as plain arrays: [x, y per shown channel]. */
  function drawn() {
    const l = st.last;
    return l ? [Array.from(l.cols.x)].concat(l.cols.ys.map((y) => Array.from(y))) : [];
  }

  st.raf = win.requestAnimationFrame(loop);
  return { update, destroy, snapshot, drawn, state: st };
}
