/**
 * props: check LiveChart's input props and turn them into the options the engine uses. A bad value never
 * blanks the chart: it is replaced by a safe default and reported as one message naming the prop, what it
 * got and what it used instead. Pure functions (no DOM, no React); they run under node --test.
 */

export const DEFAULTS = Object.freeze({
  window: 2000,
  playing: true,
  speed: 1,
  mode: "live",
  source: "props",
  theme: "light",
  layout: "overlaid",
  fontSize: 12,
  stackGap: 0.03,
  yMode: "auto",
  decimate: "auto",
  sampleInterval: 500,
});

export const LIMITS = Object.freeze({
  window: [2, 10_000_000],
  speed: [0.01, 1000],
  sampleInterval: [50, 60_000],
  fontSize: [8, 48],
  stackGap: [0, 0.3],
});

export const ENUMS = Object.freeze({
  mode: ["live", "replay"],
  source: ["props", "tickless"],
  theme: ["light", "dark"],
  layout: ["overlaid", "stacked"],
  yMode: ["auto", "fixed"],
  decimate: ["auto", "on", "off"],
});

/** Plotly's default trace colours, so a LiveChart next to a dcc.Graph reads the same. */
export const PALETTE = Object.freeze([
  "#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52",
]);

/**
 * The colours of each theme when `themes` is not given (a host passes its own: Tickless sends app/contract.py
 * THEMES, so its plotly panels and this chart draw from one list). paper: around the plot; plot: behind the
 * traces; font: labels; grid: grid lines; zero: axis lines and ticks.
 */
export const THEMES = Object.freeze({
  light: Object.freeze({ paper: "#ffffff", plot: "#ffffff", font: "#1f2430", grid: "#e3e6ec", zero: "#c9ced8" }),
  dark: Object.freeze({ paper: "#15181e", plot: "#15181e", font: "#d8dee9", grid: "#2c313c", zero: "#3b4252" }),
});
const THEME_KEYS = Object.keys(THEMES.light);

/** A short printable form of any value for messages. */
export function show(value) {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** One error message: "LiveChart: prop `name` …; using …". */
export function message(name, got, why, used) {
  return `LiveChart: prop \`${name}\` ${why} (got ${show(got)}); using ${show(used)}`;
}

/** A number in [lo, hi] (whole when `whole`), or the default with a message. */
function numberIn(props, name, errors, whole) {
  const value = props[name];
  const fallback = DEFAULTS[name];
  if (value === undefined || value === null) return fallback;
  const [lo, hi] = LIMITS[name];
  const ok = typeof value === "number" && Number.isFinite(value) && value >= lo && value <= hi;
  if (!ok || (whole && !Number.isInteger(value))) {
    const kind = whole ? "a whole number" : "a number";
    errors.push(message(name, value, `must be ${kind} from ${lo} to ${hi}`, fallback));
    return fallback;
  }
  return value;
}

/** One of ENUMS[name], or the default with a message. */
function oneOf(props, name, errors) {
  const value = props[name];
  if (value === undefined || value === null) return DEFAULTS[name];
  if (ENUMS[name].includes(value)) return value;
  errors.push(message(name, value, `must be one of ${ENUMS[name].join(", ")}`, DEFAULTS[name]));
  return DEFAULTS[name];
}

/** true/false, or the default with a message. */
function bool(props, name, errors) {
  const value = props[name];
  if (value === undefined || value === null) return DEFAULTS[name];
  if (typeof value === "boolean") return value;
  errors.push(message(name, value, "must be true or false", DEFAULTS[name]));
  return DEFAULTS[name];
}

/** A list of CSS colour strings (cycled over the channels), or the default palette with a message. */
function colors(props, errors) {
  const value = props.colors;
  if (value === undefined || value === null) return PALETTE;
  if (Array.isArray(value) && value.length && value.every((c) => typeof c === "string" && c.trim())) return value;
  errors.push(message("colors", value, "must be a non-empty list of CSS colour strings", "the default palette"));
  return PALETTE;
}

/** [lo, hi] with finite lo < hi, null (auto), or null with a message. */
function yRange(props, errors) {
  const value = props.yRange;
  if (value === undefined || value === null) return null;
  const ok = Array.isArray(value) && value.length === 2 && value.every(Number.isFinite) && value[0] < value[1];
  if (ok) return [value[0], value[1]];
  errors.push(message("yRange", value, "must be [low, high] with finite low < high", null));
  return null;
}

/** {light, dark} colours: the `themes` prop's entries over the defaults, or the defaults with a message. */
function themes(props, errors) {
  const value = props.themes;
  if (value === undefined || value === null) return THEMES;
  const ok = typeof value === "object" && !Array.isArray(value) && Object.keys(value).every((t) => {
    const set = value[t];
    return THEMES[t] && set && typeof set === "object" && Object.keys(set).every((k) => THEME_KEYS.includes(k) && typeof set[k] === "string");
  });
  if (!ok) {
    errors.push(message("themes", value, `must be {light, dark} of {${THEME_KEYS.join(", ")}} CSS colours`, "the default colours"));
    return THEMES;
  }
  return { light: Object.assign({}, THEMES.light, value.light), dark: Object.assign({}, THEMES.dark, value.dark) };
}

/** Epoch seconds of sample 0 (a date axis), null (seconds from the start), or null with a message. */
function timeStart(props, errors) {
  const value = props.timeStart;
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  errors.push(message("timeStart", value, "must be epoch seconds (a finite number) or null", null));
  return null;
}

/** Channel selection: null (all) or a list of indices / names, checked later against the data. */
function channelList(props, errors) {
  const value = props.channels;
  if (value === undefined || value === null) return null;
  const ok = Array.isArray(value) && value.every((c) => (Number.isInteger(c) && c >= 0) || typeof c === "string");
  if (ok) return value.slice();
  errors.push(message("channels", value, "must be a list of channel indices or names", "every channel"));
  return null;
}

/** Every option the engine needs from the props, and the messages for the bad ones. */
export function normalize(props) {
  const p = props || {};
  const errors = [];
  const opts = {
    window: numberIn(p, "window", errors, true),
    playing: bool(p, "playing", errors),
    speed: numberIn(p, "speed", errors, false),
    mode: oneOf(p, "mode", errors),
    source: oneOf(p, "source", errors),
    theme: oneOf(p, "theme", errors),
    themes: themes(p, errors),
    layout: oneOf(p, "layout", errors),
    fontSize: numberIn(p, "fontSize", errors, false),
    stackGap: numberIn(p, "stackGap", errors, false),
    timeStart: timeStart(p, errors),
    yMode: oneOf(p, "yMode", errors),
    decimate: oneOf(p, "decimate", errors),
    sampleInterval: numberIn(p, "sampleInterval", errors, false),
    colors: colors(p, errors),
    yRange: yRange(p, errors),
    channels: channelList(p, errors),
  };
  return { opts, errors };
}

/**
 * Resolve a channel selection (null, indices or names) against the data's names: the valid indices, in
 * the order given, without repeats. Unknown entries are reported; an empty result falls back to all.
 */
export function resolveChannels(selection, names, errors) {
  const all = names.map((_, i) => i);
  if (selection === null) return all;
  const out = [];
  const bad = [];
  for (const c of selection) {
    const i = typeof c === "string" ? names.indexOf(c) : c;
    if (Number.isInteger(i) && i >= 0 && i < names.length) {
      if (!out.includes(i)) out.push(i);
    } else bad.push(c);
  }
  if (bad.length && names.length) {
    const used = out.length ? out : "every channel";
    errors.push(message("channels", bad, `names unknown channels (there are ${names.length}: ${names.join(", ")})`, used));
  }
  return out.length || !selection.length ? out : all;
}
