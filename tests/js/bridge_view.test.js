// The bridge view: Python's %g formatting, and the panel built from the analytics numbers.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const view = require("../../assets/js/76_bridge_view.js");

test("fmtG matches Python's format(x, 'g') and '.4g'", () => {
  const cases = [
    [0, 6, "0"], [1, 6, "1"], [0.5, 6, "0.5"], [123456, 6, "123456"], [1234567, 6, "1.23457e+06"],
    [0.0001, 6, "0.0001"], [0.00001, 6, "1e-05"], [-2.5, 6, "-2.5"], [1e308, 6, "1e+308"],
    [0.123456789, 4, "0.1235"], [1234.4, 4, "1234"], [1234.6, 4, "1235"], [12345.6, 4, "1.235e+04"], [-0.000123456, 4, "-0.0001235"],
    [99999.5, 6, "99999.5"], [999999.5, 6, "1e+06"], [NaN, 6, "nan"], [Infinity, 6, "inf"], [-Infinity, 4, "-inf"],
  ];
  for (const [x, p, want] of cases) assert.equal(view.fmtG(x, p), want, `${x} with ${p} digits`);
});

const RESULT = {
  seq: 7, start: 1, head: 3, fps: 59.6, scan: 2000,
  rows: [{ channel: 2, name: "ch3", n: 2000, min: -1.25, max: 2.5, mean: 0.125, rms: 1.0000001, dominant_hz: 4.5 }],
  alerts: [{ channel: 2, name: "ch3", t: 2.5, value: 1.23456, threshold: 1.2 }],
  clicks: [{ channel: 0, name: "ch1", t: 1.5, value: -0.25 }],
  thresholds: [["ch3", 1.2]], events: [12, 3], notes: [],
};

test("the table keeps each exact value in data-value and shows 4 digits", () => {
  const table = view.table(RESULT);
  const [caption, , body] = table.props.children;
  assert.equal(caption.props.children, "window 1.000–3.000 s (sample 7)");
  const row = body.props.children[0];
  assert.equal(row.props.id, "bridge-row-2");
  const cells = row.props.children;
  assert.deepEqual(cells.map((c) => c.props.children), ["ch3", "-1.25", "2.5", "0.125", "1", "4.5", "2000"]);
  assert.equal(cells[4].props["data-value"], "1.0000001");
});

test("alerts, clicks and the status line read like the Python formatting they replace", () => {
  assert.equal(view.alerts(RESULT)[0].props.children, "ch3 crossed 1.2 at 2.500 s (value 1.235)");
  assert.equal(view.clicks(RESULT)[0].props.children, "ch1 at 1.500 s: -0.25");
  assert.deepEqual(view.status(RESULT), ["sample 7 · playhead 3.000 s · 60 fps · thresholds: ch3 ≥ 1.2 · 12 plotly events (3 kinds)"]);
  // while playing the window analysed ends on a grid point before the playhead: the status line shows the playhead
  assert.match(view.status(Object.assign({}, RESULT, { playhead: 3.042 }))[0], /^sample 7 · playhead 3\.042 s/);
  const noted = view.status(Object.assign({}, RESULT, { notes: ["a", "b"] }));
  assert.equal(noted[1].props.children, "a; b");
});

/** A minimal DOM: elements with tag, attributes, className and children; text nodes; getElementById. */
function fakeDocument(ids) {
  const node = (tag) => ({
    tag,
    attrs: {},
    className: "",
    children: [],
    setAttribute(k, v) { this.attrs[k] = v; },
    append(...kids) { this.children.push(...kids); },
    replaceChildren(...kids) { this.children = kids; },
    get text() { return this.children.map((c) => (typeof c.data === "string" ? c.data : c.text)).join(""); },
  });
  const boxes = Object.fromEntries(ids.map((id) => [id, node("div")]));
  return {
    boxes,
    createElement: node,
    createTextNode: (data) => ({ data }),
    getElementById: (id) => boxes[id] || null,
  };
}

test("toDom builds the table as plain elements: tags, ids, data-value, classes, text", () => {
  const doc = fakeDocument([]);
  const [table] = view.toDom(doc, view.table(RESULT));
  assert.equal(table.tag, "table");
  const [caption, thead, tbody] = table.children;
  assert.equal(caption.tag, "caption");
  assert.equal(caption.text, "window 1.000–3.000 s (sample 7)");
  assert.equal(thead.children[0].children.length, 7);
  const row = tbody.children[0];
  assert.equal(row.attrs.id, "bridge-row-2");
  assert.deepEqual(row.children.map((td) => td.text), ["ch3", "-1.25", "2.5", "0.125", "1", "4.5", "2000"]);
  assert.equal(row.children[4].attrs["data-value"], "1.0000001");
  const [, note] = view.toDom(doc, view.status(Object.assign({}, RESULT, { notes: ["a"] })));
  assert.equal(note.className, "bad");
  assert.deepEqual(view.toDom(doc, null), []);
});

const IDS = {
  bridgeResult: "r",
  bridgeResultAttr: "data-result",
  bridgeRejectedAttr: "data-rejected",
  bridgeAnalytics: "t",
  bridgeAlerts: "a",
  bridgeClicks: "c",
  bridgeStatus: "s",
};

test("render writes a reply into the containers; a rejection or an unreadable reply changes only the status", () => {
  const doc = fakeDocument(["t", "a", "c", "s"]);
  assert.equal(view.render(doc, IDS, "result", JSON.stringify(RESULT)), true);
  assert.equal(doc.boxes.t.children[0].tag, "table");
  assert.equal(doc.boxes.a.children[0].text, "ch3 crossed 1.2 at 2.500 s (value 1.235)");
  assert.equal(doc.boxes.c.children[0].text, "ch1 at 1.500 s: -0.25");
  assert.match(doc.boxes.s.text, /^sample 7 · playhead 3\.000 s/);
  view.render(doc, IDS, "rejected", JSON.stringify({ problems: ["seq is missing"], seq: 1 }));
  assert.equal(doc.boxes.s.text, "Bridge sample rejected: seq is missing");
  assert.equal(doc.boxes.t.children[0].tag, "table", "the last good analytics stay");
  view.render(doc, IDS, "result", "{not json");
  assert.match(doc.boxes.s.text, /^Bridge reply unreadable \(not JSON: \{not json\)/);
  view.render(doc, IDS, "result", JSON.stringify({ seq: 8 })); // a reply without its fields: named, nothing half-drawn
  assert.match(doc.boxes.s.text, /^Bridge reply unreadable/);
  assert.equal(doc.boxes.a.children[0].text, "ch3 crossed 1.2 at 2.500 s (value 1.235)", "the alerts were not cleared");
  assert.equal(view.render(doc, IDS, "result", ""), false, "nothing yet: nothing written");
  assert.equal(view.render(doc, Object.assign({}, IDS, { bridgeClicks: "missing" }), "result", JSON.stringify(RESULT)), true, "a container gone: no throw");
});

test("watch observes the result div's two attributes, once per div, and renders a reply already there", () => {
  const doc = fakeDocument(["r", "t", "a", "c", "s"]);
  const div = doc.boxes.r;
  div.getAttribute = (k) => (div.attrs[k] === undefined ? null : div.attrs[k]);
  div.attrs["data-result"] = JSON.stringify(RESULT);
  const made = [];
  class FakeObserver {
    constructor(cb) { this.cb = cb; this.off = false; made.push(this); }
    observe(el, opts) { this.el = el; this.opts = opts; }
    disconnect() { this.off = true; }
  }
  assert.equal(view.watch(doc, IDS, FakeObserver), true);
  assert.match(doc.boxes.s.text, /^sample 7/, "the reply already on the div is shown");
  assert.deepEqual(made[0].opts, { attributes: true, attributeFilter: ["data-result", "data-rejected"] });
  assert.equal(view.watch(doc, IDS, FakeObserver), false, "the same div: one observer");
  div.attrs["data-rejected"] = JSON.stringify({ problems: ["window is not a number"], seq: 2 });
  made[0].cb([{ attributeName: "data-rejected" }]);
  assert.equal(doc.boxes.s.text, "Bridge sample rejected: window is not a number");
  div.attrs["data-result"] = JSON.stringify(Object.assign({}, RESULT, { seq: 9 }));
  made[0].cb([{ attributeName: "data-result" }]);
  assert.match(doc.boxes.s.text, /^sample 9/);
  doc.boxes.r = Object.assign({}, div, { attrs: {} }); // Dash mounted the div again
  doc.boxes.r.getAttribute = () => null;
  assert.equal(view.watch(doc, IDS, FakeObserver), true);
  assert.equal(made[0].off, true, "the old observer is disconnected");
  assert.equal(view.watch(doc, { bridgeResult: "none" }, FakeObserver), false, "no div: nothing observed");
});
