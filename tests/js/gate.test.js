// node --test: the tick gate of server panels (assets/js/62_gate.js) and the request events it hears
// from the fetch wrapper (assets/js/40_metrics.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const gate = require("../../assets/js/62_gate.js");
const metrics = require("../../assets/js/40_metrics.js");

const EXTEND = "..server-extend-graph.extendData...server-extend-graph.figure...server-extend-cursor.data..";
const FIGURE = "server-figure-graph.figure";
const GIVE_UP = 10000;

test("a tick goes out only when the panel has nothing in flight; the others are counted skipped", () => {
  const tr = gate.createTracker();
  const g = "server-extend-graph";
  assert.equal(gate.admit(tr, g, 0, GIVE_UP), true);
  assert.equal(gate.admit(tr, g, 100, GIVE_UP), false, "let through, not sent yet: still held");
  gate.observe(tr, { phase: "sent", output: EXTEND, id: 1 }, 110);
  assert.equal(gate.admit(tr, g, 200, GIVE_UP), false, "in flight");
  gate.observe(tr, { phase: "sent", output: FIGURE, id: 2 }, 210); // another panel's request
  gate.observe(tr, { phase: "done", output: EXTEND, id: 1, status: 200 }, 350);
  assert.equal(gate.admit(tr, g, 400, GIVE_UP), true);
  const f = gate.figures(tr, g);
  assert.deepEqual(
    [f.ticks, f.admitted, f.skipped, f.replies, f.failed, f.maxInFlight, f.lastRttMs, f.inFlight],
    [4, 2, 2, 1, 0, 1, 240, 0]
  );
  assert.equal(gate.inFlight(tr, gate.panel(tr, "server-figure-graph")), 1, "the other panel is unaffected");
});

test("a view change's request holds the ticks too, and a failed reply frees the panel", () => {
  const tr = gate.createTracker();
  const g = "server-extend-graph";
  gate.panel(tr, g);
  gate.observe(tr, { phase: "sent", output: EXTEND, id: 7 }, 0); // the renderer sent it on a view change
  assert.equal(gate.admit(tr, g, 100, GIVE_UP), false);
  gate.observe(tr, { phase: "done", output: EXTEND, id: 7, status: 500 }, 150);
  gate.observe(tr, { phase: "done", output: EXTEND, id: 7, status: 500 }, 160); // told twice: counted once
  assert.equal(gate.admit(tr, g, 200, GIVE_UP), true);
  gate.observe(tr, { phase: "sent", output: EXTEND, id: 8 }, 210);
  gate.observe(tr, { phase: "done", output: EXTEND, id: 8, status: 0 }, 260); // no reply at all
  gate.observe(tr, { phase: "sent", output: EXTEND, id: 9 }, 300);
  gate.observe(tr, { phase: "done", output: EXTEND, id: 9, status: 204 }, 320); // PreventUpdate
  const f = gate.figures(tr, g);
  assert.deepEqual([f.failed, f.replies, f.skipped, f.inFlight], [2, 1, 1, 0]);
});

test("a request never heard back from stops holding the panel after giveUpMs", () => {
  const tr = gate.createTracker();
  const g = "server-figure-graph";
  assert.equal(gate.admit(tr, g, 0, 1000), true);
  gate.observe(tr, { phase: "sent", output: FIGURE, id: 1 }, 10);
  assert.equal(gate.admit(tr, g, 900, 1000), false);
  assert.equal(gate.admit(tr, g, 1100, 1000), true, "given up on");
  assert.equal(gate.admit(tr, g, 2200, 1000), true, "a tick let through but never sent is given up on too");
  assert.equal(gate.figures(tr, g).abandoned, 2);
  gate.observe(tr, { phase: "done", output: FIGURE, id: 1, status: 200 }, 2300); // late: ignored
  assert.equal(gate.figures(tr, g).replies, 0);
});

test("lag is how long ago the newest drawn sample came due on the clock store's anchor", () => {
  const anchor = { pos: 1000, t: 50000, speed: 2, playing: true };
  // sample 1000 came due at t = 50000; sample 3000 at 50000 + 2000 / (1000 * 2) s = 51000
  assert.equal(gate.lagMs(anchor, 1000, 3000, 51250), 250);
  assert.equal(gate.lagMs(anchor, 1000, 9000, 51250), 0, "a sample not due yet is no lag");
  assert.equal(gate.lagMs({ ...anchor, playing: false }, 1000, 3000, 51250), null);
  assert.equal(gate.lagMs(anchor, 1000, NaN, 51250), null, "nothing drawn yet");
  assert.equal(gate.lagMs(null, 1000, 3000, 51250), null);
  assert.equal(gate.isLate(301, 100), true);
  assert.equal(gate.isLate(300, 100), false);
  assert.equal(gate.isLate(null, 100), false);
  const p = { skipped: 0 };
  assert.equal(gate.behindText(250.4, p), "250 ms");
  assert.equal(gate.behindText(1260, { skipped: 1234 }), "1.3 s · 1,234 ticks skipped");
  assert.equal(gate.behindText(null, p), "–");
});

test("watchFetch tells listeners when a request goes out and when the page is done with its reply", async () => {
  const replies = [
    { status: 200, body: { response: {} } },
    { status: 204 },
    { status: 500 },
  ];
  const target = {
    fetch: async () => {
      const r = replies.shift();
      if (!r) throw new TypeError("Failed to fetch");
      return { status: r.status, headers: { get: () => null }, json: async () => r.body };
    },
  };
  const heard = [];
  const listeners = new Set([(e) => heard.push(`${e.phase}:${e.id}:${e.status === undefined ? "" : e.status}`)]);
  metrics.watchFetch(target, listeners);
  const body = JSON.stringify({ output: EXTEND });
  const ok = await target.fetch("/_dash-update-component", { body });
  assert.deepEqual(heard, ["sent:1:"], "a 200 is not done until its body is read");
  assert.deepEqual(await ok.json(), { response: {} });
  assert.deepEqual(heard, ["sent:1:", "done:1:200"]);
  await target.fetch("/_dash-update-component", { body });
  await target.fetch("/_dash-update-component", { body });
  await assert.rejects(target.fetch("/_dash-update-component", { body }), /Failed to fetch/);
  assert.deepEqual(heard.slice(2), ["sent:2:", "done:2:204", "sent:3:", "done:3:500", "sent:4:", "done:4:0"]);
  await target.fetch("/assets/x.js").catch(() => null);
  assert.equal(heard.length, 8, "other requests are not reported");
});

test("a listener that throws does not break the request or the other listeners", async () => {
  const target = { fetch: async () => ({ status: 204, headers: { get: () => null } }) };
  const heard = [];
  const warn = console.warn;
  console.warn = () => {};
  try {
    metrics.watchFetch(target, new Set([() => { throw new Error("boom"); }, (e) => heard.push(e.phase)]));
    const r = await target.fetch("/_dash-update-component", { body: "{}" });
    assert.equal(r.status, 204);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(heard, ["sent", "done"]);
});
