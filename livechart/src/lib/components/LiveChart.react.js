import React, { useEffect, useRef, useState } from "react";
import PropTypes from "prop-types";
import { createController } from "../controller.js";
import { normalize } from "../props.js";
import { colorOf } from "../chart.js";

/** Is a callback that outputs to this component running? (Dash 3+ context; older Dash passes loading_state.) */
function useDashLoading(loadingState) {
  const api = typeof window !== "undefined" ? window.dash_component_api : null;
  const ctx = api && api.useDashContext ? api.useDashContext() : null;
  const busy = ctx && ctx.useLoading ? ctx.useLoading() : false;
  return Boolean(busy || (loadingState && loadingState.is_loading));
}

/**
 * LiveChart draws fast live time series on a canvas (uPlot) from data it holds in the browser: a window of
 * up to millions of samples per channel, drawn as a min/max envelope (about two points per pixel column),
 * following the live edge. It takes its data from `data` (base64 float32 or number lists) and appends
 * `extend`; it can replay that data on its own clock (`mode="replay"`) or show what arrives
 * (`mode="live"`); inside Tickless it reads the tab's decoded dataset and clock (`source="tickless"`).
 * Drag to zoom, shift+drag to pan (both freeze the x axis), double-click to follow the live edge again.
 * It reports clicks, hovers, the zoomed x range and its frame rate through props, sampled, never per frame.
 */
const LiveChart = (props) => {
  const { id, className, style, loading_state, setProps } = props;
  const plotRef = useRef(null);
  const ctlRef = useRef(null);
  const setPropsRef = useRef(setProps);
  const [decoding, setDecoding] = useState(true);
  const [shown, setShown] = useState([]);
  const dashLoading = useDashLoading(loading_state);
  setPropsRef.current = setProps;

  useEffect(() => {
    const ctl = createController(plotRef.current, {
      setProps: (values) => setPropsRef.current && setPropsRef.current(values),
      onLoading: setDecoding,
      onShown: setShown,
    });
    ctlRef.current = ctl;
    plotRef.current.parentNode.livechart = ctl;
    return () => {
      ctl.destroy();
      ctlRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (ctlRef.current) ctlRef.current.update(props);
  });

  const { opts } = normalize(props); // the controller reports bad values; here only the look is needed
  const look = opts.themes[opts.theme];
  const palette = opts.colors;
  const px = opts.fontSize;
  const loading = decoding || dashLoading;
  const outer = Object.assign({ height: 300, display: "flex", flexDirection: "column", position: "relative", background: look.paper, color: look.font }, style);
  return (
    <div id={id} className={className} style={outer} data-dash-is-loading={loading || undefined}>
      <div className="livechart-legend" style={{ fontSize: px, padding: "2px 8px", minHeight: Math.round(px * 1.5), fontFamily: "system-ui, sans-serif" }}>
        {shown.map(({ name, c }) => (
          <span key={c} className="livechart-legend-item" style={{ marginRight: 12 }}>
            <span style={{ display: "inline-block", width: 10, height: 2, marginRight: 4, verticalAlign: "middle", background: colorOf(palette, c) }} />
            {name}
          </span>
        ))}
      </div>
      <div className="livechart-plot" ref={plotRef} style={{ flex: "1 1 auto", minHeight: 0, position: "relative" }} />
      {loading ? (
        <div className="livechart-loading" style={{ position: "absolute", top: Math.round(px * 2), right: 12, fontSize: px, opacity: 0.7 }}>
          Loading…
        </div>
      ) : null}
    </div>
  );
};

LiveChart.propTypes = {
  /** The ID used to identify this component in Dash callbacks. */
  id: PropTypes.string,

  /** CSS class of the outer div. */
  className: PropTypes.string,

  /** CSS style of the outer div (default height 300px; the canvas fills it). */
  style: PropTypes.object,

  /**
   * The samples: {names: [str], rate: samples per second, channels: [one entry per channel]}, each entry
   * base64 (or base64url) text of little-endian float32 bytes, or a list of numbers (null = missing).
   * Setting it replaces everything held. Sample i is drawn at x = i / rate seconds.
   */
  data: PropTypes.shape({
    names: PropTypes.arrayOf(PropTypes.string),
    rate: PropTypes.number,
    channels: PropTypes.arrayOf(PropTypes.oneOfType([PropTypes.string, PropTypes.arrayOf(PropTypes.number)])),
  }),

  /**
   * New samples to append, one entry per channel (base64 float32 text or a list of numbers), all the same
   * length; like dcc.Graph's extendData. Each new value is appended once, from a callback or set_props
   * (the value held when the chart mounts is not: a chart starts from `data`).
   */
  extend: PropTypes.arrayOf(PropTypes.oneOfType([PropTypes.string, PropTypes.arrayOf(PropTypes.number)])),

  /**
   * "live": show the newest `window` samples as they are appended (the live edge is the newest sample).
   * "replay": play `data` in a loop along the chart's own clock at `speed` (no server involved).
   * Default "live".
   */
  mode: PropTypes.oneOf(["live", "replay"]),

  /**
   * "props": draw `data` + `extend`. "tickless": draw the Tickless tab's decoded dataset on the tab's replay
   * clock (window.dash_clientside.tickless.stream); `data`, `extend`, `mode`, `playing` and `speed` are then
   * ignored (the tab's controls drive its clock). Default "props".
   */
  source: PropTypes.oneOf(["props", "tickless"]),

  /** Samples per channel on screen, 2 to 10,000,000 (default 2000); wider than the plot draws a min/max envelope. */
  window: PropTypes.number,

  /** Channels to show, as indices or names (default: all). */
  channels: PropTypes.arrayOf(PropTypes.oneOfType([PropTypes.number, PropTypes.string])),

  /** Play (true, the default) or pause: replay stops its clock; live holds the view while appends are kept. */
  playing: PropTypes.bool,

  /** Replay speed, 0.01 to 1000 (default 1; samples per second = rate × speed). */
  speed: PropTypes.number,

  /** Trace colours (CSS), one per data channel, cycled (default: plotly's palette). */
  colors: PropTypes.arrayOf(PropTypes.string),

  /** "light" (default) or "dark": the chart draws in that theme's colours (`themes`); a change redraws at once. */
  theme: PropTypes.oneOf(["light", "dark"]),

  /**
   * The colours of each theme, {light: {...}, dark: {...}}, each with any of paper (around the plot), plot (behind
   * the traces), font (labels), grid (grid lines), zero (axis lines, ticks) as CSS colours; missing entries keep
   * the defaults (Tickless's app/contract.py THEMES).
   */
  themes: PropTypes.shape({ light: PropTypes.object, dark: PropTypes.object }),

  /** "overlaid" (default): every channel on one y axis. "stacked": one row per channel, all sharing the x axis. */
  layout: PropTypes.oneOf(["overlaid", "stacked"]),

  /** Fraction of the plot height between stacked rows, 0 to 0.3 (default 0.03). */
  stackGap: PropTypes.number,

  /** Font size of the axes and legend in px, 8 to 48 (default 12). */
  fontSize: PropTypes.number,

  /**
   * Epoch seconds of sample 0 when the data has timestamps: the x axis is then a date axis (UTC) and `xRange`
   * is in epoch seconds. null (default): x is seconds from the first sample.
   */
  timeStart: PropTypes.number,

  /**
   * "auto" (default): the y axis fits the window on screen each frame. "fixed": `yRange`, or the whole data's
   * extent. Stacked, each row has its own scale: its channel's window (auto) or its channel's whole data (fixed).
   */
  yMode: PropTypes.oneOf(["auto", "fixed"]),

  /** [low, high] of the y axis when `yMode` is "fixed". */
  yRange: PropTypes.arrayOf(PropTypes.number),

  /** "auto" (default): a min/max envelope when the window has more samples than the plot has pixel columns; "on"; "off". */
  decimate: PropTypes.oneOf(["auto", "on", "off"]),

  /** How often (ms, 50 to 60,000, default 500) the output props below may be sent to Dash; only changed values are sent. */
  sampleInterval: PropTypes.number,

  /** Output: the last clicked point {channel, name, index, x, y, t}: the sample drawn nearest the click (t: epoch ms). */
  clickData: PropTypes.object,

  /** Output: the hovered points {points: [{channel, name, index, x, y}]} (null when the mouse leaves), sampled. */
  hoverData: PropTypes.object,

  /**
   * Output: the x range [x0, x1] the user zoomed or panned to (seconds; epoch seconds when `timeStart` is set),
   * or null while following the live edge.
   */
  xRange: PropTypes.arrayOf(PropTypes.number),

  /** Output: frames drawn per second (over the last second), sampled. */
  fps: PropTypes.number,

  /** Dash's loading state (older Dash versions pass it; Dash 3+ reports loading through its context). */
  loading_state: PropTypes.shape({
    is_loading: PropTypes.bool,
    prop_name: PropTypes.string,
    component_name: PropTypes.string,
  }),

  /** Dash-assigned callback that reports prop changes to Dash (called with sampled values only). */
  setProps: PropTypes.func,
};

export default LiveChart;
