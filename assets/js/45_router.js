/**
 * router: read a Tickless URL (path + query string) into a page, the panels to show and the view
 * settings, checking every value against the limits and enums the server ships in the config store
 * (config.params, config.traces, config.decimate, config.limits: this file keeps no copy of them).
 * Bad values (out of range, empty, repeated, unknown, a missing or extra path segment) give a message
 * naming the value and what is allowed, and fall back to the user's preferences, then the defaults.
 * Pure functions; they run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "router", function () {
  "use strict";

  const SHOWN = 5; // values named in one message (repeats, unknown parameters); the rest are counted
  const fmt = (n) => Number(n).toLocaleString("en-US");
  const show = (v) => JSON.stringify(String(v).length > 40 ? `${String(v).slice(0, 40)}…` : String(v));
  const isBlank = (text) => String(text).trim() === "";

  /** "a", "a or b", "a, b or c". */
  function either(items) {
    return items.length > 1 ? `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}` : String(items[0]);
  }

  /** Up to SHOWN items, then how many more. */
  function some(items, each = show) {
    const named = items.slice(0, SHOWN).map(each).join(", ");
    return items.length > SHOWN ? `${named} and ${items.length - SHOWN} more` : named;
  }

  /** A whole number in [lo, hi] written in decimal digits, or null. */
  function wholeIn(text, lo, hi) {
    const n = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
    return Number.isInteger(n) && n >= lo && n <= hi ? n : null;
  }

  /** A finite decimal number in [lo, hi] (no exponent, no NaN or Infinity), or null. */
  function numberIn(text, lo, hi) {
    const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(text) ? Number(text) : NaN;
    return Number.isFinite(n) && n >= lo && n <= hi ? n : null;
  }

  /** Parse a whole number in [lo, hi]; returns [value, message]. */
  function intParam(name, text, lo, hi) {
    const n = wholeIn(text, lo, hi);
    if (n !== null) return [n, ""];
    return [null, `${name}=${show(text)} is not allowed: use a whole number from ${fmt(lo)} to ${fmt(hi)}.`];
  }

  /** Parse a finite number in [lo, hi]; returns [value, message]. */
  function numberParam(name, text, lo, hi) {
    const n = numberIn(text, lo, hi);
    if (n !== null) return [n, ""];
    return [null, `${name}=${show(text)} is not allowed: use a number from ${lo} to ${hi}.`];
  }

  /**
   * How to read each view parameter: `allowed` says what may be given, `parse` returns the value or null.
   * Built from the config, so the limits and enums are the server's.
   */
  function viewParams(config) {
    const { limits, names } = config;
    const whole = ([lo, hi]) => ({ allowed: `a whole number from ${fmt(lo)} to ${fmt(hi)}`, parse: (t) => wholeIn(t, lo, hi) });
    const oneOf = (list) => ({ allowed: either(list), parse: (t) => (list.includes(t) ? t : null) });
    const bridge = whole(limits.bridge);
    return {
      window: whole(limits.window),
      speed: { allowed: `a number from ${limits.speed[0]} to ${limits.speed[1]}`, parse: (t) => numberIn(t, ...limits.speed) },
      interval: whole(limits.interval),
      bridge: {
        allowed: `${bridge.allowed}, or 0 (off)`,
        parse: (t) => (t.trim() === "0" || t.trim() === "off" ? 0 : bridge.parse(t)),
      },
      trace: oneOf(config.traces),
      decimate: oneOf(config.decimate),
      channels: {
        allowed: `names from ${names.join(", ")}`,
        parse: (t) => {
          const asked = t.split(",").map((c) => c.trim()).filter(Boolean);
          return asked.length && asked.every((c) => names.includes(c)) ? names.filter((c) => asked.includes(c)) : null;
        },
      },
    };
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
    if (config.traces.includes(prefs.trace)) out.trace = prefs.trace;
    if (config.decimate.includes(prefs.decimate)) out.decimate = prefs.decimate;
    if (Array.isArray(prefs.channels) && prefs.channels.every((c) => names.includes(c))) {
      out.channels = names.filter((c) => prefs.channels.includes(c));
    }
    return out;
  }

  /**
   * The one value of each parameter the URL gives: the first when it is repeated (with a message naming
   * the values ignored), and one message for all unknown parameters.
   */
  function readQuery(search, config, messages) {
    const query = new URLSearchParams(search || "");
    const known = config.params;
    const first = new Map();
    const unknown = [];
    for (const key of new Set(query.keys())) {
      if (!known.includes(key)) {
        unknown.push(key);
        continue;
      }
      const all = query.getAll(key);
      first.set(key, all[0]);
      if (all.length > 1) {
        messages.push(
          `Parameter ${key} is given ${all.length} times (${some(all, (v) => `${key}=${show(v)}`)}): ` +
            `using the first, ${key}=${show(all[0])}; the others are ignored.`,
        );
      }
    }
    if (unknown.length) {
      const what = unknown.length === 1 ? "parameter" : "parameters";
      messages.push(`Unknown ${what} ${some(unknown)} ignored (known: ${known.join(", ")}).`);
    }
    return first;
  }

  /**
   * The page a path names: {page, strategy} with strategy the id of /strategy/<id>, or {page: null} with a
   * message when no page is there (a missing or extra path segment, an unknown strategy or page).
   */
  function readPath(pathname, config, messages) {
    const ids = config.strategies.map((s) => s.id);
    const path = (pathname || "/").replace(/\/+$/, "") || "/";
    const [head, ...rest] = path.split("/").slice(1);
    const choose = `choose one of ${ids.join(", ")}`;
    if (path === "/") return { page: "live" };
    if (head === "strategy") {
      if (!rest.length) {
        messages.push(`${show(path)} names no strategy: use /strategy/<id> and ${choose}. Showing the live chart.`);
        return { page: null, head };
      }
      if (rest.length > 1) {
        messages.push(
          `${show(path)} has ${rest.length - 1} path segment${rest.length > 2 ? "s" : ""} too many: ` +
            `use /strategy/<id> and ${choose}. Showing the live chart.`,
        );
        return { page: null, head };
      }
      let id = rest[0];
      try {
        id = decodeURIComponent(id);
      } catch {
        // a malformed escape (e.g. "%E0%A4%A"): name the id as written
      }
      if (ids.includes(id)) return { page: "strategy", strategy: id };
      messages.push(`Unknown strategy ${show(id)}: ${choose}. Showing ${config.landing}.`);
      return { page: null, head };
    }
    if (head === "compare" || head === "inspector") {
      if (!rest.length) return { page: head };
      messages.push(
        `${show(path)} has an extra path segment ${show(`/${rest.join("/")}`)}: the ${head} page is /${head}. ` +
          "Showing the live chart.",
      );
      return { page: null, head };
    }
    messages.push(`No page at ${show(path)}: showing the live chart.`);
    return { page: null, head };
  }

  /**
   * Read a URL. Returns {page: "live"|"strategy"|"compare"|"inspector", strategies: [ids shown], view: {window,
   * speed, channels, trace, interval, bridge, decimate}, messages: [..]}. Precedence: URL, then prefs, then defaults.
   */
  function parseRoute(pathname, search, config, prefs) {
    const messages = [];
    const base = Object.assign({}, config.defaults, cleanPrefs(prefs, config));
    const view = Object.assign({}, base);
    const query = readQuery(search, config, messages);
    const specs = viewParams(config);

    for (const key of config.params) {
      if (key === "s" || !query.has(key)) continue;
      if (!specs[key]) {
        messages.push(`Parameter ${key} is not read by this page; ignored.`);
        continue;
      }
      const text = query.get(key);
      const { allowed, parse } = specs[key];
      const value = isBlank(text) ? null : parse(text);
      if (value !== null) {
        view[key] = value;
        continue;
      }
      const using = key === "channels" ? base[key].join(",") : base[key];
      const problem = isBlank(text) ? `${key} is empty` : `${key}=${show(text)} is not allowed`;
      messages.push(`${problem}: use ${allowed}. Using ${using}.`);
    }

    const at = readPath(pathname, config, messages);
    const page = at.page || "live";
    let strategies = [config.landing];
    if (at.page === "strategy") strategies = [at.strategy];
    if (at.page === "compare") strategies = compareList(query.get("s"), config, messages);
    if (query.has("s") && page !== "compare" && at.head !== "compare") {
      messages.push("Parameter s applies only to /compare; ignored.");
    }
    return { page, strategies, view, messages };
  }

  /** The strategies a /compare URL asks for (2 to 4 known ids), with messages for anything dropped. */
  function compareList(text, config, messages) {
    const ids = config.strategies.map((s) => s.id);
    const [lo, hi] = config.limits.compare;
    const showing = `showing ${config.compareDefault.join(" and ")}`;
    if (text === null || text === undefined) return config.compareDefault.slice();
    const asked = text.split(",").map((c) => c.trim()).filter(Boolean);
    if (!asked.length) {
      const problem = isBlank(text) ? "s is empty" : `s=${show(text)} names no strategy`;
      messages.push(`${problem}: use ${lo} to ${hi} of ${ids.join(", ")}, separated by commas; ${showing}.`);
      return config.compareDefault.slice();
    }
    const unknown = asked.filter((id) => !ids.includes(id));
    if (unknown.length) messages.push(`Unknown strategies ${some(unknown)} ignored: choose from ${ids.join(", ")}.`);
    const repeated = [...new Set(asked.filter((id, i) => ids.includes(id) && asked.indexOf(id) !== i))];
    if (repeated.length) {
      messages.push(`Strateg${repeated.length === 1 ? "y" : "ies"} ${some(repeated)} repeated in s: each is shown once.`);
    }
    let chosen = asked.filter((id, i) => ids.includes(id) && asked.indexOf(id) === i);
    const given = `s=${show(text)} names ${chosen.length} known`;
    if (chosen.length > hi) {
      messages.push(`Compare shows at most ${hi} strategies, ${given}: showing the first ${hi}.`);
      chosen = chosen.slice(0, hi);
    }
    if (chosen.length < lo) {
      messages.push(`Compare needs ${lo} to ${hi} strategies, ${given}: ${showing}.`);
      chosen = config.compareDefault.slice();
    }
    return chosen;
  }

  /** The canonical query string for a view (only values that differ from the defaults), plus `s` on compare. */
  function shareSearch(route, view, config) {
    const query = new URLSearchParams();
    if (route.page === "compare") query.set("s", route.strategies.join(","));
    for (const key of config.params) {
      if (key === "s" || !(key in config.defaults)) continue;
      const [value, fallback] = key === "channels" ? [view[key].join(","), config.defaults[key].join(",")] : [view[key], config.defaults[key]];
      if (value !== fallback) query.set(key, String(value));
    }
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
