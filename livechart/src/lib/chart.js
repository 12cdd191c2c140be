/**
 * chart: the uPlot canvas behind a LiveChart (DOM glue only; what to draw comes from view.js). One uPlot
 * per (channels shown, names, colours, theme); drawing a frame is one batch of setData + setScale with
 * scales computed by the caller (no autorange). Mouse gestures go to the handlers passed in:
 * drag = zoom x (onZoom), shift+drag = pan (onPan), double-click = follow the live edge (onFollow),
 * click = a point (onClick), hover = onHover. uPlot's CSS is injected once per page.
 */
import uPlot from "uplot";
import css from "uplot/dist/uPlot.min.css";

export const THEMES = Object.freeze({
  light: { background: "#ffffff", axis: "#444444", grid: "rgba(0,0,0,0.08)", text: "#333333" },
  dark: { background: "#111418", axis: "#c8c8c8", grid: "rgba(255,255,255,0.10)", text: "#dddddd" },
});

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

/** uPlot axis options in a theme. */
function axis(theme) {
  return { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid, width: 1 } };
}

/** uPlot options for the shown channels, sized `width` × `height` CSS px. */
function options(look, width, height, on) {
  const theme = THEMES[look.theme];
  let downX = null;
  return {
    width,
    height,
    legend: { show: false },
    scales: { x: { time: false, auto: false }, y: { auto: false } },
    axes: [axis(theme), axis(theme)],
    series: [{}].concat(
      look.chans.map((c) => ({ label: look.names[c], stroke: colorOf(look.colors, c), width: 1, points: { show: false } })),
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

/** A chart in `el` (the plot area element): {u, look, el}. */
export function createChart(el, look, on) {
  injectCss(el.ownerDocument);
  const width = Math.max(50, el.clientWidth);
  const height = Math.max(50, el.clientHeight);
  const empty = [new Float64Array(0)].concat(look.chans.map(() => new Float32Array(0)));
  el.style.background = THEMES[look.theme].background;
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

/** Draw one frame: the aligned columns and both axis ranges, in one uPlot batch (one redraw). */
export function drawFrame(chart, cols, xRange, yRange) {
  const u = chart.u;
  u.batch(() => {
    u.setData([cols.x].concat(cols.ys), false);
    u.setScale("x", { min: xRange[0], max: xRange[1] });
    u.setScale("y", { min: yRange[0], max: yRange[1] });
  });
}

/** The value at a vertical pixel position of the plot area. */
export function yAt(chart, top) {
  return chart.u.posToVal(top, "y");
}

/** Horizontal CSS px → seconds along the current x scale. */
export function secondsPerPixel(chart) {
  const u = chart.u;
  const w = u.bbox.width / (chart.el.ownerDocument.defaultView.devicePixelRatio || 1);
  return (u.scales.x.max - u.scales.x.min) / Math.max(1, w);
}
