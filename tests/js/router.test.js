// node --test: URL → page, panels and view, with messages for bad values (assets/js/45_router.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const router = require("../../assets/js/45_router.js");
// the config store of a 3-channel page, written by app/contract.py (tests/unit/test_js_fixture.py)
const config = require("./fixtures/config.json");

const ids = config.strategies.map((s) => s.id);

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
    ["channels=", /^channels is empty: use names from ch1, ch2, ch3\. Using ch1,ch2,ch3\.$/],
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
  assert.match(bad.messages.join(" "), /Strategy "server-figure" repeated in s: each is shown once\./);
  assert.match(bad.messages.join(" "), /Compare needs 2 to 4 strategies, s="server-figure,nope,server-figure" names 1 known: showing server-extend and clientside-raf\./);
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
  assert.equal(search, "?s=server-patch,clientside-raf&window=4000&channels=ch2&interval=50&bridge=0");
  const back = router.parseRoute(router.routePath(route), search, config, null);
  assert.deepEqual([back.strategies, back.view, back.messages], [route.strategies, view, []]);
  assert.equal(router.shareSearch({ page: "live", strategies: [] }, config.defaults, config), "");
  assert.equal(router.routePath({ page: "strategy", strategies: ["server-figure"] }), "/strategy/server-figure");
});

test("the contract's lists drive the router: params, trace types and decimate modes come from the config", () => {
  const narrow = Object.assign({}, config, { params: config.params.filter((p) => p !== "decimate"), decimate: ["auto", "off"] });
  const r = router.parseRoute("/", "?decimate=on", narrow, null);
  assert.match(r.messages[0], /^Unknown parameter "decimate" ignored \(known: window, speed, channels, trace, interval, bridge, s\)\.$/);
  const d = router.parseRoute("/", "?decimate=on", Object.assign({}, config, { decimate: ["auto", "off"] }), null);
  assert.match(d.messages[0], /decimate="on" is not allowed: use auto or off\. Using auto\./);
  const t = router.parseRoute("/", "?trace=bar", Object.assign({}, config, { traces: ["scatter", "scattergl", "bar"] }), null);
  assert.deepEqual([t.view.trace, t.messages], ["bar", []]);
  assert.deepEqual(router.cleanPrefs({ decimate: "on" }, Object.assign({}, config, { decimate: ["off"] })), {});
});

test("empty values name the parameter and what is allowed, and keep the default", () => {
  const cases = [
    ["window=", /^window is empty: use a whole number from 100 to 1,000,000\. Using 2000\.$/],
    ["speed=", /^speed is empty: use a number from 0\.1 to 50\. Using 1\.$/],
    ["interval=%20", /^interval is empty: use a whole number from 20 to 5,000\. Using 100\.$/],
    ["bridge=", /^bridge is empty: use a whole number from 50 to 10,000, or 0 \(off\)\. Using 1000\.$/],
    ["trace=", /^trace is empty: use scatter or scattergl\. Using scatter\.$/],
    ["decimate=", /^decimate is empty: use auto, on or off\. Using auto\.$/],
    ["window", /^window is empty/],
  ];
  for (const [query, pattern] of cases) {
    const r = router.parseRoute("/", `?${query}`, config, null);
    assert.deepEqual(r.messages.length, 1, query);
    assert.match(r.messages[0], pattern, query);
    assert.deepEqual(r.view, config.defaults, query);
  }
  const s = router.parseRoute("/compare", "?s=", config, null);
  assert.deepEqual(s.strategies, config.compareDefault);
  assert.deepEqual(s.messages, [
    `s is empty: use 2 to 4 of ${config.strategies.map((x) => x.id).join(", ")}, ` +
      "separated by commas; showing server-extend and clientside-raf.",
  ]);
  const commas = router.parseRoute("/compare", "?s=,%20,", config, null);
  assert.match(commas.messages[0], /^s=", ," names no strategy: use 2 to 4 of /);
  assert.match(router.parseRoute("/", "?s=", config, null).messages[0], /only to \/compare/);
});

test("a repeated parameter uses its first value and names the others as ignored", () => {
  const r = router.parseRoute("/", "?window=1000&window=2&speed=2", config, null);
  assert.deepEqual([r.view.window, r.view.speed], [1000, 2]);
  assert.deepEqual(r.messages, ['Parameter window is given 2 times (window="1000", window="2"): using the first, window="1000"; the others are ignored.']);
  const bad = router.parseRoute("/", "?window=1&window=5000", config, null);
  assert.equal(bad.view.window, 2000, "the first value is the one checked");
  assert.match(bad.messages[0], /window is given 2 times/);
  assert.match(bad.messages[1], /window="1" is not allowed/);
  const many = router.parseRoute("/", `?${Array.from({ length: 9 }, (_, i) => `trace=t${i}`).join("&")}`, config, null);
  assert.match(many.messages[0], /^Parameter trace is given 9 times \(trace="t0", .*trace="t4" and 4 more\): using the first, trace="t0"/);
  const s = router.parseRoute("/compare", "?s=server-patch,server-figure&s=clientside-raf,server-extend", config, null);
  assert.deepEqual(s.strategies, ["server-patch", "server-figure"]);
  assert.match(s.messages[0], /Parameter s is given 2 times .*using the first, s="server-patch,server-figure"/);
  const unknown = router.parseRoute("/", "?colour=red&colour=blue&size=9", config, null);
  assert.deepEqual(unknown.messages, [
    'Unknown parameters "colour", "size" ignored (known: window, speed, channels, trace, interval, bridge, decimate, s).',
  ]);
});

test("a missing or extra path segment names the path and the page's form, and shows the live chart", () => {
  const cases = [
    ["/strategy", /^"\/strategy" names no strategy: use \/strategy\/<id> and choose one of clientside-raf, .*server-push\. Showing the live chart\.$/],
    ["/strategy/", /^"\/strategy" names no strategy/],
    ["/strategy/server-extend/extra", /^"\/strategy\/server-extend\/extra" has 1 path segment too many: use \/strategy\/<id> and choose one of /],
    ["/strategy/a/b/c", /has 2 path segments too many/],
    ["/compare/x", /^"\/compare\/x" has an extra path segment "\/x": the compare page is \/compare\. Showing the live chart\.$/],
    ["/inspector/x/", /^"\/inspector\/x" has an extra path segment "\/x": the inspector page is \/inspector\./],
    ["/strategy/%E0%A4%A", /^Unknown strategy "%E0%A4%A": choose one of /],
  ];
  for (const [path, pattern] of cases) {
    const r = router.parseRoute(path, "", config, null);
    assert.deepEqual([r.page, r.strategies], ["live", [config.landing]], path);
    assert.equal(r.messages.length, 1, path);
    assert.match(r.messages[0], pattern, path);
  }
  const s = router.parseRoute("/compare/x", "?s=server-patch,server-figure", config, null);
  assert.equal(s.messages.length, 1, "the path message explains it; no second message about s");
});

test("repeated strategy ids in s are named and shown once", () => {
  const r = router.parseRoute("/compare", "?s=server-extend,server-patch,server-extend,server-patch,server-patch", config, null);
  assert.deepEqual(r.strategies, ["server-extend", "server-patch"]);
  assert.deepEqual(r.messages, ['Strategies "server-extend", "server-patch" repeated in s: each is shown once.']);
  const one = router.parseRoute("/compare", "?s=server-extend,server-extend", config, null);
  assert.deepEqual(one.strategies, config.compareDefault);
  assert.deepEqual(one.messages, [
    'Strategy "server-extend" repeated in s: each is shown once.',
    'Compare needs 2 to 4 strategies, s="server-extend,server-extend" names 1 known: showing server-extend and clientside-raf.',
  ]);
});
