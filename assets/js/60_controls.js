/**
 * Clientside callbacks of the shared controls (wired from app/controls.py with ClientsideFunction):
 *   route       URL → which panels show, control values, messages (no server call);
 *   loadDataset the dataset store → decoded once into the engine (its own callback);
 *   configure   controls → views (46_view.js): the engine's clock and shown streams, each visible panel's view
 *               store, Interval on/off and period, preferences (local store) and the share link.
 * (The playhead for a reload is saved by the engine, 50_stream.js, not by a callback on a timer.)
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const controls = { view: null, seq: 0, shown: new Map() }; // the last view, and what each panel was handed

  /** Which of the callback's inputs fired this call, as booleans in Input order (read first, synchronously). */
  function firedInputs() {
    const ctx = dc.callback_context || {};
    const fired = new Set((ctx.triggered || []).map((t) => t.prop_id));
    return (ctx.inputs_list || []).map((input) => fired.has(`${input.id}.${input.property}`));
  }

  /** The WebGL renderer's name ("" without WebGL), read once: it decides the default trace type. */
  function webglRenderer() {
    if (controls.renderer !== undefined) return controls.renderer;
    controls.renderer = "";
    try {
      const gl = document.createElement("canvas").getContext("webgl");
      if (gl) {
        const info = gl.getExtension("WEBGL_debug_renderer_info");
        controls.renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
        const lose = gl.getExtension("WEBGL_lose_context");
        if (lose) lose.loseContext();
      }
    } catch (err) {
      controls.renderer = "";
    }
    return controls.renderer;
  }

  /** The config with this browser's default trace type (46_view.js defaultTrace), and the note saying which. */
  function pageConfig(config) {
    const chosen = ns.view.defaultTrace(webglRenderer(), config);
    return { config: ns.view.withDefaults(config, chosen.trace), note: chosen.note };
  }

  /**
   * URL → [panel styles…, inspector style, route, message, window, speed, speed options, channels, trace,
   * interval, bridge, decimate, the default trace's note].
   */
  ns.route = function (pathname, search, prefs, fullConfig) {
    if (!fullConfig) throw dc.PreventUpdate;
    const { config, note } = pageConfig(fullConfig);
    const route = ns.router.parseRoute(pathname, search, config, prefs);
    const styles = config.strategies.map((s) => {
      const at = route.strategies.indexOf(s.id);
      return at === -1 ? { display: "none" } : { display: "block", order: at };
    });
    const speed = route.view.speed;
    const options = config.speeds.includes(speed)
      ? dc.no_update
      : config.speeds.concat([speed]).sort((a, b) => a - b).map((v) => ({ label: `${v}×`, value: v }));
    const v = route.view;
    const inspector = route.page === "inspector" ? { display: "block" } : { display: "none" };
    return [
      ...styles, inspector, route, route.messages.join(" "),
      v.window, speed, options, v.channels, v.trace, v.interval, v.bridge, v.decimate, note,
    ];
  };

  /**
   * The dataset store → decoded into the engine once (typed arrays, the frame loop, its writers): its own
   * callback, so configure never sees the payload. Returns what configure needs to know about it.
   */
  ns.loadDataset = function (payload, config) {
    if (!payload || !config) throw dc.PreventUpdate;
    const start = (buffer) => {
      const dataset = ns.stream.load(payload, config, buffer);
      if (ns.interact) ns.interact.setup(config);
      return dataset;
    };
    if (payload.version !== ns.codec.BINARY_VERSION) return start();
    // by reference (app/dataroute.py): fetched once per browser, then from its HTTP cache; a failure becomes
    // {error} for configure to show, and the page keeps what it has
    try {
      ns.codec.checkBinaryMeta(payload);
    } catch (err) {
      return { error: err.message };
    }
    return ns.datafetch.fetchDataset(payload).then(start, (err) => ({ error: err.message }));
  };

  /** configure's outputs when the dataset could not be loaded: only the message (order in app/controls.py). */
  function datasetFailed(error) {
    const outputs = (dc.callback_context && dc.callback_context.outputs_list) || [];
    const out = outputs.map(() => dc.no_update);
    if (out.length < 4) throw dc.PreventUpdate;
    out[out.length - 3] = `The chart has no data: ${error}`; // [..., play label, message, prefs, share]
    return out;
  }

  /** Where a fresh tab's clock starts: the saved session playhead (a reload), else one window in, playing. */
  function startOf(session, window) {
    const saved = session && Number.isFinite(session.pos) && session.pos >= 0 ? session : null;
    return saved ? { pos: Math.max(window, Math.floor(saved.pos)), playing: saved.playing !== false } : { pos: window, playing: true };
  }

  /**
   * Controls → views (46_view.js): the checked view goes to the engine (clock, speed, play/pause, which streams
   * are shown), each shown panel whose view changed gets a new view object, the Interval panels their periods,
   * plus the Play button's label, the messages, the preferences (local store) and the share link.
   */
  ns.configure = function (route, dataset, playClicks, speed, window, channels, trace, interval, bridge, decimate,
    layout, yscale, config, session) {
    const fired = firedInputs();
    if (dataset && dataset.error) return datasetFailed(dataset.error);
    if (!dataset || !route || !config) throw dc.PreventUpdate;
    const prev = controls.view || Object.assign({}, route.view);
    const asked = { window, speed, channels, trace, interval, bridge, decimate };
    const built = ns.view.buildView(asked, prev, config, dataset.names);
    const { message } = built;
    const view = Object.assign(built.view, ns.viewer ? ns.viewer.viewOptions(layout, yscale, config) : {});
    const fresh = !ns.stream.hasClock(); // the first view, or a new dataset (an upload: stream.load drops the clock)
    if (fresh && controls.view) controls.shown = new Map(); // a new dataset: every shown panel redraws
    const playing = ns.stream.applyView(view, {
      start: fresh ? startOf(controls.view ? null : session, view.window) : null,
      togglePlay: fired[2],
    });
    controls.view = view;
    config.strategies.forEach((s) => ns.stream.setActive(s.graph, s.mode, route.strategies.includes(s.id)));
    // server panels draw the page's theme and its screen's font size too
    const { theme, fontSize: font } = ns.viewer ? ns.viewer.look() : { theme: "light", fontSize: 12 };
    const legend = ns.view.legendOf(route.page); // plotly's legend, or the engine's key (47_key.js)
    const panel = Object.assign(ns.view.panelView(view, dataset.names), { layout: view.layout, yscale: view.yscale, theme, font, legend });
    const { updates, seq } = ns.view.panelUpdates(config.strategies, route.strategies, panel, controls.shown, controls.seq);
    controls.seq = seq;
    const views = updates.map((u) => u || dc.no_update);
    const ticking = ns.view.intervalOutputs(config.strategies, route.strategies, playing, view.interval);
    const share = ns.router.routePath(route) + ns.router.shareSearch(route, view, pageConfig(config).config);
    return [...views, ...ticking, playing ? "Pause" : "Play", message, view, share];
  };

  ns.controls = controls;
})(window);
