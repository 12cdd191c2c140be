/**
 * hud: the panels' heads-up numbers, written by the engine straight into the nodes Dash rendered once
 * (app/panels.py lays them out; their element ids and the period come in config.hud), never through a Dash
 * callback: while streaming, no timer goes through the renderer for them.
 *   createTicker()       the engine's slow lane: tasks run from its animation frame at most every N ms;
 *   hudText(parts, snap) a panel's texts from its stream snapshot (pure);
 *   build(doc, hud)      each HUD's items (a label, and a node for the number, with its id and tooltip) into
 *                        the node Dash rendered empty (app/panels.py): as Dash components they were 154 of
 *                        the layout's 403, and the renderer runs a selector per component on every dispatch;
 *   createHud(doc, hud)  paint(snapshotOf, frozenOf): writes the texts that changed (building a HUD first
 *                        when its items are missing, e.g. a panel mounted again);
 *   sessionState / saveSession  the playhead for a reload (the session dcc.Store reads it back on mount).
 * Pure parts run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "hud", function () {
  "use strict";

  const NONE = "–";

  /** A whole number with thousands separators. */
  function whole(n) {
    return Math.round(n).toLocaleString("en-US");
  }

  /** Bytes in a short human form. */
  function bytes(n) {
    if (n < 1024) return `${n} B`;
    if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
    return `${(n / 1024 / 1024).toFixed(2)} MB`;
  }

  /** Each HUD part's text from a snapshot (50_stream.js snapshot) and whether the user froze the x axis. */
  const PARTS = {
    fps: (snap) => (snap.playing ? snap.fps.toFixed(0) : "paused"),
    points: (snap) => whole(snap.points),
    latency: (snap) => (Number.isFinite(snap.latencyP50) ? `${whole(snap.latencyP50)} ms` : NONE),
    requests: (snap) => whole(snap.requests),
    bytes: (snap) => bytes(snap.requestBytes),
    "tab-requests": (snap) => whole(snap.tabRequests),
    follow: (snap, frozen) => (frozen ? "frozen" : "live"),
  };

  /** The texts of `parts` (names from config.hud) for a snapshot; "–" for a part this file has no rule for. */
  function hudText(parts, snap, frozen) {
    return parts.map((part) => (PARTS[part] ? PARTS[part](snap, Boolean(frozen)) : NONE));
  }

  /**
   * Tasks run from the engine's animation frame, each at most every `ms` milliseconds (a hidden tab runs
   * none: rAF stops). `every` returns the function that removes the task.
   */
  function createTicker() {
    const tasks = new Set();
    return {
      every(ms, fn) {
        const task = { ms, fn, at: -Infinity };
        tasks.add(task);
        return () => tasks.delete(task);
      },
      run(now) {
        tasks.forEach((task) => {
          if (now - task.at < task.ms) return;
          task.at = now;
          try {
            task.fn(now);
          } catch (err) {
            console.warn("tickless: a slow-lane task threw", err); // eslint-disable-line no-console
          }
        });
      },
      size: () => tasks.size,
    };
  }

  /** Put `text` into element `el`, reusing its text node; returns whether anything was written. */
  function writeText(el, text) {
    const node = el.firstChild;
    if (node && node.nodeType === 3 && !node.nextSibling) {
      if (node.nodeValue === text) return false;
      node.nodeValue = text;
      return true;
    }
    if (el.textContent === text) return false;
    el.textContent = text;
    return true;
  }

  /**
   * Build one panel's HUD into its node `box` ({id, items: [[part, elementId], ...]}) unless its items are
   * there already: a div.hud-item per part (tooltip as its title) holding a span with the label and a b with
   * the element id and "–". Returns whether it built.
   */
  function buildBox(doc, box, labels) {
    const el = box && doc.getElementById(box.id);
    if (!el || box.items.every(([, id]) => doc.getElementById(id))) return false;
    const items = box.items.map(([part, id]) => {
      const [label, tip] = (labels && labels[part]) || [part, ""];
      const item = doc.createElement("div");
      item.className = "hud-item";
      if (tip) item.title = tip;
      const name = doc.createElement("span");
      name.textContent = label;
      const value = doc.createElement("b");
      value.id = id;
      value.textContent = NONE;
      item.append(name, value);
      return item;
    });
    el.replaceChildren(...items);
    return true;
  }

  /** Build every HUD of `hud` = config.hud ({boxes: {graphId: box}, labels}) that is missing; returns how many. */
  function build(doc, hud) {
    let built = 0;
    for (const box of Object.values((hud && hud.boxes) || {})) if (buildBox(doc, box, hud.labels)) built += 1;
    return built;
  }

  /**
   * The HUD writer for `hud` = config.hud: {periodMs, parts: [names], panels: {graphId: {part: elementId}},
   * boxes, labels}. paint(snapshotOf, frozenOf) writes every visible panel's changed texts; returns how many
   * it wrote. A visible panel whose items are missing (its node mounted again) is built first.
   */
  function createHud(doc, hud) {
    const last = new Map(); // elementId → text written (skips even the DOM read when unchanged)
    function paint(snapshotOf, frozenOf) {
      let wrote = 0;
      for (const [graphId, ids] of Object.entries(hud.panels)) {
        const snap = snapshotOf(graphId);
        if (!snap || !snap.active) continue;
        const texts = hudText(hud.parts, snap, frozenOf(graphId));
        if (hud.boxes && !doc.getElementById(ids[hud.parts[0]])) buildBox(doc, hud.boxes[graphId], hud.labels);
        hud.parts.forEach((part, k) => {
          const el = doc.getElementById(ids[part]);
          if (!el) return;
          if (last.get(ids[part]) === texts[k] && el.textContent === texts[k]) return;
          last.set(ids[part], texts[k]);
          if (writeText(el, texts[k])) wrote += 1;
        });
      }
      return wrote;
    }
    return { paint };
  }

  /** What a reload needs to carry on: the playhead (whole samples) and whether it was playing. */
  function sessionState(position, playing) {
    return { pos: Math.floor(position), playing: Boolean(playing) };
  }

  /**
   * Save `state` where the session dcc.Store `key` keeps its data (dash-core-components' WebStore: JSON under
   * the store's id, the time under `<id>-timestamp`), so the store hands it to Dash when the page loads again.
   * Returns false when the storage refuses (private mode, quota).
   */
  function saveSession(storage, key, state) {
    try {
      storage.setItem(key, JSON.stringify(state));
      storage.setItem(`${key}-timestamp`, String(Date.now()));
      return true;
    } catch (err) {
      return false;
    }
  }

  return { hudText, createTicker, build, createHud, writeText, sessionState, saveSession, bytes, PARTS };
});
