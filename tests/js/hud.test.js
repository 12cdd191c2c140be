// node --test: the engine-written HUD, the slow lane and the session save (assets/js/49_hud.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const hud = require("../../assets/js/49_hud.js");

const PARTS = ["fps", "points", "latency", "requests", "bytes", "tab-requests", "follow"];
const SNAP = { active: true, playing: true, fps: 58.6, points: 12345, latencyP50: 33.4, requests: 0, requestBytes: 2048, tabRequests: 7 };

/** A text node and an element holding it, as the DOM has them (nodeType 3 = text). */
function fakeElement(text) {
  const el = { writes: 0, nextSibling: null };
  const node = { nodeType: 3, nextSibling: null };
  let value = text;
  Object.defineProperty(node, "nodeValue", { get: () => value, set: (v) => ((value = v), (el.writes += 1)) });
  Object.defineProperty(el, "firstChild", { get: () => node });
  Object.defineProperty(el, "textContent", { get: () => value, set: (v) => ((value = v), (el.writes += 1)) });
  return el;
}

test("hudText: each part from the snapshot, paused and frozen spelled out, unknown parts as a dash", () => {
  assert.deepEqual(hud.hudText(PARTS, SNAP, false), ["59", "12,345", "33 ms", "0", "2.0 kB", "7", "live"]);
  const paused = Object.assign({}, SNAP, { playing: false, latencyP50: NaN, requestBytes: 3 * 1024 * 1024 });
  assert.deepEqual(hud.hudText(["fps", "latency", "bytes", "follow"], paused, true), ["paused", "–", "3.00 MB", "frozen"]);
  assert.deepEqual(hud.hudText(["behind"], SNAP, false), ["–"]);
});

test("createHud writes only visible panels, only changed texts, into the node React rendered", () => {
  const els = new Map(PARTS.map((p) => [`raf-${p}`, fakeElement("–")]));
  els.set("srv-fps", fakeElement("–"));
  const doc = { getElementById: (id) => els.get(id) || null };
  const config = {
    periodMs: 500,
    parts: PARTS,
    panels: { "raf-graph": Object.fromEntries(PARTS.map((p) => [p, `raf-${p}`])), "srv-graph": { fps: "srv-fps" } },
  };
  const writer = hud.createHud(doc, config);
  const snaps = { "raf-graph": SNAP, "srv-graph": Object.assign({}, SNAP, { active: false }) };
  assert.equal(writer.paint((id) => snaps[id], () => false), 7);
  assert.equal(els.get("raf-fps").textContent, "59");
  assert.equal(els.get("srv-fps").textContent, "–", "a hidden panel is left alone");
  assert.equal(writer.paint((id) => snaps[id], () => false), 0, "nothing changed, nothing written");
  snaps["raf-graph"] = Object.assign({}, SNAP, { fps: 30 });
  assert.equal(writer.paint((id) => snaps[id], () => true), 2, "fps and follow changed");
  assert.equal(els.get("raf-follow").textContent, "frozen");
  els.get("raf-fps").textContent = "–"; // React re-rendered the panel with its layout text
  assert.equal(writer.paint((id) => snaps[id], () => true), 1, "the next paint puts the number back");
  assert.equal(writer.paint(() => null, () => false), 0, "no snapshot yet: nothing to write");
});

test("the slow lane runs each task at most every ms, and a throwing task does not stop the others", () => {
  const ticker = hud.createTicker();
  const runs = [];
  ticker.every(250, (now) => runs.push(["a", now]));
  const stop = ticker.every(100, () => {
    throw new Error("boom");
  });
  const warn = console.warn;
  console.warn = () => {};
  try {
    for (let now = 0; now <= 600; now += 16.7) ticker.run(now);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(runs.map((r) => Math.round(r[1])), [0, 250, 501]);
  stop();
  assert.equal(ticker.size(), 1);
});

test("the session save is what the session dcc.Store reads back, and a refusing storage is survived", () => {
  const store = new Map();
  const storage = { setItem: (k, v) => store.set(k, v) };
  assert.equal(hud.saveSession(storage, "shell-session", hud.sessionState(1234.9, 1)), true);
  assert.deepEqual(JSON.parse(store.get("shell-session")), { pos: 1234, playing: true });
  assert.ok(Number(store.get("shell-session-timestamp")) > 0);
  const full = { setItem: () => {
    throw new Error("QuotaExceededError");
  } };
  assert.equal(hud.saveSession(full, "shell-session", hud.sessionState(1, false)), false);
});

/** A minimal DOM for build(): elements with id, className, title, text and children; getElementById walks them. */
function fakeDom(boxIds) {
  const all = new Map();
  const element = (tag) => {
    const el = { tag, className: "", title: "", textContent: "", children: [] };
    let id = "";
    Object.defineProperty(el, "id", { get: () => id, set: (v) => ((id = v), all.set(v, el)) });
    el.append = (...kids) => el.children.push(...kids);
    el.replaceChildren = (...kids) => {
      const drop = (n) => (all.get(n.id) === n && all.delete(n.id), n.children.forEach(drop));
      el.children.forEach(drop);
      el.children = kids;
    };
    return el;
  };
  boxIds.forEach((id) => (element("div").id = id));
  return { createElement: element, getElementById: (id) => all.get(id) || null, all };
}

const HUD = {
  periodMs: 500,
  parts: ["fps", "points"],
  panels: { "raf-graph": { fps: "raf-fps", points: "raf-points" }, "push-graph": { fps: "push-fps", points: "push-points" } },
  labels: { fps: ["fps", "frames painted per second"], points: ["points", "points on screen"], dropped: ["dropped", "samples never received"] },
  boxes: {
    "raf-graph": { id: "raf-hud", items: [["fps", "raf-fps"], ["points", "raf-points"]] },
    "push-graph": { id: "push-hud", items: [["fps", "push-fps"], ["points", "push-points"], ["dropped", "push-dropped"]] },
    "gone-graph": { id: "gone-hud", items: [["fps", "gone-fps"]] },
  },
};

test("build: each HUD's items (label, tooltip, a node with the part's id and a dash) into its empty node, once", () => {
  const doc = fakeDom(["raf-hud", "push-hud"]);
  assert.equal(hud.build(doc, HUD), 2, "the two boxes on the page; a box not in the DOM is skipped");
  const items = doc.getElementById("push-hud").children;
  assert.deepEqual(items.map((i) => [i.className, i.title, i.children[0].tag, i.children[0].textContent]), [
    ["hud-item", "frames painted per second", "span", "fps"],
    ["hud-item", "points on screen", "span", "points"],
    ["hud-item", "samples never received", "span", "dropped"],
  ]);
  const value = doc.getElementById("push-dropped");
  assert.equal(value.tag, "b");
  assert.equal(value.textContent, "–");
  assert.equal(hud.build(doc, HUD), 0, "built already: left alone");
  assert.equal(hud.build(doc, {}), 0, "no boxes in the config: nothing to build");
});

test("createHud: a visible panel whose HUD items went missing (its node mounted again) is built, then written", () => {
  const doc = fakeDom(["raf-hud", "push-hud"]);
  const writer = hud.createHud(doc, HUD);
  const snap = (id) => (id === "raf-graph" ? SNAP : null);
  assert.equal(writer.paint(snap, () => false), 2, "built on the first paint, then written");
  assert.equal(doc.getElementById("raf-fps").textContent, "59");
  assert.equal(doc.getElementById("push-fps"), null, "a panel without a snapshot is not built by paint");
  doc.getElementById("raf-hud").replaceChildren(); // React mounted the node again, empty
  assert.equal(writer.paint(snap, () => false), 2, "rebuilt and written again");
  assert.equal(doc.getElementById("raf-points").textContent, "12,345");
});
