/**
 * viewer: what a chart that stays open needs. Pure parts (node --test):
 *   viewOptions(layout, yscale, config)   the checked layout (overlaid | stacked) and y scale (auto | fixed);
 *   decorate(fig, view, config, look)     a figure with one row per channel sharing x (stacked), each y axis
 *                                         fixed to its channel's range or following the data (auto), and the
 *                                         colours and font size of the page's theme (light/dark, laptop/wall);
 *   keyAction(event)                      what a key press asks for (space, arrows, + / −, f, s, ?).
 * Page parts: the key handler, the download buttons (56_download.js draws the files), the theme following the OS.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root, ns);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "viewer", function (root, ns) {
  "use strict";

  const LAYOUTS = ["overlaid", "stacked"];
  const YSCALES = ["auto", "fixed"];
  const THEMES = {
    light: { paper: "#ffffff", plot: "#ffffff", font: "#1f2430", grid: "#e3e6ec", zero: "#c9ced8" },
    dark: { paper: "#15181e", plot: "#15181e", font: "#d8dee9", grid: "#2c313c", zero: "#3b4252" },
  };
  const STACK_GAP = 0.03; // fraction of the plot height between stacked rows
  const FONT_SIZES = [12, 15, 20]; // chart font px: laptop, >= 1800 px, wall display >= 2400 px (contract.FONT_SIZES)

  /** The layout and y scale asked for, each one of its allowed values (else the first). */
  function viewOptions(layout, yscale, config) {
    const data = (config && config.data) || {};
    const layouts = data.layouts || LAYOUTS;
    const yscales = data.yScales || YSCALES;
    return {
      layout: layouts.includes(layout) ? layout : layouts[0],
      yscale: yscales.includes(yscale) ? yscale : "fixed",
    };
  }

  /** A fixed y range for one channel, padded as the contract pads ([fraction, flat]). */
  function padded(range, yPad) {
    const [lo, hi] = range;
    if (!(lo <= hi)) return [0, 1];
    const pad = (hi - lo) * yPad[0] || yPad[1];
    return [lo - pad, hi + pad];
  }

  /**
   * `fig` ({data, layout}) drawn the viewer's way. `view`: {channels (indices), layout, yscale}; `config`: the
   * page's config (ranges, yPad); `look`: {theme: "light" | "dark", fontSize}. Returns a new figure; the
   * traces' data arrays are shared, not copied.
   */
  function decorate(fig, view, config, look) {
    const layout = Object.assign({}, fig.layout);
    const data = fig.data.slice();
    const themes = (config && config.data && config.data.themes) || THEMES; // app/contract.py THEMES
    const theme = themes[(look && look.theme) || "light"] || themes.light || THEMES.light;
    const auto = view.yscale === "auto";
    const base = Object.assign({}, layout.yaxis || {});
    const axisLook = { gridcolor: theme.grid, zerolinecolor: theme.zero, linecolor: theme.zero };
    layout.paper_bgcolor = theme.paper;
    layout.plot_bgcolor = theme.plot;
    layout.font = Object.assign({}, layout.font, { color: theme.font }, look && look.fontSize ? { size: look.fontSize } : {});
    layout.xaxis = Object.assign({}, layout.xaxis, axisLook);
    const start = config && config.data && config.data.start;
    if (typeof start === "number" && Number.isFinite(start)) {
      // the data has timestamps: a date axis of wall-clock times (x in epoch ms, 30_frames timeAxis)
      layout.xaxis.type = "date";
      layout.xaxis.title = { text: "time (UTC)" };
    }
    for (const key of Object.keys(layout)) if (/^yaxis\d+$/.test(key)) delete layout[key];
    const n = view.channels.length;
    if (view.layout === "stacked" && n > 1) {
      const gap = config && config.data && Number.isFinite(config.data.stackGap) ? config.data.stackGap : STACK_GAP;
      const rowHeight = (1 - gap * (n - 1)) / n;
      view.channels.forEach((c, k) => {
        const top = 1 - k * (rowHeight + gap);
        const axis = Object.assign({}, base, axisLook, {
          domain: [Math.max(0, top - rowHeight), Math.min(1, top)],
          title: { text: data[k] && data[k].name ? String(data[k].name) : "" },
        });
        if (auto) {
          axis.autorange = true;
          delete axis.range;
        } else {
          axis.autorange = false;
          axis.range = padded(config.ranges[c], config.yPad);
        }
        layout[k === 0 ? "yaxis" : `yaxis${k + 1}`] = axis;
        data[k] = Object.assign({}, data[k], { yaxis: k === 0 ? "y" : `y${k + 1}` });
      });
      layout.xaxis.anchor = `y${n === 1 ? "" : n}`;
      layout.showlegend = false;
    } else {
      layout.yaxis = Object.assign({}, base, axisLook);
      if (auto) {
        layout.yaxis.autorange = true;
        delete layout.yaxis.range;
      }
    }
    return { data, layout };
  }

  /** What a key press asks for, or null: modifiers and typing in a field are left alone. */
  function keyAction(ev) {
    if (!ev || ev.ctrlKey || ev.metaKey || ev.altKey) return null;
    const target = ev.target || {};
    const tag = String(target.tagName || "").toUpperCase();
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return null;
    switch (ev.key) {
      case " ":
      case "Spacebar":
        return { type: "play" };
      case "ArrowLeft":
        return { type: "step", by: -1 };
      case "ArrowRight":
        return { type: "step", by: 1 };
      case "+":
      case "=":
        return { type: "zoom", factor: 2 };
      case "-":
      case "_":
        return { type: "zoom", factor: 0.5 };
      case "f":
      case "F":
        return { type: "follow" };
      case "s":
      case "S":
        return { type: "layout" };
      case "?":
        return { type: "help" };
      default:
        return null;
    }
  }

  /** The window a zoom key asks for, within the limits (a whole number). */
  function zoomedWindow(window, factor, limits) {
    const [lo, hi] = limits;
    return Math.max(lo, Math.min(hi, Math.round(window * factor)));
  }

  // --- the page ------------------------------------------------------------------------------------------

  const page = { look: null, installed: false };

  /** The page's theme (the OS's prefers-color-scheme) and a font size for the screen it is on. */
  function currentLook() {
    const dark = Boolean(root.matchMedia && root.matchMedia("(prefers-color-scheme: dark)").matches);
    const width = (root.screen && root.screen.width) || root.innerWidth || 1280;
    return { theme: dark ? "dark" : "light", fontSize: FONT_SIZES[width >= 2400 ? 2 : width >= 1800 ? 1 : 0] };
  }

  function look() {
    if (!page.look) page.look = currentLook();
    return page.look;
  }

  /** The engine's hook: every clientside figure passes through here (48_figure.js, 58_decimated.js). */
  function finish(fig, view, config) {
    if (!view || !view.layout) return fig;
    return decorate(fig, view, config, look());
  }

  function setProps(id, props) {
    if (root.dash_clientside && root.dash_clientside.set_props) root.dash_clientside.set_props(id, props);
  }

  /** Hand every shown panel a fresh copy of its view: each draws again from the clock (after a step, a theme). */
  function redraw() {
    const controls = ns.controls;
    if (!controls || !controls.shown) return;
    controls.shown.forEach((sig, sid) => {
      if (!sig) return;
      controls.seq += 1;
      const view = Object.assign({ seq: controls.seq }, JSON.parse(sig));
      if (view.theme) view.theme = look().theme; // the OS switched theme: server panels redraw in it
      setProps(`${sid}-view`, { data: view });
    });
  }

  /** Graph ids of the panels on screen. */
  function shownGraphs() {
    const config = ns.stream && ns.stream.tab.config;
    if (!config) return [];
    return config.strategies.filter((s) => ns.controls.shown.get(s.id)).map((s) => s.graph);
  }

  /** Do what a key asks. */
  function act(action) {
    const tab = ns.stream.tab;
    const config = tab.config;
    if (!config || !ns.stream.hasClock()) return;
    const ids = config.data.ids;
    if (action.type === "play") {
      const button = root.document.getElementById(ids.play);
      if (button) button.click();
    } else if (action.type === "step") {
      const window = (ns.controls.view && ns.controls.view.window) || config.defaults.window;
      const now = root.performance.now();
      const pos = ns.clock.position(tab.clock, now) + action.by * Math.max(1, Math.round(window / 10));
      ns.stream.seek(Math.max(window, pos));
      redraw();
    } else if (action.type === "zoom") {
      const window = (ns.controls.view && ns.controls.view.window) || config.defaults.window;
      setProps(ids.window, { value: zoomedWindow(window, action.factor, config.limits.window) });
    } else if (action.type === "follow") {
      shownGraphs().forEach((id) => {
        const gd = ns.stream.findGraphDiv(id);
        if (gd && gd.emit && ns.interact && ns.interact.frozen(id)) gd.emit("plotly_doubleclick", null);
      });
    } else if (action.type === "layout") {
      const current = (ns.controls.view && ns.controls.view.layout) || "overlaid";
      setProps(ids.layout, { value: current === "stacked" ? "overlaid" : "stacked" });
    } else if (action.type === "help") {
      const help = root.document.getElementById(ids.keys);
      if (help) help.open = !help.open;
    }
  }

  /** Keys, the download buttons and the OS theme, wired once. */
  function install() {
    if (page.installed || !root.document) return;
    page.installed = true;
    root.document.addEventListener("keydown", (ev) => {
      const action = keyAction(ev);
      if (!action) return;
      ev.preventDefault();
      act(action);
    });
    root.document.addEventListener("click", (ev) => {
      const config = ns.stream && ns.stream.tab.config;
      const target = ev.target && ev.target.closest ? ev.target.closest("button") : null;
      if (!config || !target) return;
      const download = ns.download; // 56_download.js, loaded after this module
      if (!download) return;
      if (target.id === config.data.ids.png) download.downloadPng();
      else if (target.id === config.data.ids.csv) download.downloadCsv();
    });
    if (root.matchMedia) {
      const query = root.matchMedia("(prefers-color-scheme: dark)");
      const changed = () => {
        page.look = currentLook();
        redraw();
      };
      if (query.addEventListener) query.addEventListener("change", changed);
    }
  }

  if (root.document && ns) install();

  return {
    viewOptions, decorate, keyAction, zoomedWindow, finish, look, shownGraphs, redraw, act, THEMES, FONT_SIZES,
  };
});
