// node --test: the /inspector route (assets/js/45_router.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const router = require("../../assets/js/45_router.js");

test("/inspector shows the landing strategy and round-trips through routePath", () => {
  const config = {
    strategies: [{ id: "clientside-raf" }],
    landing: "clientside-raf",
    compareDefault: [],
    limits: { window: [100, 1e6], speed: [0.1, 50], interval: [20, 5000], bridge: [50, 10000], compare: [2, 4] },
    defaults: { window: 2000, speed: 1, channels: ["ch1"], trace: "scatter", interval: 100, bridge: 1000 },
    names: ["ch1"],
  };
  const r = router.parseRoute("/inspector", "", config, null);
  assert.deepEqual([r.page, r.strategies, r.messages], ["inspector", ["clientside-raf"], []]);
  assert.equal(router.routePath(r), "/inspector");
});
