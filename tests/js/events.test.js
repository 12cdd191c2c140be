// node --test: event registry, subscribe/unsubscribe glue against fake graph divs, safeSerialize (assets/js/70_events.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { EventEmitter } = require("node:events");
const fs = require("node:fs");
const path = require("node:path");
const events = require("../../assets/js/70_events.js");

const VALID = JSON.parse(fs.readFileSync(path.join(__dirname, "../../app/plotly_events.json"), "utf8")).events;

/** A fake plotly graph div, wired the way plotly's Events.init does it (a Node EventEmitter on gd._ev). */
function fakeGraphDiv(id) {
  const ev = new EventEmitter();
  return {
    id,
    nodeType: 1,
    tagName: "DIV",
    className: "js-plotly-plot",
    _ev: ev,
    on: ev.on.bind(ev),
    removeListener: ev.removeListener.bind(ev),
    removeAllListeners: ev.removeAllListeners.bind(ev),
    emit: (name, data) => ev.emit(name, data),
  };
}

/** A fake page: document.getElementById → outer dcc.Graph div → querySelector(".js-plotly-plot") → gd. */
function fakeRoot() {
  const graphs = new Map(); // id -> {gd}
  const observers = [];
  const frames = [];
  const root = {
    document: {
      body: { nodeType: 1, tagName: "BODY" },
      getElementById(id) {
        const g = graphs.get(id);
        if (!g) return null;
        return { id, classList: { contains: () => false }, querySelector: (sel) => (sel === ".js-plotly-plot" ? g.gd : null) };
      },
    },
    MutationObserver: class {
      constructor(cb) {
        this.cb = cb;
        this.target = null;
        observers.push(this);
      }
      observe(target) {
        this.target = target;
      }
      disconnect() {
        this.target = null;
      }
    },
    requestAnimationFrame: (fn) => frames.push(fn),
  };
  return {
    root,
    observers,
    /** Put (or replace) the plotly div of a graph; returns it. */
    draw(id) {
      const gd = fakeGraphDiv(id);
      graphs.set(id, { gd });
      return gd;
    },
    remove: (id) => graphs.delete(id),
    /** Fire the DOM observer (as a DOM change would), then run the pending animation frames. */
    mutate() {
      observers.forEach((o) => o.target && o.cb([]));
      frames.splice(0).forEach((fn) => fn());
    },
  };
}

/** Capture console.error calls during fn. */
function captureErrors(fn) {
  const seen = [];
  const original = console.error;
  console.error = (...args) => seen.push(args.map(String).join(" "));
  try {
    fn();
  } finally {
    console.error = original;
  }
  return seen;
}

test("registry: add, no duplicate registration, list and remove", () => {
  const reg = events.createRegistry(VALID);
  const h = () => {};
  const t1 = reg.add("g1", "plotly_click", h);
  assert.ok(t1);
  assert.equal(reg.add("g1", "plotly_click", h), null, "same triple twice");
  const t2 = reg.add("g1", "plotly_hover", h);
  const t3 = reg.add("g2", "plotly_click", h);
  const t4 = reg.add("g1", "plotly_click", () => {});
  assert.equal(new Set([t1, t2, t3, t4]).size, 4);
  assert.equal(reg.list("g1").length, 3);
  assert.equal(reg.list().length, 4);
  assert.equal(reg.remove(t1).eventName, "plotly_click");
  assert.equal(reg.remove(t1), null);
  assert.equal(reg.list("g1").length, 2);
  assert.ok(reg.add("g1", "plotly_click", h), "can add again after remove");
});

test("registry: an unknown event throws naming it and the valid list", () => {
  const reg = events.createRegistry(["plotly_click", "plotly_hover"]);
  assert.throws(() => reg.add("g", "plotly_clik", () => {}), /"plotly_clik".*valid events: plotly_click, plotly_hover/);
  assert.throws(() => reg.add("g", "click", () => {}), /unknown plotly event "click"/);
  assert.throws(() => reg.add("g", "plotly_click", "not a function"), /handler must be a function/);
  assert.throws(() => events.createRegistry({ nope: 1 }), /expects an array/);
});

test("registry: before the list is loaded plotly_* names are accepted, then checked", () => {
  const reg = events.createRegistry(null);
  assert.equal(reg.validEvents(), null);
  assert.ok(reg.add("g", "plotly_click", () => {}));
  assert.ok(reg.add("g", "plotly_madeup", () => {}));
  assert.throws(() => reg.add("g", "click", () => {}), /not loaded yet/);
  const dropped = reg.setValidEvents({ events: VALID }); // the plotly_events.json object works too
  assert.deepEqual(dropped.map((s) => s.eventName), ["plotly_madeup"]);
  assert.deepEqual(reg.list().map((s) => s.eventName), ["plotly_click"]);
});

test("registry: per-div attach bookkeeping with two divs and a re-created div", () => {
  const reg = events.createRegistry(VALID);
  const sub = reg.remove(reg.add("g", "plotly_click", () => {}));
  const a = fakeGraphDiv("a");
  const b = fakeGraphDiv("b");
  assert.ok(reg.needsAttach(a, sub));
  a.on(sub.eventName, sub.wrapped);
  reg.markAttached(a, sub);
  assert.equal(reg.needsAttach(a, sub), false);
  assert.ok(reg.needsAttach(b, sub), "attached to a says nothing about b");
  b.on(sub.eventName, sub.wrapped);
  reg.markAttached(b, sub);
  assert.equal(reg.needsAttach(b, sub), false);
  a.removeAllListeners();
  assert.ok(reg.needsAttach(a, sub), "removeAllListeners wiped it");
  assert.equal(reg.needsAttach(b, sub), false);
  const a2 = fakeGraphDiv("a");
  assert.ok(reg.needsAttach(a2, sub), "a re-created div starts empty");
  reg.markDetached(b, sub);
  assert.ok(reg.needsAttach(b, sub));
});

test("subscribe: exactly one delivery per event however often the graph re-renders", () => {
  const page = fakeRoot();
  const api = events.createEvents(page.root);
  api.setValidEvents(VALID);
  const gd = page.draw("graph");
  const seen = [];
  const handler = (d) => seen.push(d);
  const unsubscribe = api.subscribe("graph", "plotly_click", handler);
  assert.equal(api.subscribe("graph", "plotly_click", handler).name, "unsubscribe", "duplicate is a no-op");
  for (let i = 0; i < 10; i++) api.ensureAttached();
  for (let i = 0; i < 10; i++) page.mutate();
  gd.emit("plotly_click", { n: 1 });
  gd.emit("plotly_hover", { n: 2 });
  assert.deepEqual(seen, [{ n: 1 }]);
  assert.equal(gd._ev.listenerCount("plotly_click"), 1);
  unsubscribe();
  gd.emit("plotly_click", { n: 3 });
  assert.deepEqual(seen, [{ n: 1 }]);
  assert.equal(gd._ev.listenerCount("plotly_click"), 0);
});

test("subscribe: waits for the graph, re-attaches after removeAllListeners and after the div is replaced", () => {
  const page = fakeRoot();
  const api = events.createEvents(page.root);
  const seen = [];
  const unsubscribe = api.subscribe("late", "plotly_relayout", (d) => seen.push(d));
  assert.ok(page.observers[0].target, "observing the body while subscribed");
  let gd = page.draw("late");
  page.mutate(); // Plotly drew: the observer's frame attaches
  gd.emit("plotly_relayout", 1);
  gd.removeAllListeners(); // dcc.Graph purge
  gd.emit("plotly_relayout", "lost");
  page.mutate();
  gd.emit("plotly_relayout", 2);
  const old = gd;
  gd = page.draw("late"); // dcc.Graph replaced its div
  page.mutate();
  gd.emit("plotly_relayout", 3);
  old.emit("plotly_relayout", "old div");
  assert.equal(old._ev.listenerCount("plotly_relayout"), 0, "detached from the old div");
  page.remove("late");
  page.mutate();
  gd.emit("plotly_relayout", "gone");
  page.draw("late").emit("plotly_relayout", "not yet");
  page.mutate();
  assert.deepEqual(seen, [1, 2, 3]);
  unsubscribe();
  assert.equal(page.observers.length, 1, "one observer, created lazily");
  assert.equal(page.observers[0].target, null, "stops observing with no subscriptions");
});

test("subscribe: an unknown event logs the valid list and returns a no-op; a late list drops bad names", () => {
  const page = fakeRoot();
  const api = events.createEvents(page.root);
  const gd = page.draw("g");
  const early = [];
  const errors1 = captureErrors(() => api.subscribe("g", "plotly_typo", (d) => early.push(d)));
  assert.deepEqual(errors1, []);
  const errors2 = captureErrors(() => api.setValidEvents(VALID));
  assert.equal(errors2.length, 1);
  assert.match(errors2[0], /"plotly_typo".*valid events: .*plotly_click/);
  gd.emit("plotly_typo", 1);
  assert.deepEqual(early, []);
  let unsubscribe;
  const errors3 = captureErrors(() => (unsubscribe = api.subscribe("g", "click", () => {})));
  assert.equal(errors3.length, 1);
  assert.match(errors3[0], /unknown plotly event "click"; valid events: plotly_afterexport, .*plotly_webglcontextlost/);
  assert.doesNotThrow(unsubscribe);
});

test("subscribe: a throwing handler is reported and does not break plotly's emit", () => {
  const page = fakeRoot();
  const api = events.createEvents(page.root);
  const gd = page.draw("g");
  api.subscribe("g", "plotly_click", () => {
    throw new Error("boom");
  });
  const errors = captureErrors(() => gd.emit("plotly_click", {}));
  assert.equal(errors.length, 1);
  assert.match(errors[0], /plotly_click on #g threw.*boom/);
});

test("safeSerialize: cycles, DOM nodes, functions", () => {
  const gd = { nodeType: 1, tagName: "DIV", id: "graph", className: "js-plotly-plot dash-graph", nodeName: "DIV" };
  const point = { x: 1, y: 2, fullData: { name: "a" } };
  point.self = point;
  point.fullData.parent = point;
  const out = JSON.parse(events.safeSerialize({ points: [point], gd, fn: function onClick() {}, arrow: () => 0 }));
  assert.equal(out.points[0].self, "[Circular]");
  assert.equal(out.points[0].fullData.parent, "[Circular]");
  assert.equal(out.gd, "[HTMLElement div#graph.js-plotly-plot.dash-graph]");
  assert.equal(out.fn, "[Function onClick]");
  assert.equal(out.arrow, "[Function arrow]");
  assert.equal(events.safeSerialize({ nodeType: 3, nodeName: "#text" }), '"[Node #text]"');
  const shared = { k: 1 };
  assert.deepEqual(JSON.parse(events.safeSerialize([shared, shared])), [{ k: 1 }, { k: 1 }], "repeats are not cycles");
});

test("safeSerialize: long arrays, typed arrays, long strings and many keys are trimmed", () => {
  const big = Array.from({ length: 10000 }, (_, i) => i);
  const out = JSON.parse(events.safeSerialize({ big, f32: new Float32Array(1000), s: "x".repeat(500) }));
  assert.equal(out.big.length, 21);
  assert.equal(out.big[19], 19);
  assert.equal(out.big[20], "… 9980 more");
  assert.equal(out.f32, "[Float32Array(1000) 0, 0, 0, 0, 0 …]");
  assert.match(out.s, /^x{200}… \(300 more chars\)$/);
  const wide = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
  const w = JSON.parse(events.safeSerialize(wide, { maxKeys: 10 }));
  assert.equal(Object.keys(w).length, 11);
  assert.equal(w["…"], "40 more keys");
  assert.equal(JSON.parse(events.safeSerialize(big, { maxArray: 2 })).length, 3);
});

test("safeSerialize: deep nesting stops at maxDepth", () => {
  const deep = { a: { b: { c: { d: { e: 1 } } } }, list: [[[[[1]]]]] };
  const out = JSON.parse(events.safeSerialize(deep));
  assert.deepEqual(out.a.b.c, { d: "[Object]" }, "root + 3 levels of containers, the 4th is a label");
  assert.equal(out.list[0][0][0], "[Array(1)]");
  assert.deepEqual(JSON.parse(events.safeSerialize(deep, { maxDepth: 1 })), { a: "[Object]", list: "[Array(1)]" });
  let chain = {};
  const head = chain;
  for (let i = 0; i < 100000; i++) chain = chain.next = {};
  const text = events.safeSerialize(head, { maxDepth: Infinity }); // no depth limit: stops, does not throw
  assert.doesNotThrow(() => JSON.parse(text));
  assert.match(text, /"\[(Truncated|Unreadable: .*call stack.*)\]"/);
});

test("safeSerialize never throws: throwing getters, BigInt, undefined, events, odd values", () => {
  const nasty = { ok: 1, n: 10n, u: undefined, sym: Symbol("s"), date: new Date(0) };
  Object.defineProperty(nasty, "bad", { enumerable: true, get: () => { throw new Error("no"); } });
  const out = JSON.parse(events.safeSerialize(nasty));
  assert.deepEqual(out, { ok: 1, n: "10n", sym: "Symbol(s)", date: "1970-01-01T00:00:00.000Z", bad: "[Unreadable: no]" });
  const evt = { isTrusted: true, type: "click", target: null, clientX: 4, clientY: 5, preventDefault() {} };
  assert.deepEqual(JSON.parse(events.safeSerialize({ event: evt })), { event: { type: "click", clientX: 4, clientY: 5 } });
  const proxy = new Proxy({}, { ownKeys: () => { throw new Error("trap"); } });
  assert.match(events.safeSerialize(proxy), /Unserializable: trap/);
  assert.equal(events.safeSerialize(undefined), "null");
  assert.equal(events.safeSerialize(new Map([[1, 2]])), '"[Map(1)]"');
});
