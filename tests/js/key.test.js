// node --test: the channel key the engine writes when plotly draws without its legend (assets/js/47_key.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const key = require("../../assets/js/47_key.js");

const fullData = [
  { name: "ch1", line: { color: "#1f77b4" } },
  { name: "ch2", line: { color: "#ff7f0e" }, visible: true },
  { name: "ch3", line: { color: "#2ca02c" }, visible: false },
];

test("items: each drawn trace's name and line colour when the engine keys the graph", () => {
  assert.deepEqual(key.items(fullData, { legend: "html", layout: "overlaid" }), [
    { name: "ch1", color: "#1f77b4" },
    { name: "ch2", color: "#ff7f0e" },
  ]);
});

test("items: none where plotly draws its legend, stacked rows name their channels, or nothing is drawn", () => {
  assert.deepEqual(key.items(fullData, { legend: "plotly" }), []);
  assert.deepEqual(key.items(fullData, {}), []);
  assert.deepEqual(key.items(fullData, { legend: "html", layout: "stacked" }), []);
  assert.deepEqual(key.items(undefined, { legend: "html" }), []);
  assert.deepEqual(key.items([{ line: {} }], { legend: "html" }), [{ name: "", color: "" }]);
});

/** A minimal element: enough DOM for write(). */
function fakeElement() {
  const doc = {
    createElement: (tag) => ({ tag, style: {}, children: [], appendChild(c) { this.children.push(c); } }),
    createTextNode: (text) => ({ text }),
  };
  return { ownerDocument: doc, dataset: {}, children: [], replaceChildren(...nodes) { this.children = nodes; this.writes = (this.writes || 0) + 1; } };
}

test("write: a swatch and a name per entry, rewritten only when the entries change", () => {
  const el = fakeElement();
  const list = key.items(fullData, { legend: "html" });
  assert.equal(key.write(el, list), true);
  assert.equal(el.children.length, 2);
  assert.equal(el.children[1].className, "panel-key-item");
  assert.equal(el.children[1].children[0].style.background, "#ff7f0e");
  assert.equal(el.children[1].children[1].text, "ch2");
  assert.equal(key.write(el, list), false, "unchanged: not rewritten");
  assert.equal(key.write(el, []), true);
  assert.equal(el.children.length, 0);
  assert.equal(el.writes, 2);
  assert.equal(key.write(null, list), false);
});
