/**
 * undo: keep the Dash renderer's undo history bounded. dash-renderer (4.4.1, `recordHistory` in
 * reducers/reducer.js) appends an entry to `store.getState().history.past` for every change of a callback's
 * Input that does not come from a callback's reply: every dcc.Interval tick and every `set_props`. Nothing ever
 * trims that list, and each append copies all of it (`[...past, present]`): a page with three server panels
 * ticking at 10 Hz and the bridge at 1 Hz adds 31 entries a second, 112,000 an hour, and copies the whole list
 * 31 times a second. So every few seconds this trims each Dash store's history to its newest `keep` entries, in
 * place (the renderer offers no action for it; undo/redo, when an app shows it, still steps back through those).
 * The trimming is a pure function over the history object; it runs under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "undo", function (root) {
  "use strict";

  const KEEP = 50; // undo steps kept
  const EVERY_MS = 2000; // how often the stores are trimmed

  /** Drop all but the newest `keep` entries of a Dash history's `past`, in place; the number dropped. */
  function trim(history, keep = KEEP) {
    const past = history && history.past;
    if (!Array.isArray(past) || past.length <= keep) return 0;
    const drop = past.length - keep;
    past.splice(0, drop);
    return drop;
  }

  /** Trim the history of every Dash store on the page (`window.dash_stores`); the number of entries dropped. */
  function trimStores(stores, keep = KEEP) {
    let dropped = 0;
    (stores || []).forEach((store) => {
      const state = store && typeof store.getState === "function" ? store.getState() : null;
      if (state) dropped += trim(state.history, keep);
    });
    return dropped;
  }

  const api = { KEEP, EVERY_MS, trim, trimStores, dropped: 0 };
  if (!root.document || typeof root.setInterval !== "function") return api;

  // --- the browser glue: one timer for the page's life --------------------------------------------------
  root.setInterval(() => {
    api.dropped += trimStores(root.dash_stores);
  }, EVERY_MS);
  /** The newest undo history length of each Dash store, and the entries dropped so far (tests, soak). */
  api.snapshot = () => ({
    past: (root.dash_stores || []).map((s) => ((s.getState().history || {}).past || []).length),
    dropped: api.dropped,
  });
  return api;
});
