// node --test: the /inspector route (assets/js/45_router.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const router = require("../../assets/js/45_router.js");
const config = require("./fixtures/config.json"); // written by app/contract.py

test("/inspector shows the landing strategy and round-trips through routePath", () => {
  const r = router.parseRoute("/inspector", "", config, null);
  assert.deepEqual([r.page, r.strategies, r.messages], ["inspector", ["clientside-raf"], []]);
  assert.equal(router.routePath(r), "/inspector");
});
