/**
 * interact: what a user does to a live chart, built on the events helper.
 *   - Zoom or pan (plotly_relayout with an x range) freezes auto-scroll: new data keeps arriving but the
 *     x axis stays where the user put it; double-click follows the live edge again (x autorange).
 *     The frozen graphs are published to the zoom store, so server strategies that set the x range
 *     themselves (server-patch) leave it alone.
 *   - Click on a point annotates it on the chart (the last 5 per graph; re-applied when a strategy
 *     replaces the whole figure) and queues it for the bridge, which hands it to Python.
 * A chart that is not plotly (the LiveChart component) zooms and follows by itself and reports it here
 * with setFrozen (66_component.js), so the zoom store and the HUD treat every panel alike.
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const MAX_NOTES = 5;
  const graphs = new Map(); // graphId → {frozen, notes: [{x, y, text}], applying}
  let ready = false;
  let zoomId = null;
  let names = []; // channel names, from the config passed to setup

  /** State for one graph, created on first use. */
  function stateOf(graphId) {
    if (!graphs.has(graphId)) graphs.set(graphId, { frozen: false, notes: [], applying: false });
    return graphs.get(graphId);
  }

  /** Tell Dash which graphs are frozen (server-patch reads this as State). */
  function publish() {
    const frozen = [...graphs].filter(([, g]) => g.frozen).map(([id]) => id);
    if (zoomId && dc.set_props) dc.set_props(zoomId, { data: frozen });
  }

  /** Annotations for a graph's notes, in plotly's format. */
  function annotations(g) {
    return g.notes.map((n) => ({ x: n.x, y: n.y, text: n.text, showarrow: true, arrowhead: 2, ax: 0, ay: -28,
      bgcolor: "rgba(255,255,255,0.85)", font: { size: 11 } }));
  }

  /** Put the graph's annotations back if the figure lost them (whole-figure strategies do). */
  function applyNotes(graphId, force) {
    const g = stateOf(graphId);
    const gd = ns.stream.findGraphDiv(graphId);
    if (!gd || g.applying || (!g.notes.length && !force)) return;
    const have = (gd.layout && gd.layout.annotations) || [];
    const want = annotations(g);
    if (!force && have.length === want.length && have.every((a, i) => a.text === want[i].text && a.x === want[i].x)) return;
    g.applying = true;
    Promise.resolve(root.Plotly.relayout(gd, { annotations: want })).finally(() => {
      g.applying = false;
    });
  }

  /** plotly_relayout: a user x range freezes, an x autorange follows again. */
  function onRelayout(graphId, ev) {
    const g = stateOf(graphId);
    if (!ev || g.applying) return;
    if (ev["xaxis.autorange"] === true) g.frozen = false;
    else if ("xaxis.range[0]" in ev || "xaxis.range" in ev) g.frozen = true;
    else return;
    publish();
  }

  /** plotly_doubleclick: follow the live edge again (plotly's reset may restore a fixed initial range). */
  function onDoubleClick(graphId) {
    const g = stateOf(graphId);
    g.frozen = false;
    publish();
    root.requestAnimationFrame(() => {
      const gd = ns.stream.findGraphDiv(graphId);
      if (!gd || g.frozen) return;
      g.applying = true;
      Promise.resolve(root.Plotly.relayout(gd, { "xaxis.autorange": true })).finally(() => {
        g.applying = false;
      });
    });
  }

  /** plotly_click: annotate the clicked point. */
  function onClick(graphId, ev) {
    const p = ev && ev.points && ev.points[0];
    if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return;
    const g = stateOf(graphId);
    const name = (p.data && p.data.name) || "";
    if (ns.bridge) ns.bridge.addClick(names.indexOf(name), p.x, p.y);
    g.notes = g.notes.concat([{ x: p.x, y: p.y, text: `${name} ${p.y.toFixed(3)} @ ${p.x.toFixed(3)} s` }]);
    g.notes = g.notes.slice(-MAX_NOTES);
    applyNotes(graphId, true);
  }

  /** Subscribe every strategy graph once (the events helper attaches when the div is drawn). */
  function setup(config) {
    if (ready || !ns.events) return;
    ready = true;
    zoomId = config.ids.zoom;
    names = config.names;
    for (const s of config.strategies) {
      if (s.plotly === false) continue; // no plotly events: it reports through setFrozen
      ns.events.subscribe(s.graph, "plotly_relayout", (ev) => onRelayout(s.graph, ev));
      ns.events.subscribe(s.graph, "plotly_click", (ev) => onClick(s.graph, ev));
      ns.events.subscribe(s.graph, "plotly_doubleclick", () => onDoubleClick(s.graph));
      ns.events.subscribe(s.graph, "plotly_afterplot", () => applyNotes(s.graph, false));
    }
  }

  /** A chart that zooms by itself says whether it holds a user x range (frozen) or follows the live edge. */
  function setFrozen(graphId, isFrozen) {
    const g = stateOf(graphId);
    if (g.frozen === Boolean(isFrozen)) return;
    g.frozen = Boolean(isFrozen);
    publish();
  }

  /** Is auto-scroll frozen on this graph? */
  function frozen(graphId) {
    return graphs.has(graphId) && graphs.get(graphId).frozen;
  }

  /** The notes on a graph (tests and the inspector read them). */
  function notes(graphId) {
    return stateOf(graphId).notes.slice();
  }

  ns.interact = { setup, frozen, setFrozen, notes };
})(window);
