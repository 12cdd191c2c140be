// node --test: the server-push glue (assets/js/67_push.js) on a fake page: lanes applied in sequence order, the
// engine's frame draws what is due with one extendTraces in flight, the control store and the watchdog.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");

const GRAPH = "server-push-graph";

/** A fake page: the engine's API as far as 67_push.js uses it, plotly's extendTraces, set_props, the DOM. */
function page() {
  const tasks = [];
  const setProps = [];
  const extends_ = [];
  const elements = new Map();
  const gd = { isConnected: true, layout: { meta: { tickless_epoch: 1 } }, data: [{ x: [] }] };
  const tab = {
    config: { names: ["ch1", "ch2"], push: { version: 1, ackMs: 200, watchdogMs: 3000, backoffCapMs: 30000, playoutMaxMs: 2000, queue: 50000, portOffset: 1 } },
    clock: { playing: true, speed: 1 },
    streams: new Map([[GRAPH, { active: true }]]),
  };
  const ns = {};
  global.window = {
    dash_clientside: { tickless: ns, set_props: (id, props) => setProps.push([id, props]), PreventUpdate: {} },
    document: {
      getElementById: (id) => (id === "_dash-config" ? { textContent: JSON.stringify({ websocket: { url: "/x" } }) } : elements.get(id) || null),
    },
    location: { port: "8050", protocol: "http:" },
    Plotly: {
      extendTraces: (div, update, indices, maxPoints) => {
        extends_.push({ update, indices, maxPoints });
        div.data = [{ x: update.x[0] }];
        return Promise.resolve();
      },
    },
  };
  global.performance = { now: () => Date.now(), timeOrigin: 0 };
  const load = (file) => {
    const full = path.join(__dirname, "../../assets/js", file);
    delete require.cache[full];
    return require(full);
  };
  ns.codec = load("10_codec.js");
  ns.frames = load("30_frames.js");
  ns.hud = load("49_hud.js");
  ns.pushrx = load("64_pushrx.js");
  ns.figure = { layout: (config, channels, epoch) => ({ meta: { tickless_epoch: epoch } }) };
  ns.stream = {
    tab,
    external: () => {},
    every: (ms, fn) => tasks.push(fn),
    configure: () => null,
    hasClock: () => true,
    findGraphDiv: () => gd,
  };
  load("67_push.js");
  return { ns, tasks, setProps, extends_, gd, tab };
}

/** base64url of little-endian float32 values. */
function b64(values) {
  return Buffer.from(new Float32Array(values).buffer).toString("base64url");
}

function msg(seq, start, n, t) {
  const y = [b64(Array.from({ length: n }, (_, k) => start + k))];
  return { v: 1, run: 7, seq, start, n, rate: 1000, t, dt: 1, ch: [0], y, dropped: 0, lost: 0 };
}

test("lanes are applied in sequence order whatever order Dash hands them over", async () => {
  const { ns, tasks, setProps, extends_ } = page();
  const fig = ns.pushView({ window: 500, channels: [0], trace: "scatter" }, GRAPH);
  assert.equal(fig.data.length, 1);
  const now = Date.now();
  // one Dash update carried messages 1 and 0 (lanes 1 and 0): both are applied, in order
  // (produced 5 s ago: past the play-out delay, which is capped at config.push.playoutMaxMs)
  ns.pushData(msg(1, 100, 100, now - 4900), msg(0, 0, 100, now - 5000), null, null, GRAPH);
  let s = ns.push.state(GRAPH);
  assert.equal(s.end, 200);
  assert.equal(s.dropped, 0);
  assert.equal(s.seq, 1);
  // the same lanes again (unchanged Stores) are stale: nothing counted twice
  ns.pushData(msg(1, 100, 100, now - 4900), msg(0, 0, 100, now - 5000), null, null, GRAPH);
  s = ns.push.state(GRAPH);
  assert.equal(s.duplicates, 0);
  assert.equal(s.messages, 2);
  // the engine's frame draws what is due: one extendTraces, typed arrays, maxPoints within the window
  tasks.forEach((fn) => fn(performance.now()));
  await new Promise((r) => setImmediate(r));
  assert.equal(extends_.length, 1);
  assert.equal(extends_[0].update.x[0].length, 200);
  assert.ok(extends_[0].update.y[0] instanceof Float32Array);
  assert.equal(extends_[0].maxPoints, 200);
  assert.equal(ns.push.state(GRAPH).drawnEnd, 200);
  // the slow lane wrote the control store: active, where the tab is, which stream and message it applied
  const control = setProps.filter(([id]) => id === "server-push-control").pop()[1].data;
  assert.equal(control.active, true);
  assert.equal(control.from, 200);
  assert.equal(control.run, 7);
  assert.equal(control.seq, 1);
});

test("silence past the watchdog writes the prod store, then backs off", () => {
  const { ns, tasks, setProps } = page();
  ns.pushView({ window: 500, channels: [0], trace: "scatter" }, GRAPH);
  const realNow = Date.now;
  let t = realNow();
  Date.now = () => t;
  try {
    tasks.forEach((fn) => fn(0)); // becomes active at t
    t += 3500;
    tasks.forEach((fn) => fn(0));
    const prods = () => setProps.filter(([id]) => id === "server-push-prod").length;
    assert.equal(prods(), 1, "asked once after 3 s of silence");
    t += 1000;
    tasks.forEach((fn) => fn(0));
    assert.equal(prods(), 1, "backs off before asking again");
    t += 6000;
    tasks.forEach((fn) => fn(0));
    assert.equal(prods(), 2);
  } finally {
    Date.now = realNow;
  }
});

test("after a long pause the HUD says it waits, then asks again, not 'no data for' the whole pause", () => {
  const { ns, tasks, setProps, tab } = page();
  const link = { textContent: "" };
  const realGet = window.document.getElementById;
  window.document.getElementById = (id) => (id === "server-push-link" ? link : realGet(id));
  ns.pushView({ window: 500, channels: [0], trace: "scatter" }, GRAPH);
  const realNow = Date.now;
  let t = realNow();
  Date.now = () => t;
  try {
    tasks.forEach((fn) => fn(0)); // active at t
    ns.pushData(msg(0, 0, 100, t), null, null, null, GRAPH);
    tasks.forEach((fn) => fn(0));
    assert.equal(link.textContent, "live");
    tab.clock.playing = false; // paused for a minute: its stream ends, Dash may close the idle socket
    tasks.forEach((fn) => fn(0));
    assert.equal(link.textContent, "paused");
    t += 60_000;
    tab.clock.playing = true;
    tasks.forEach((fn) => fn(0));
    assert.equal(link.textContent, "waiting for data", "the pause is not silence");
    const prods = () => setProps.filter(([id]) => id === "server-push-prod").length;
    assert.equal(prods(), 0);
    t += 3500;
    tasks.forEach((fn) => fn(0));
    assert.equal(prods(), 1, "asked for a new stream 3 s after playing again");
    assert.match(link.textContent, /^no data for 4 s: reconnecting, asking again in \d+ s$/);
    ns.pushData(Object.assign(msg(0, 100, 100, t), { run: 8 }), null, null, null, GRAPH);
    tasks.forEach((fn) => fn(0));
    assert.equal(link.textContent, "live · reconnected ×1");
  } finally {
    Date.now = realNow;
    window.document.getElementById = realGet;
  }
});
