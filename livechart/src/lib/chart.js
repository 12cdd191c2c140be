/**
 * chart: the uPlot canvas behind a LiveChart (DOM glue only; what to draw comes from view.js). One uPlot
 * per (channels shown, names, colours, theme, font, layout, time axis); drawing a frame is one batch of setData
 * + setScale with scales computed by the caller (no autorange). Stacked rows are one uPlot too: one y scale per
 * channel whose range puts it in its own row (stack.js), and one y axis on a 0..1 scale labelled row by row.
 * On a date axis x is epoch seconds and the labels are UTC. Mouse gestures go to the handlers passed in:
 * drag = zoom x (onZoom), shift+drag = pan (onPan), double-click = follow the live edge (onFollow),
 * click = a point (onClick), hover = onHover. uPlot's CSS is injected once per page.
 */
import uPlot from "uplot";
import css from "uplot/dist/uPlot.min.css";
import { timeLabels } from "./stack.js";

const FONT = "system-ui, sans-serif";
const utc = (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC");

/** Add uPlot's stylesheet to the page once. */
function injectCss(doc) {
  if (doc.getElementById("tickless-livechart-uplot-css")) return;
  const style = doc.createElement("style");
  style.id = "tickless-livechart-uplot-css";
  style.textContent = css;
  doc.head.appendChild(style);
}

/** The colour of data channel `c` (cycled through the list, so a channel keeps its colour when others hide). */
export function colorOf(colors, c) {
  return colors[c % colors.length];
}

/** uPlot axis options in a theme ({paper, plot, font, grid, zero}) at a font size (px). */
function axis(theme, px, extra) {
  return Object.assign({
    stroke: theme.font,
    font: `${px}px ${FONT}`,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.zero, width: 1, size: Math.round(px / 2) },
    border: { show: true, stroke: theme.zero, width: 1 },
  }, extra);
}

/** The x axis and the y axis (or the rows' y axis, reading `look.ticks` filled by drawFrame). */
function axes(look) {
  const px = look.fontSize;
  const x = look.time
    ? axis(look.theme, px, { size: Math.round(px * 3.6), space: px * 7, values: (u, splits, i, space, incr) => timeLabels(splits, incr) })
    : axis(look.theme, px, { size: Math.round(px * 2.4), space: px * 5 });
  const ySize = Math.round(px * 4.2);
  if (!look.stacked) return [x, axis(look.theme, px, { size: ySize, space: px * 2.5 })];
  const rows = axis(look.theme, px, {
    scale: "rows",
    size: ySize,
    splits: () => look.ticks.pos,
    values: () => look.ticks.labels,
  });
  return [x, rows];
}

/** The y scale of shown channel k (one per row when stacked). */
export function yScaleOf(look, k) {
  return look.stacked ? `y${k}` : "y";
}

/** uPlot options for the shown channels, sized `width` × `height` CSS px. */
function options(look, width, height, on) {
  let downX = null;
  const scales = { x: { time: look.time, auto: false } };
  if (look.stacked) {
    scales.rows = { auto: false, range: [0, 1] };
    look.chans.forEach((c, k) => {
      scales[`y${k}`] = { auto: false };
    });
  } else scales.y = { auto: false };
  return {
    width,
    height,
    legend: { show: false },
    tzDate: utc,
    scales,
    axes: axes(look),
    series: [{}].concat(
      look.chans.map((c, k) => ({ label: look.names[c], scale: yScaleOf(look, k), stroke: colorOf(look.colors, c), width: 1, points: { show: false } })),
    ),
    cursor: {
      drag: { x: true, y: false, setScale: false },
      points: { show: false },
      bind: {
        mousedown: (u, targ, handler) => (e) => {
          if (e.button !== 0) return null;
          downX = e.clientX;
          if (e.shiftKey) on.onPan(u, e);
          else handler(e);
          return null;
        },
        dblclick: () => (e) => {
          if (e.button === 0) on.onFollow();
          return null;
        },
      },
    },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const x0 = u.posToVal(u.select.left, "x");
          const x1 = u.posToVal(u.select.left + u.select.width, "x");
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          on.onZoom([x0, x1]);
        },
      ],
      setCursor: [(u) => on.onHover(u.cursor.idx, u.cursor.left, u.cursor.top)],
      ready: [
        (u) =>
          u.over.addEventListener("click", (e) => {
            if (downX === null || Math.abs(e.clientX - downX) < 3) on.onClick(u.cursor.idx, u.cursor.top);
          }),
      ],
    },
  };
}

/**
 * A chart in `el` (the plot area element): {u, look, el}. `look`: {chans, names, colors, theme (its colours),
 * fontSize (px), time (x is epoch seconds: a UTC date axis), stacked (one row per channel), gap (between rows)}.
 */
export function createChart(el, look, on) {
  injectCss(el.ownerDocument);
  const width = Math.max(50, el.clientWidth);
  const height = Math.max(50, el.clientHeight);
  const empty = [new Float64Array(0)].concat(look.chans.map(() => new Float32Array(0)));
  el.style.background = look.theme.plot;
  look.ticks = { pos: [], labels: [] };
  const u = new uPlot(options(look, width, height, on), empty, el);
  return { u, look, el, width, height };
}

/** Destroy the uPlot (listeners, canvas). */
export function destroyChart(chart) {
  if (chart && chart.u) chart.u.destroy();
}

/** Follow the plot element's size; returns true when it changed. */
export function fit(chart) {
  const width = Math.max(50, chart.el.clientWidth);
  const height = Math.max(50, chart.el.clientHeight);
  if (width === chart.width && height === chart.height) return false;
  chart.width = width;
  chart.height = height;
  chart.u.setSize({ width, height });
  return true;
}

/** Pixel columns of the plot area (where the envelope puts one bucket per column). */
export function plotColumns(chart) {
  const w = chart.u.bbox.width / (chart.el.ownerDocument.defaultView.devicePixelRatio || 1);
  return Math.max(1, Math.floor(w));
}

/**
 * Draw one frame: the aligned columns and the axis ranges, in one uPlot batch (one redraw). Overlaid:
 * `yRanges[0]` is the y range. Stacked: `yRanges[k]` is shown channel k's row scale (stack.js rowScale).
 */
export function drawFrame(chart, cols, xRange, yRanges) {
  const u = chart.u;
  const stacked = chart.look.stacked;
  u.batch(() => {
    u.setData([cols.x].concat(cols.ys), false);
    u.setScale("x", { min: xRange[0], max: xRange[1] });
    if (!stacked) u.setScale("y", { min: yRanges[0][0], max: yRanges[0][1] });
    else for (let k = 0; k < yRanges.length; k++) u.setScale(`y${k}`, { min: yRanges[k][0], max: yRanges[k][1] });
  });
}

/** The vertical pixel position of `value` on shown channel k's y scale. */
export function yPos(chart, value, k) {
  return chart.u.valToPos(value, yScaleOf(chart.look, k));
}

/** The value at a vertical pixel position of the plot area. */
export function yAt(chart, top, k = 0) {
  return chart.u.posToVal(top, yScaleOf(chart.look, k));
}

/** Horizontal CSS px → seconds along the current x scale. */
export function secondsPerPixel(chart) {
  const u = chart.u;
  const w = u.bbox.width / (chart.el.ownerDocument.defaultView.devicePixelRatio || 1);
  return (u.scales.x.max - u.scales.x.min) / Math.max(1, w);
}
