/**
 * router: read a Tickless URL (path + query string) into a page, the panels to show and the view
 * settings, checking every value against the limits the server ships in the config store.
 * Bad values give a message naming the value and what is allowed, and fall back to the user's
 * preferences, then the defaults. Pure functions; they run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "router", function () {
  "use strict";

  const PARAMS = ["window", "speed", "channels", "trace", "interval", "bridge", "decimate", "s"];
  const DECIMATE = ["auto", "on", "off"];
  const TRACES = ["scatter", "scattergl"];
  const fmt = (n) => Number(n).toLocaleString("en-US");
  const show = (v) => JSON.stringify(String(v).length > 40 ? `${String(v).slice(0, 40)}…` : String(v));

  /** Parse a whole number in [lo, hi]; returns [value, message]. */
  function intParam(name, text, lo, hi) {
    const n = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
    if (Number.isInteger(n) && n >= lo && n <= hi) return [n, ""];
    return [null, `${name}=${show(text)} is not allowed: use a whole number from ${fmt(lo)} to ${fmt(hi)}.`];
  }

  /** Parse a finite number in [lo, hi]; returns [value, message]. */
  function numberParam(name, text, lo, hi) {
    const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(text) ? Number(text) : NaN;
    if (Number.isFinite(n) && n >= lo && n <= hi) return [n, ""];
    return [null, `${name}=${show(text)} is not allowed: use a number from ${lo} to ${hi}.`];
  }

  /** The settings the user prefers (local store), each checked again; unknown or bad ones are dropped. */
  function cleanPrefs(prefs, config) {
    const out = {};
    if (!prefs || typeof prefs !== "object") return out;
    const { limits, names } = config;
    const ok = (v, [lo, hi]) => typeof v === "number" && v >= lo && v <= hi;
    if (Number.isInteger(prefs.window) && ok(prefs.window, limits.window)) out.window = prefs.window;
    if (ok(prefs.speed, limits.speed)) out.speed = prefs.speed;
    if (Number.isInteger(prefs.interval) && ok(prefs.interval, limits.interval)) out.interval = prefs.interval;
    if (prefs.bridge === 0 || (Number.isInteger(prefs.bridge) && ok(prefs.bridge, limits.bridge))) out.bridge = prefs.bridge;
    if (TRACES.includes(prefs.trace)) out.trace = prefs.trace;
    if (DECIMATE.includes(prefs.decimate)) out.decimate = prefs.decimate;
    if (Array.isArray(prefs.channels) && prefs.channels.every((c) => names.includes(c))) {
      out.channels = names.filter((c) => prefs.channels.includes(c));
    }
    return out;
  }

  /**
   * Read a URL. Returns {page: "live"|"strategy"|"compare"|"inspector", strategies: [ids shown], view: {window,
   * speed, channels, trace, interval, bridge, decimate}, messages: [..]}. Precedence: URL, then prefs, then defaults.
   */
  function parseRoute(pathname, search, config, prefs) {
    const messages = [];
    const ids = config.strategies.map((s) => s.id);
    const base = Object.assign({}, config.defaults, cleanPrefs(prefs, config));
    const view = Object.assign({}, base);
    const query = new URLSearchParams(search || "");
    const { limits } = config;

    for (const key of new Set(query.keys())) {
      if (!PARAMS.includes(key)) messages.push(`Unknown parameter ${show(key)} ignored (known: ${PARAMS.join(", ")}).`);
    }
    const take = (key, parse) => {
      if (!query.has(key)) return;
      const [value, message] = parse(query.get(key));
      if (message) messages.push(`${message} Using ${key === "channels" ? base[key].join(",") : base[key]}.`);
      else view[key] = value;
    };
    take("window", (t) => intParam("window", t, ...limits.window));
    take("speed", (t) => numberParam("speed", t, ...limits.speed));
    take("interval", (t) => intParam("interval", t, ...limits.interval));
    take("bridge", (t) => {
      if (t.trim() === "0" || t.trim() === "off") return [0, ""];
      const [value, message] = intParam("bridge", t, ...limits.bridge);
      return [value, message && message.replace(/\.$/, ", or 0 (off).")];
    });
    take("decimate", (t) =>
      DECIMATE.includes(t) ? [t, ""] : [null, `decimate=${show(t)} is not allowed: use auto, on or off.`],
    );
    take("trace", (t) => (TRACES.includes(t) ? [t, ""] : [null, `trace=${show(t)} is not allowed: use scatter or scattergl.`]));
    take("channels", (t) => {
      const asked = t.split(",").map((c) => c.trim()).filter(Boolean);
      const unknown = asked.filter((c) => !config.names.includes(c));
      if (!asked.length || unknown.length) {
        return [null, `channels=${show(t)} is not allowed: use names from ${config.names.join(", ")}.`];
      }
      return [config.names.filter((c) => asked.includes(c)), ""];
    });

    const path = (pathname || "/").replace(/\/+$/, "") || "/";
    let page = "live";
    let strategies = [config.landing];
    const match = /^\/strategy\/([^/]+)$/.exec(path);
    if (path === "/") {
      page = "live";
    } else if (match) {
      const id = decodeURIComponent(match[1]);
      if (ids.includes(id)) {
        page = "strategy";
        strategies = [id];
      } else {
        messages.push(`Unknown strategy ${show(id)}: choose one of ${ids.join(", ")}. Showing ${config.landing}.`);
      }
    } else if (path === "/inspector") {
      page = "inspector";
    } else if (path === "/compare") {
      page = "compare";
      strategies = compareList(query.get("s"), config, messages);
    } else {
      messages.push(`No page at ${show(path)}: showing the live chart.`);
    }
    if (query.has("s") && page !== "compare") messages.push("Parameter s applies only to /compare; ignored.");
    return { page, strategies, view, messages };
  }

  /** The strategies a /compare URL asks for (2 to 4 known ids), with messages for anything dropped. */
  function compareList(text, config, messages) {
    const ids = config.strategies.map((s) => s.id);
    const [lo, hi] = config.limits.compare;
    if (text === null || text === undefined) return config.compareDefault.slice();
    const asked = text.split(",").map((c) => c.trim()).filter(Boolean);
    const unknown = asked.filter((id) => !ids.includes(id));
    if (unknown.length) messages.push(`Unknown strategies ${unknown.map(show).join(", ")} ignored: choose from ${ids.join(", ")}.`);
    let chosen = asked.filter((id, i) => ids.includes(id) && asked.indexOf(id) === i);
    if (chosen.length > hi) {
      messages.push(`Compare shows at most ${hi} strategies: showing the first ${hi}.`);
      chosen = chosen.slice(0, hi);
    }
    if (chosen.length < lo) {
      messages.push(`Compare needs ${lo} to ${hi} strategies: showing ${config.compareDefault.join(" and ")}.`);
      chosen = config.compareDefault.slice();
    }
    return chosen;
  }

  /** The canonical query string for a view (only values that differ from the defaults), plus `s` on compare. */
  function shareSearch(route, view, config) {
    const query = new URLSearchParams();
    if (route.page === "compare") query.set("s", route.strategies.join(","));
    for (const key of ["window", "speed", "interval", "bridge", "trace", "decimate"]) {
      if (view[key] !== config.defaults[key]) query.set(key, String(view[key]));
    }
    if (String(view.channels) !== String(config.defaults.channels)) query.set("channels", view.channels.join(","));
    const text = query.toString().replace(/%2C/g, ",");
    return text ? `?${text}` : "";
  }

  /** The path of a route. */
  function routePath(route) {
    if (route.page === "strategy") return `/strategy/${route.strategies[0]}`;
    if (route.page === "inspector") return "/inspector";
    return route.page === "compare" ? "/compare" : "/";
  }

  return { parseRoute, cleanPrefs, shareSearch, routePath, intParam, numberParam };
});
