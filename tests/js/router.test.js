// node --test: URL → page, panels and view, with messages for bad values (assets/js/45_router.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const router = require("../../assets/js/45_router.js");

const ids = ["clientside-raf", "clientside-interval", "server-extend", "server-patch", "server-figure"];
const config = {
  strategies: ids.map((id) => ({ id })),
  landing: "clientside-raf",
  compareDefault: ["server-extend", "clientside-raf"],
  limits: { window: [100, 1000000], speed: [0.1, 50], interval: [20, 5000], bridge: [50, 10000], compare: [2, 4] },
  defaults: { window: 2000, speed: 1, channels: ["ch1", "ch2", "ch3"], trace: "scatter", interval: 100, bridge: 1000, decimate: "auto" },
  names: ["ch1", "ch2", "ch3"],
};

test("the landing page and every strategy page", () => {
  const home = router.parseRoute("/", "", config, null);
  assert.deepEqual([home.page, home.strategies, home.messages], ["live", ["clientside-raf"], []]);
  assert.deepEqual(home.view, config.defaults);
  for (const id of ids) {
    const r = router.parseRoute(`/strategy/${id}/`, "", config, null);
    assert.deepEqual([r.page, r.strategies, r.messages], ["strategy", [id], []]);
  }
});

test("unknown strategies and pages fall back to the live chart with a message naming them", () => {
  const r = router.parseRoute("/strategy/websocket", "", config, null);
  assert.deepEqual([r.page, r.strategies], ["live", ["clientside-raf"]]);
  assert.match(r.messages[0], /Unknown strategy "websocket": choose one of clientside-raf, .*server-figure/);
  const p = router.parseRoute("/nowhere/at/all", "", config, null);
  assert.match(p.messages[0], /No page at "\/nowhere\/at\/all"/);
});

test("valid parameters are applied", () => {
  const r = router.parseRoute("/", "?window=5000&speed=2.5&channels=ch3,ch1&trace=scattergl&interval=250&bridge=250", config, null);
  assert.deepEqual(r.view, { window: 5000, speed: 2.5, channels: ["ch1", "ch3"], trace: "scattergl", interval: 250, bridge: 250, decimate: "auto" });
  assert.equal(router.parseRoute("/", "?decimate=off", config, null).view.decimate, "off");
  assert.equal(router.parseRoute("/", "?bridge=off", config, null).view.bridge, 0);
  assert.equal(router.parseRoute("/", "?bridge=0", config, null).view.bridge, 0);
  assert.deepEqual(r.messages, []);
});

test("bad parameters name the value and the allowed range and keep the default", () => {
  const cases = [
    ["window=abc", /window="abc" is not allowed: use a whole number from 100 to 1,000,000\. Using 2000\./],
    ["window=99", /window="99" is not allowed/],
    ["window=1e3", /window="1e3" is not allowed/],
    ["window=1000001", /from 100 to 1,000,000/],
    ["speed=0", /speed="0" is not allowed: use a number from 0.1 to 50\. Using 1\./],
    ["speed=NaN", /speed="NaN"/],
    ["speed=51", /speed="51"/],
    ["interval=5", /interval="5" is not allowed: use a whole number from 20 to 5,000/],
    ["trace=bar", /trace="bar" is not allowed: use scatter or scattergl/],
    ["bridge=10", /bridge="10" is not allowed: use a whole number from 50 to 10,000, or 0 \(off\)\. Using 1000\./],
    ["bridge=fast", /bridge="fast" is not allowed/],
    ["decimate=maybe", /decimate="maybe" is not allowed: use auto, on or off\. Using auto\./],
    ["channels=ch9", /channels="ch9" is not allowed: use names from ch1, ch2, ch3\. Using ch1,ch2,ch3\./],
    ["channels=", /channels="" is not allowed/],
    ["colour=red", /Unknown parameter "colour" ignored/],
    [`window=${"9".repeat(80)}`, /window="9{40}…" is not allowed/],
  ];
  for (const [query, pattern] of cases) {
    const r = router.parseRoute("/", `?${query}`, config, null);
    assert.equal(r.messages.length, 1, query);
    assert.match(r.messages[0], pattern, query);
    assert.deepEqual(r.view, config.defaults, query);
  }
});

test("compare takes 2 to 4 known strategies in the order given", () => {
  const r = router.parseRoute("/compare", "?s=server-figure,clientside-raf,server-extend", config, null);
  assert.deepEqual([r.page, r.strategies, r.messages], ["compare", ["server-figure", "clientside-raf", "server-extend"], []]);
  assert.deepEqual(router.parseRoute("/compare", "", config, null).strategies, config.compareDefault);
  const bad = router.parseRoute("/compare", "?s=server-figure,nope,server-figure", config, null);
  assert.deepEqual(bad.strategies, config.compareDefault);
  assert.match(bad.messages.join(" "), /Unknown strategies "nope" ignored/);
  assert.match(bad.messages.join(" "), /Compare needs 2 to 4 strategies/);
  const many = router.parseRoute("/compare", `?s=${ids.join(",")}`, config, null);
  assert.deepEqual(many.strategies, ids.slice(0, 4));
  assert.match(many.messages[0], /at most 4/);
  assert.match(router.parseRoute("/", "?s=server-figure", config, null).messages[0], /only to \/compare/);
});

test("preferences fill in what the URL does not say, and bad preferences are ignored", () => {
  const prefs = { window: 3000, speed: 5, channels: ["ch2"], trace: "scattergl", interval: 40, bridge: 250, decimate: "on" };
  assert.deepEqual(router.parseRoute("/", "", config, prefs).view, prefs);
  assert.equal(router.parseRoute("/", "?window=700", config, prefs).view.window, 700);
  const forged = { window: -4, speed: "fast", channels: ["ch1", "x"], trace: 7, interval: 1.5, bridge: 3, decimate: "x" };
  assert.deepEqual(router.parseRoute("/", "", config, forged).view, config.defaults);
  assert.deepEqual(router.cleanPrefs("junk", config), {});
  const bad = router.parseRoute("/", "?window=1", config, prefs);
  assert.equal(bad.view.window, 3000);
  assert.match(bad.messages[0], /Using 3000\./);
});

test("share links carry only what differs from the defaults and round-trip through parseRoute", () => {
  const route = { page: "compare", strategies: ["server-patch", "clientside-raf"] };
  const view = { window: 4000, speed: 1, channels: ["ch2"], trace: "scatter", interval: 50, bridge: 0, decimate: "auto" };
  const search = router.shareSearch(route, view, config);
  assert.equal(search, "?s=server-patch,clientside-raf&window=4000&interval=50&bridge=0&channels=ch2");
  const back = router.parseRoute(router.routePath(route), search, config, null);
  assert.deepEqual([back.strategies, back.view, back.messages], [route.strategies, view, []]);
  assert.equal(router.shareSearch({ page: "live", strategies: [] }, config.defaults, config), "");
  assert.equal(router.routePath({ page: "strategy", strategies: ["server-figure"] }), "/strategy/server-figure");
});
