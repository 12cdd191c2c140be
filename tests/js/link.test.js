// node --test: the page's link to the server (assets/js/44_link.js): unreachable on no answer, back-off with
// jitter between probes, up on any answer, hidden tabs hold; and the tick gate's held ticks (62_gate.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const link = require("../../assets/js/44_link.js");
const gate = require("../../assets/js/62_gate.js");
const config = require("./fixtures/config.json");

test("no answer (status 0) or a gateway error marks the server unreachable; any other answer reachable", () => {
  for (const status of [0, 502, 503, 504, undefined]) assert.equal(link.unreachable(status), true, String(status));
  for (const status of [200, 204, 400, 404, 413, 500]) assert.equal(link.unreachable(status), false, String(status));
});

test("probes back off from baseMs doubling to capMs, each wait in [step/2, step]", () => {
  const l = link.createLink({ baseMs: 250, capMs: 1000 });
  const steps = [1, 2, 3, 4, 5, 20, 1000].map((n) => [link.backoff(l, n, 0), link.backoff(l, n, 1)]);
  assert.deepEqual(steps, [
    [125, 250],
    [250, 500],
    [500, 1000],
    [500, 1000],
    [500, 1000],
    [500, 1000],
    [500, 1000],
  ]);
});

test("an outage: requests held, one probe per back-off step, reachable again on the first answer", () => {
  const l = link.createLink({ baseMs: 250, capMs: 1000, now: 0 });
  assert.equal(link.allows(l), true);
  link.observe(l, 0, 1000, 1); // the request in flight when the server went away
  assert.deepEqual([l.up, l.downSince, l.failures, l.nextProbeAt, link.allows(l)], [false, 1000, 1, 1250, false]);
  assert.equal(link.probeDue(l, 1249), false);
  assert.equal(link.probeDue(l, 1250), true);
  l.probing = true;
  assert.equal(link.probeDue(l, 1300), false, "one probe at a time");
  l.probing = false;
  link.failed(l, 1260, 1);
  link.failed(l, 1800, 1);
  link.failed(l, 2900, 0);
  assert.deepEqual([l.failures, l.nextProbeAt], [4, 3400]);
  assert.match(link.statusText(l, 3000), /^Server unreachable for 2\.0 s: retrying \(attempt 4, next within 0\.4 s\)/);
  assert.equal(link.panelText(l), "reconnecting: server unreachable (attempt 4)");
  link.observe(l, 204, 3400);
  assert.deepEqual([l.up, l.failures, l.outages, l.lastOutageMs, link.allows(l)], [true, 0, 1, 2400, true]);
  assert.equal(link.statusText(l, 3500), "Server reachable again: it was unreachable for 2.4 s");
  link.observe(l, 500, 3600); // a server error is an answer: the server is there
  assert.equal(l.up, true);
});

test("an answer to a request sent before the outage began does not end it; one sent after does", () => {
  const l = link.createLink({ baseMs: 250, capMs: 1000, now: 0 });
  link.observe(l, 0, 1000, 1, 900); // refused: the server is stopping
  link.observe(l, 200, 1010, 1, 800); // sent at 800, answered while the server drained its last requests
  assert.deepEqual([l.up, l.outages, l.downSince], [false, 0, 1000]);
  link.observe(l, 200, 1300, 1, 1250); // the probe sent after the outage began
  assert.deepEqual([l.up, l.outages, l.lastOutageMs], [true, 1, 300]);
  link.observe(l, 200, 1400, 1); // no send time known: any answer counts
  assert.equal(l.outages, 1);
});

test("the number of probes in an outage grows with its length over the cap, not with the callers' rates", () => {
  const l = link.createLink({ baseMs: 250, capMs: 1000 });
  let now = 0;
  link.failed(l, now, 0.5);
  let probes = 0;
  while (now < 10000) {
    now = l.nextProbeAt;
    probes += 1;
    link.failed(l, now, 0.5);
  }
  assert.ok(probes >= 10 && probes <= 15, `${probes} probes in a 10 s outage`);
});

test("a hidden tab holds requests; shown again it counts the time hidden", () => {
  const l = link.createLink({ now: 0 });
  link.setHidden(l, true, 100);
  assert.equal(link.allows(l), false);
  assert.equal(link.panelText(l), "holding while the tab is hidden");
  link.setHidden(l, true, 200); // told twice: nothing changes
  link.setHidden(l, false, 60100);
  assert.deepEqual([l.hidden, l.hiddenMs, l.shown, link.allows(l)], [false, 60000, 1, true]);
  assert.equal(link.statusText(l, 60200), "", "nothing to say when the server never went away");
});

test("the page config carries the link's probe path, back-off and status element", () => {
  assert.equal(typeof config.link.path, "string");
  assert.ok(config.link.path.startsWith("/"));
  assert.ok(config.link.baseMs > 0 && config.link.capMs >= config.link.baseMs);
  assert.equal(typeof config.ids.link, "string");
});

test("held ticks are counted, never admitted, and drop a tick let through earlier that never went out", () => {
  const tr = gate.createTracker();
  const g = "server-extend-graph";
  assert.equal(gate.admit(tr, g, 0, 10000), true); // let through; the request never went out (server gone)
  assert.equal(gate.hold(tr, g), false);
  assert.equal(gate.hold(tr, g), false);
  const f = gate.figures(tr, g);
  assert.deepEqual([f.ticks, f.admitted, f.held, f.skipped, f.awaiting], [3, 1, 2, 0, null]);
  assert.equal(gate.admit(tr, g, 500, 10000), true, "the first tick after the link is back goes out");
});
