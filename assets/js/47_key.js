/**
 * key: the channel key of a plotly graph the engine draws without plotly's legend (the view's `legend`:
 * "html"). plotly's legend costs ~1 ms of every draw with 4 traces (it is laid out and drawn again on every
 * update); this key is written once per figure, into the node Dash rendered empty beside the graph
 * (app/panels.py), from the traces as plotly drew them (their names and line colours). On the inspector page
 * the view keeps plotly's legend (46_view.js legendOf): its plotly_legendclick is one of the events shown there.
 *   items(fullData, view)  [{name, color}] to show, [] when plotly draws its own key (or stacked rows name
 *                          the channels on their y axes); pure, node --test;
 *   write(el, items)       the key as DOM (rewritten only when it changed); returns whether it wrote.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "key", function () {
  "use strict";

  /** The entries of a graph's key: each drawn trace's name and line colour, or none when plotly keys it. */
  function items(fullData, view) {
    if (!view || view.legend !== "html" || view.layout === "stacked" || !Array.isArray(fullData)) return [];
    return fullData
      .filter((t) => t && t.visible !== false)
      .map((t) => ({ name: String(t.name === undefined ? "" : t.name), color: String((t.line && t.line.color) || "") }));
  }

  /** A signature of a key's entries (to skip rewriting an unchanged key). */
  function signature(list) {
    return JSON.stringify(list);
  }

  /** Write the entries into `el` (a swatch and a name each); returns whether the DOM changed. */
  function write(el, list) {
    if (!el) return false;
    const sig = signature(list);
    if (el.dataset.key === sig) return false;
    el.dataset.key = sig;
    const doc = el.ownerDocument;
    const nodes = list.map((entry) => {
      const item = doc.createElement("span");
      item.className = "panel-key-item";
      const swatch = doc.createElement("i");
      swatch.style.background = entry.color;
      item.appendChild(swatch);
      item.appendChild(doc.createTextNode(entry.name));
      return item;
    });
    el.replaceChildren(...nodes);
    return true;
  }

  return { items, write, signature };
});
