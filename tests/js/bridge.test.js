// node --test: the bridge sample's payload, its change key and the click queue (assets/js/75_bridge.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const bridge = require("../../assets/js/75_bridge.js");
const config = require("./fixtures/config.json");

const STATE = { head: 12345, window: 2000, channels: [0, 2], playing: true, speed: 1, fps: 59.94 };

test("bridgePayload is the wire format the contract names (version, fields), fps to one decimal", () => {
  const clicks = [{ channel: 1, x: 1.5, y: 0.25, t: 7 }];
  const p = bridge.bridgePayload(STATE, clicks, { plotly_click: 1 }, config.bridge, 1700000000000);
  assert.deepEqual(p, {
    v: config.bridge.version,
    t: 1700000000000,
    head: 12345,
    window: 2000,
    channels: [0, 2],
    playing: true,
    speed: 1,
    fps: 59.9,
    clicks,
    events: { plotly_click: 1 },
  });
  assert.notEqual(p.clicks, clicks, "the queue is copied: sending clears it");
  assert.notEqual(p.channels, STATE.channels);
});

test("sampleKey ignores time and frame rate (a paused tab sends nothing), not clicks or events", () => {
  const a = bridge.bridgePayload(STATE, [], {}, config.bridge, 1);
  const b = bridge.bridgePayload(Object.assign({}, STATE, { fps: 12 }), [], {}, config.bridge, 2);
  assert.equal(bridge.sampleKey(a, 0), bridge.sampleKey(b, 0));
  assert.notEqual(bridge.sampleKey(a, 0), bridge.sampleKey(a, 1), "a new click");
  const c = bridge.bridgePayload(Object.assign({}, STATE, { head: 12346 }), [], {}, config.bridge, 1);
  assert.notEqual(bridge.sampleKey(a, 0), bridge.sampleKey(c, 0), "the playhead moved");
  const d = bridge.bridgePayload(STATE, [], { plotly_hover: 3 }, config.bridge, 1);
  assert.notEqual(bridge.sampleKey(a, 0), bridge.sampleKey(d, 0), "event counts changed");
});

test("queueClick keeps the newest maxClicks and refuses clicks it cannot place", () => {
  let q = [];
  for (let i = 0; i < config.bridge.maxClicks + 5; i++) q = bridge.queueClick(q, 0, i, i, i, config.bridge.maxClicks);
  assert.equal(q.length, config.bridge.maxClicks);
  assert.equal(q[0].x, 5);
  for (const [channel, x, y] of [[-1, 1, 1], [0, NaN, 1], [0, 1, Infinity], [undefined, 1, 1]]) {
    assert.equal(bridge.queueClick(q, channel, x, y, 0, 20), q);
  }
});

test("bridgeApply gathers the boxes into one value for Python, a copy, and nothing for a missing list", () => {
  const boxes = [0.5, null, 2];
  const applied = bridge.bridgeApply(3, boxes);
  assert.deepEqual(applied, { n: 3, levels: [0.5, null, 2] });
  assert.notEqual(applied.levels, boxes);
  assert.deepEqual(bridge.bridgeApply(1, undefined), { n: 1, levels: [] });
});

/** A fake dash_clientside around the engine's state, with set_props recorded and the transport radio's value. */
function fakeDash(t) {
  const sets = [];
  globalThis.dash_clientside = {
    no_update: "no_update",
    PreventUpdate: new Error("PreventUpdate"),
    set_props: (id, props) => sets.push([id, props]),
    tickless: { stream: { bridgeState: () => t.state }, link: { ok: () => t.ok } },
  };
  globalThis.dash_component_api = { getLayout: (id) => (id === config.ids.bridgeVia ? { props: { value: t.via } } : null) };
  return sets;
}

/** Resolve once pred() holds (polled every 5 ms); reject after `ms`. */
function until(pred, ms = 3000) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => (pred() ? resolve() : Date.now() - t0 > ms ? reject(new Error("timed out")) : setTimeout(poll, 5));
    poll();
  });
}

function unfake() {
  delete globalThis.dash_clientside;
  delete globalThis.dash_component_api;
}

test("take: a sample only when something changed, none while the link is down", () => {
  const t = { state: Object.assign({}, STATE, { head: 50000 }), ok: true };
  fakeDash(t);
  try {
    bridge.bridgeConfigure(0, config);
    assert.equal(bridge.period, 0, "0 = off");
    const first = bridge.take();
    assert.equal(first.head, 50000);
    assert.equal(first.v, config.bridge.version);
    assert.equal(bridge.take(), null, "nothing changed: nothing to send");
    t.state = Object.assign({}, t.state, { head: 50100 });
    t.ok = false;
    const held = bridge.held;
    assert.equal(bridge.take(), null, "server unreachable or tab hidden: held");
    assert.equal(bridge.held, held + 1);
    t.ok = true;
    assert.equal(bridge.take().seq, first.seq + 1);
  } finally {
    unfake();
  }
});

test("the sampler sets each changed sample on the transport's component, every period; bad periods change nothing", async () => {
  const t = { state: Object.assign({}, STATE, { head: 70000 }), ok: true, via: "div" };
  const sets = fakeDash(t);
  try {
    bridge.bridgeConfigure(50, config);
    assert.equal(bridge.period, 50);
    for (const bad of [10, 50.5, "50", null, 1e9]) bridge.bridgeConfigure(bad, config);
    assert.equal(bridge.period, 50, "a period out of range or not an integer changes nothing");
    const runs = bridge.runs;
    await until(() => bridge.runs >= runs + 1);
    assert.equal(sets.length, 1);
    assert.equal(sets[0][0], config.ids.bridgeSample);
    assert.equal(JSON.parse(sets[0][1]["data-bridge"]).head, 70000);
    await until(() => bridge.runs >= runs + 3);
    assert.equal(sets.length, 1, "unchanged: nothing set");
    t.via = "store";
    t.state = Object.assign({}, t.state, { head: 70100 });
    await until(() => sets.length >= 2);
    assert.equal(sets[1][0], config.ids.bridgeStore);
    assert.equal(sets[1][1].data.head, 70100);
  } finally {
    bridge.bridgeConfigure(0, config);
    unfake();
  }
  assert.equal(bridge.period, 0);
  const stopped = bridge.runs;
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(bridge.runs, stopped, "0 stops the sampler");
});
