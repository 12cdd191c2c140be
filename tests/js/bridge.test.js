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
