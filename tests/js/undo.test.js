// node --test: the Dash renderer's undo history is kept to its newest entries (assets/js/43_undo.js), in place,
// so a page whose Intervals tick for hours holds a bounded list.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const undo = require("../../assets/js/43_undo.js");

/** A Dash-like store whose history grows the way dash-renderer's recordHistory grows it: a copy plus one. */
function fakeStore() {
  let state = { history: { past: [], present: {}, future: [] } };
  return {
    getState: () => state,
    tick(n) {
      const h = state.history;
      state = { history: { past: [...h.past, h.present], present: { id: "tick", props: { n_intervals: n } }, future: [] } };
    },
  };
}

test("trim keeps the newest `keep` entries in place and says how many it dropped", () => {
  const past = Array.from({ length: 10 }, (_, i) => i);
  const history = { past };
  assert.equal(undo.trim(history, 4), 6);
  assert.equal(history.past, past, "the same array: the renderer's next append copies it");
  assert.deepEqual(past, [6, 7, 8, 9]);
  assert.equal(undo.trim(history, 4), 0);
  assert.equal(undo.trim({}, 4), 0);
  assert.equal(undo.trim(null, 4), 0);
});

test("ticking for an hour at 31 entries a second holds at most keep + one trim period's entries", () => {
  const store = fakeStore();
  let longest = 0;
  const perPeriod = (31 * undo.EVERY_MS) / 1000;
  for (let n = 1; n <= 31 * 3600; n += 1) {
    store.tick(n);
    if (n % perPeriod === 0) undo.trimStores([store]);
    longest = Math.max(longest, store.getState().history.past.length);
  }
  assert.ok(longest <= undo.KEEP + perPeriod, `longest ${longest}`);
  const past = store.getState().history.past;
  assert.equal(past[past.length - 1].props.n_intervals, 31 * 3600 - 1, "the newest entries are the ones kept");
});

test("trimStores skips stores without a history and things that are not stores", () => {
  const store = fakeStore();
  for (let n = 0; n < 80; n += 1) store.tick(n);
  assert.equal(undo.trimStores([store, null, {}, { getState: () => ({}) }], 50), 30);
  assert.equal(undo.trimStores(undefined), 0);
});
