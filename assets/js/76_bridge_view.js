/**
 * bridge view: the bridge's analytics come back from Python as numbers (app/bridge.py `receive`), as JSON in
 * the hidden result div's data-result attribute (an accepted sample) or data-rejected (a bad one): the reply
 * takes the way the sample went, a hidden div's data-* attribute. `watch` observes the two attributes and
 * writes the panel's four containers as plain DOM, so the server builds no HTML, the Dash renderer neither
 * reconciles nor keeps ~50 components for them, and no chained clientside callback runs per reply (its
 * pipeline was ~12 redux dispatches, each running a selector for every component in the layout). The panel
 * is described as small {type, props} trees (pure functions; they run under node --test) and `toDom` turns a
 * tree into elements.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "bridgeView", function () {
  "use strict";

  /**
   * Python's `format(x, ".{p}g")`: p significant digits, exponent form below 1e-4 or from 10**p, no trailing
   * zeros. An exact binary tie rounds half up here (Python rounds it to even): 1234.5 gives 1235, not 1234.
   */
  function fmtG(x, p = 6) {
    if (typeof x !== "number") return String(x);
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0" : "0";
    const [mant, expText] = x.toExponential(p - 1).split("e");
    const exp = Number(expText);
    const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
    if (exp < -4 || exp >= p) return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
    return strip(x.toFixed(Math.max(0, p - 1 - exp)));
  }

  /** A Dash html component as the renderer takes it from a clientside callback. */
  function el(type, props, children) {
    return { type, namespace: "dash_html_components", props: Object.assign({ children }, props || {}) };
  }

  const COLUMNS = ["min", "max", "mean", "rms", "dominant_hz"];

  /** The analytics table: one row per channel, each number shown to 4 digits with its exact value in data-value. */
  function table(result) {
    const head = ["channel", "min", "max", "mean", "RMS", "dominant Hz", "n"].map((h) => el("Th", null, h));
    const rows = result.rows.map((r) =>
      el("Tr", { id: `bridge-row-${r.channel}` }, [
        el("Td", null, r.name),
        ...COLUMNS.map((k) => el("Td", { "data-value": String(r[k]) }, r[k] === null ? "–" : fmtG(r[k], 4))),
        el("Td", null, String(r.n)),
      ]),
    );
    const caption = `window ${result.start.toFixed(3)}–${result.head.toFixed(3)} s (sample ${result.seq})`;
    return el("Table", null, [el("Caption", null, caption), el("Thead", null, el("Tr", null, head)), el("Tbody", null, rows)]);
  }

  /** Alert lines, newest first. */
  function alerts(result) {
    return result.alerts.map((a) =>
      el("Li", null, `${a.name} crossed ${fmtG(a.threshold)} at ${a.t.toFixed(3)} s (value ${fmtG(a.value, 4)})`),
    );
  }

  /** Clicked-point lines, newest first. */
  function clicks(result) {
    return result.clicks.map((c) => el("Li", null, `${c.name} at ${c.t.toFixed(3)} s: ${fmtG(c.value, 4)}`));
  }

  /** The status line of an accepted sample, plus its notes. */
  function status(result) {
    const active = result.thresholds.length ? result.thresholds.map(([n, v]) => `${n} ≥ ${fmtG(v)}`).join(", ") : "none";
    const seen = result.events ? ` · ${result.events[0].toLocaleString("en-US")} plotly events (${result.events[1]} kinds)` : "";
    // the tab's playhead when sampled; the table's caption names the window analysed (up to 5% older while playing)
    const playhead = typeof result.playhead === "number" ? result.playhead : result.head;
    const line = `sample ${result.seq} · playhead ${playhead.toFixed(3)} s · ${Math.round(result.fps)} fps · thresholds: ${active}${seen}`;
    return result.notes.length ? [line, el("Div", { className: "bad" }, result.notes.join("; "))] : [line];
  }

  /** The rejection message of a bad sample. */
  function rejected(rejection) {
    return el("Div", { className: "bad" }, [el("B", null, "Bridge sample rejected: "), rejection.problems.join("; ")]);
  }

  /** A tree (el(), a string, or a list of them) as DOM nodes of `doc`. */
  function toDom(doc, tree) {
    if (tree === null || tree === undefined) return [];
    if (Array.isArray(tree)) return tree.flatMap((t) => toDom(doc, t));
    if (typeof tree !== "object") return [doc.createTextNode(String(tree))];
    const node = doc.createElement(tree.type.toLowerCase());
    for (const [key, value] of Object.entries(tree.props)) {
      if (key === "children" || value === null || value === undefined) continue;
      if (key === "className") node.className = value;
      else node.setAttribute(key, String(value));
    }
    node.append(...toDom(doc, tree.props.children));
    return [node];
  }

  /** Replace what a container shows with a tree (a missing container, e.g. mid-page-change, is skipped). */
  function show(doc, id, tree) {
    const box = doc.getElementById(id);
    if (box) box.replaceChildren(...toDom(doc, tree));
  }

  /** The JSON of an attribute, or null when it is empty; `{unreadable: text}` when it does not parse. */
  function parse(text) {
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch (err) {
      return { unreadable: String(text).slice(0, 80) };
    }
  }

  /**
   * Render a reply into the containers named by `ids` (config.ids: bridgeAnalytics, bridgeAlerts, bridgeClicks,
   * bridgeStatus): `which` is the attribute that changed ("result" or "rejected"), `text` its JSON. A rejection
   * changes only the status, so the last good analytics stay on screen. Returns whether it wrote.
   */
  function render(doc, ids, which, text) {
    const reply = parse(text);
    if (!reply) return false;
    const bad = (why) => show(doc, ids.bridgeStatus, el("Div", { className: "bad" }, `Bridge reply unreadable (${why}); the last good analytics stay`));
    if (reply.unreadable !== undefined) {
      bad(`not JSON: ${reply.unreadable}`);
      return true;
    }
    try {
      if (which === "rejected") {
        show(doc, ids.bridgeStatus, rejected(reply));
        return true;
      }
      const trees = [table(reply), alerts(reply), clicks(reply), status(reply)]; // all built before any is shown
      [ids.bridgeAnalytics, ids.bridgeAlerts, ids.bridgeClicks, ids.bridgeStatus].forEach((id, k) => show(doc, id, trees[k]));
    } catch (err) {
      bad(err.message);
    }
    return true;
  }

  const watched = { el: null, observer: null };

  /**
   * Observe the result div (ids.bridgeResult) for replies, with `Observer` (MutationObserver). Called on every
   * configure: one observer per page, moved to a new div if Dash mounted the div again; a reply already on
   * the div is rendered at once. Returns whether it (re)started observing.
   */
  function watch(doc, ids, Observer) {
    const div = ids && doc.getElementById(ids.bridgeResult);
    if (!div || typeof Observer !== "function" || div === watched.el) return false;
    if (watched.observer) watched.observer.disconnect();
    const attrs = { [ids.bridgeResultAttr]: "result", [ids.bridgeRejectedAttr]: "rejected" };
    watched.el = div;
    watched.observer = new Observer((records) => {
      for (const r of records) render(doc, ids, attrs[r.attributeName], div.getAttribute(r.attributeName));
    });
    watched.observer.observe(div, { attributes: true, attributeFilter: Object.keys(attrs) });
    render(doc, ids, "result", div.getAttribute(ids.bridgeResultAttr));
    return true;
  }

  return { fmtG, table, alerts, clicks, status, rejected, toDom, parse, render, watch };
});
