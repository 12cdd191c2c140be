/**
 * events: subscribe to plotly.js events of a dcc.Graph safely, and serialise their payloads for display.
 * The registry is pure (node --test; safeSerialize comes from 68_serialize.js); createEvents(root) is the thin DOM glue, and the
 * module-level subscribe/setValidEvents/ensureAttached use the page's window.
 *
 * Valid names come from app/plotly_events.json via setValidEvents(list), never from this file. Until that
 * list is set, any `plotly_<word>` name is accepted provisionally; setValidEvents then drops (and reports
 * with console.error) every subscription whose name the installed plotly.js does not emit.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const serialize = ns && ns.serialize ? ns.serialize : require("./68_serialize.js");
  // spans (42_spans.js) are optional: a page may load this helper alone
  const spans = ns && ns.spans ? ns.spans : typeof require === "function" ? require("./42_spans.js") : null;
  const api = factory(root, serialize.safeSerialize, spans || { begin: () => -1, end: () => 0 });
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "events", function (globalRoot, safeSerialize, spans) {
  "use strict";

  const PROVISIONAL = /^plotly_\w+$/;

  /** The listeners plotly holds for a name (Events.init puts a Node EventEmitter on gd._ev), or null if unknown. */
  function listenersOf(gd, eventName) {
    const ev = gd && gd._ev;
    if (ev && typeof ev.listeners === "function") return ev.listeners(eventName);
    if (gd && typeof gd.listeners === "function") return gd.listeners(eventName);
    return null;
  }

  /** Bookkeeping of subscriptions keyed by (graphId, eventName, handler) and of what is attached to which div. */
  function createRegistry(initialEvents) {
    let valid = null;
    const subs = new Map(); // token -> sub
    const attached = new WeakMap(); // div -> Set of subs attached to it
    let nextToken = 1;

    /** Throw unless eventName is valid (or, before the list is known, looks like a plotly event). */
    function check(eventName) {
      if (valid ? valid.has(eventName) : PROVISIONAL.test(String(eventName))) return;
      const list = valid ? Array.from(valid).join(", ") : "(list not loaded yet: plotly_* names only)";
      throw new Error(`events: unknown plotly event ${JSON.stringify(eventName)}; valid events: ${list}`);
    }

    /** Set the valid names; returns the subscriptions that are not valid any more (already removed). */
    function setValidEvents(list) {
      const names = list && !Array.isArray(list) ? list.events : list;
      if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
        throw new TypeError("events: setValidEvents expects an array of names or {events: [...]}");
      }
      valid = new Set(names);
      const dropped = Array.from(subs.values()).filter((s) => !valid.has(s.eventName));
      dropped.forEach((s) => subs.delete(s.token));
      return dropped;
    }

    /** The subscription for this exact triple, if any. */
    function find(graphId, eventName, handler) {
      const id = String(graphId);
      for (const s of subs.values()) {
        if (s.graphId === id && s.eventName === eventName && s.handler === handler) return s;
      }
      return null;
    }

    /** Register a subscription; returns its token, or null when the same triple is already registered. */
    function add(graphId, eventName, handler) {
      check(eventName);
      if (typeof handler !== "function") throw new TypeError("events: handler must be a function");
      if (find(graphId, eventName, handler)) return null;
      const token = nextToken++;
      const sub = { token, graphId: String(graphId), eventName, handler, div: null, wrapped: null };
      sub.wrapped = function (data) {
        const span = spans.begin("engine.events"); // a handler's time is not plotly's, though plotly calls it
        try {
          handler(data);
        } catch (err) {
          console.error(`events: handler for ${eventName} on #${sub.graphId} threw`, err);
        } finally {
          spans.end(span);
        }
      };
      subs.set(token, sub);
      return token;
    }

    /** Forget a subscription; returns it (so the caller can detach it) or null if unknown. */
    function remove(token) {
      const sub = subs.get(token) || null;
      subs.delete(token);
      return sub;
    }

    /** Subscriptions of one graph, or of all graphs when graphId is undefined. */
    function list(graphId) {
      return Array.from(subs.values()).filter((s) => graphId === undefined || s.graphId === String(graphId));
    }

    /** True unless sub is recorded as attached to div and plotly still holds its listener. */
    function needsAttach(div, sub) {
      const set = attached.get(div);
      if (!set || !set.has(sub)) return true;
      const current = listenersOf(div, sub.eventName);
      if (current && !current.includes(sub.wrapped)) {
        set.delete(sub); // removeAllListeners (purge) wiped it
        return true;
      }
      return false;
    }

    /** Record that sub's wrapped handler is now attached to div. */
    function markAttached(div, sub) {
      let set = attached.get(div);
      if (!set) attached.set(div, (set = new Set()));
      set.add(sub);
      sub.div = div;
    }

    /** Record that sub is no longer attached to div. */
    function markDetached(div, sub) {
      const set = attached.get(div);
      if (set) set.delete(sub);
      if (sub.div === div) sub.div = null;
    }

    /** The valid names, or null while the list is not loaded. */
    function validEvents() {
      return valid ? Array.from(valid) : null;
    }

    if (initialEvents != null) setValidEvents(initialEvents);
    return { add, remove, find, list, check, setValidEvents, validEvents, needsAttach, markAttached, markDetached };
  }

  /** The plotly graph div of a dcc.Graph (or a plain plotly div) by id, once Plotly has initialised it. */
  function graphDiv(doc, graphId) {
    const outer = doc && doc.getElementById(graphId);
    if (!outer) return null;
    const isPlot = outer.classList && outer.classList.contains && outer.classList.contains("js-plotly-plot");
    const gd = isPlot ? outer : outer.querySelector && outer.querySelector(".js-plotly-plot");
    return gd && typeof gd.on === "function" && typeof gd.removeListener === "function" ? gd : null;
  }

  /** Browser glue bound to a root (window, or a fake with document/MutationObserver/requestAnimationFrame). */
  function createEvents(root) {
    const registry = createRegistry(null);
    let observer = null;
    let observing = false;
    let scheduled = false;

    /** Detach sub from the div it is on, if that div still has plotly's removeListener. */
    function detach(sub) {
      const div = sub.div;
      if (!div) return;
      if (typeof div.removeListener === "function") div.removeListener(sub.eventName, sub.wrapped);
      registry.markDetached(div, sub);
    }

    /** Attach every subscription whose graph div is drawn and lacks its listener; cheap when nothing changed. */
    function ensureAttached() {
      const divs = new Map(); // one DOM lookup per graph per pass
      for (const sub of registry.list()) {
        if (!divs.has(sub.graphId)) divs.set(sub.graphId, graphDiv(root.document, sub.graphId));
        const gd = divs.get(sub.graphId);
        if (sub.div && sub.div !== gd) detach(sub); // dcc.Graph replaced its div, or the graph is gone
        if (gd && registry.needsAttach(gd, sub)) {
          gd.on(sub.eventName, sub.wrapped);
          registry.markAttached(gd, sub);
        }
      }
    }

    /** Run ensureAttached at most once per animation frame. */
    function schedule() {
      if (scheduled) return;
      scheduled = true;
      const run = () => {
        scheduled = false;
        const span = spans.begin("engine.events");
        ensureAttached();
        spans.end(span);
      };
      if (typeof root.requestAnimationFrame === "function") root.requestAnimationFrame(run);
      else setTimeout(run, 16);
    }

    /** Watch the DOM (observer created lazily once) while there are subscriptions; stop when there are none. */
    function watch() {
      const doc = root.document;
      const target = doc && (doc.body || doc.documentElement);
      const wanted = registry.list().length > 0;
      if (!target || typeof root.MutationObserver !== "function") return;
      if (!observer) observer = new root.MutationObserver(schedule);
      if (wanted && !observing) observer.observe(target, { childList: true, subtree: true });
      if (!wanted && observing) observer.disconnect();
      observing = wanted;
    }

    /** Call handler(eventData) on every eventName of graph graphId; returns unsubscribe (no-op on errors). */
    function subscribe(graphId, eventName, handler) {
      let token;
      try {
        token = registry.add(graphId, eventName, handler);
      } catch (err) {
        console.error(err.message);
        return function unsubscribeNothing() {};
      }
      if (token === null) token = registry.find(graphId, eventName, handler).token; // like addEventListener
      ensureAttached();
      watch();
      return function unsubscribe() {
        const sub = registry.remove(token);
        if (sub) detach(sub);
        watch();
      };
    }

    /** Load the valid names (array, or the plotly_events.json object); drops and reports invalid subscriptions. */
    function setValidEvents(list) {
      const dropped = registry.setValidEvents(list);
      const names = registry.validEvents().join(", ");
      for (const sub of dropped) {
        detach(sub);
        const where = `subscription on #${sub.graphId} dropped`;
        console.error(`events: unknown plotly event "${sub.eventName}" (${where}); valid events: ${names}`);
      }
      watch();
      return registry.validEvents().length;
    }

    return { subscribe, setValidEvents, ensureAttached, registry };
  }

  const page = createEvents(globalRoot); // reads root.document lazily, so loading under node is harmless
  const { subscribe, setValidEvents, ensureAttached } = page;
  return { createRegistry, createEvents, listenersOf, safeSerialize, subscribe, setValidEvents, ensureAttached };
});
