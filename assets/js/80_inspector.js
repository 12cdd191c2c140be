/**
 * The event inspector and the animation replay (wired from app/inspector.py).
 *   inspectorToggle  subscribe/unsubscribe each plotly_* event on the live graph and the replay graph: the
 *                    events switched on, while the inspector page shows; off the page, only the events the
 *                    user switched on by hand there (so a page that does not show the table pays for none);
 *   the table        plain DOM built on first show (not Dash components: see buildTable): a switch per event
 *                    (a change listener, no callback), and count, last time and last payload (safely
 *                    serialised: plotly payloads hold cycles and DOM nodes), written by the engine's slow lane
 *                    (50_stream.js `every`) while the page shows: no Dash callback on a timer;
 *   replayRecord     a Plotly.animate replay of the last 3 s of data, plotted by JS into a plain div (one
 *                    owner: dcc.Graph would re-react it mid-animation); its four animation events drive
 *                    the frame counter and the playing / finished / interrupted state.
 * Counts also travel to Python in each bridge sample (ns.inspector.counts()).
 */
(function (root) {
  "use strict";
  const ns = root.dash_clientside.tickless;
  const dc = root.dash_clientside;
  const SERIALIZE_EVERY_MS = 100; // high-rate events (afterplot, hover) keep their count exact, payload sampled
  const SERIALIZE = { maxDepth: 3, maxKeys: 12, maxArray: 6, maxString: 80, maxNodes: 400 };
  const REPLAY = { seconds: 3, span: 1, frames: 30, frameMs: 200 };
  const stats = new Map(); // event → {count, last, payload, serializedAt}
  const subs = new Map(); // event → [unsubscribe, …]
  // the page shown?, each event's switch (on unless switched off), those switched on by hand, the table writer
  const page = { shown: false, on: {}, pinned: new Set(), stopPainting: null };
  const replay = { frames: 0, stateId: null, wired: false };

  /** Count one event and (at most every 100 ms per event) keep its payload as safe JSON text. */
  function record(name, payload) {
    const now = Date.now();
    const s = stats.get(name) || { count: 0, last: null, payload: "", serializedAt: 0 };
    s.count += 1;
    s.last = now;
    if (now - s.serializedAt >= SERIALIZE_EVERY_MS) {
      s.payload = ns.events.safeSerialize(payload === undefined ? null : payload, SERIALIZE);
      s.serializedAt = now;
    }
    stats.set(name, s);
  }

  /** The graphs the inspector listens to: the live chart and the replay. */
  function watched(config) {
    const live = config.strategies.find((s) => s.id === config.landing);
    return [live.graph, config.ids.replay];
  }

  /** An id object as text: its keys sorted, each "key":value in JSON, in braces (as Dash writes dict ids). */
  function domId(id) {
    return `{${Object.keys(id).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(id[k])}`).join(",")}}`;
  }

  /**
   * Which events to listen to: switched on (`on`: name → bool) and either the page shows or the user switched
   * it on by hand (`pinned`). Pure.
   */
  function wanted(on, shown, pinned) {
    return new Set(Object.keys(on).filter((name) => on[name] && (shown || pinned.has(name))));
  }

  /** The id of one cell of an event's row: the JSON of {event, type} as before (page selectors keep working). */
  function cellId(config, part, name) {
    return domId({ event: name, type: `${config.ids.inspector}-${part}` });
  }

  /** An element with a class, an id and text. */
  function element(tag, props, text) {
    const el = document.createElement(tag);
    Object.assign(el, props || {});
    if (text !== undefined) el.textContent = text;
    return el;
  }

  /**
   * The event table, built once as plain DOM into the container Dash rendered empty (app/inspector.py): one
   * row per event with its switch, name, count, last time and payload. Not Dash components: every renderer
   * update walks every mounted component, and 41 rows of them cost each update ~2.5 ms here (6.6 → 4.2 ms).
   */
  function buildTable(box, config) {
    const table = element("table", { className: "inspector-table" });
    const head = table.createTHead().insertRow();
    for (const h of ["on", "event", "count", "last fired", "last payload"]) head.appendChild(element("th", {}, h));
    const body = table.createTBody();
    for (const name of config.events) {
      const row = body.insertRow();
      const box1 = row.insertCell();
      box1.appendChild(element("input", { type: "checkbox", checked: page.on[name] !== false, title: `listen to ${name}` }));
      box1.firstChild.dataset.event = name;
      row.insertCell().appendChild(element("code", {}, name));
      row.appendChild(element("td", { className: "num", id: cellId(config, "count", name) }, "0"));
      row.appendChild(element("td", { id: cellId(config, "last", name) }, "–"));
      const payload = element("td", { className: "payload" });
      payload.appendChild(element("code", { id: cellId(config, "payload", name) }, ""));
      row.appendChild(payload);
    }
    box.replaceChildren(table);
    box.addEventListener("change", (ev) => {
      const name = ev.target && ev.target.dataset && ev.target.dataset.event;
      if (!name) return;
      page.on[name] = ev.target.checked; // switched by hand: it keeps counting off this page too
      if (ev.target.checked) page.pinned.add(name);
      else page.pinned.delete(name);
      apply(config);
    });
  }

  /** Write the table's cells for every event (count, last time, payload) that changed. */
  function paintTable(config) {
    const write = (part, name, text) => {
      const el = document.getElementById(cellId(config, part, name));
      if (el) ns.hud.writeText(el, text);
    };
    for (const name of config.events) {
      const s = stats.get(name);
      write("count", name, s ? String(s.count) : "0");
      write("last", name, s ? new Date(s.last).toISOString().slice(11, 23) : "–");
      write("payload", name, s ? s.payload : "");
    }
  }

  /** Subscribe or unsubscribe each event (see `wanted`); returns the one-line summary. */
  function apply(config) {
    const on = {};
    for (const name of config.events) on[name] = page.on[name] !== false;
    const want = wanted(on, page.shown, page.pinned);
    for (const name of config.events) {
      if (want.has(name) && !subs.has(name)) {
        subs.set(name, watched(config).map((g) => ns.events.subscribe(g, name, (p) => record(name, p))));
      } else if (!want.has(name) && subs.has(name)) {
        subs.get(name).forEach((unsubscribe) => unsubscribe());
        subs.delete(name);
      }
    }
    const where = page.shown ? "" : " (off this page, only the events switched on by hand here)";
    const text = `${subs.size} of ${config.events.length} events subscribed on the live chart and the replay${where}.`;
    const status = document.getElementById(config.ids.inspectorStatus);
    if (status) ns.hud.writeText(status, text); // a switch flipped by hand: no Dash callback to return it
    return text;
  }

  /**
   * The page changed → build the table the first time it shows, subscribe (see `wanted`), and write the table
   * from the engine's slow lane while the page shows; returns the one-line summary.
   */
  ns.inspectorToggle = function (route, config) {
    if (!config) throw dc.PreventUpdate;
    page.shown = Boolean(route && route.page === "inspector");
    const box = document.getElementById(config.ids.inspectorTable);
    if (page.shown && box && !box.firstChild) buildTable(box, config);
    if (page.shown && !page.stopPainting) page.stopPainting = ns.stream.every(config.hud.periodMs, () => paintTable(config));
    if (!page.shown && page.stopPainting) {
      page.stopPainting();
      page.stopPainting = null;
    }
    return apply(config);
  };

  /** Set the replay's state line (from plotly's animation events). */
  function setState(text) {
    if (replay.stateId) dc.set_props(replay.stateId, { children: text });
  }

  /** Subscribe the four animation events once: they drive the counter and the state line. */
  function wireReplay(graphId) {
    if (replay.wired) return;
    replay.wired = true;
    ns.events.subscribe(graphId, "plotly_animating", () => {
      replay.interrupted = false;
      setState(`playing · ${replay.frames} frames`);
    });
    ns.events.subscribe(graphId, "plotly_animatingframe", (ev) => {
      const name = ev && ev.name !== undefined ? ev.name : "?";
      setState(`playing · frame ${Number(name) + 1} / ${replay.frames}`);
      replay.current = Number(name);
    });
    ns.events.subscribe(graphId, "plotly_animated", () => {
      // a pause emits plotly_animated right after plotly_animationinterrupted: keep "interrupted"
      if (!replay.interrupted) setState(`finished · ${replay.frames} frames played`);
    });
    ns.events.subscribe(graphId, "plotly_animationinterrupted", () => {
      replay.interrupted = true;
      setState(`interrupted at frame ${(replay.current || 0) + 1} / ${replay.frames}`);
    });
  }

  /** Frames of a sliding window over the last few seconds, with Play/Pause buttons and a frame slider. */
  function replayFigure(source) {
    const { dataset: ds, head, channels } = source;
    const rate = ds.rate;
    const span = Math.round(REPLAY.span * rate);
    const start = Math.max(0, head - Math.round(REPLAY.seconds * rate));
    const step = Math.max(1, Math.floor((head - start - span) / (REPLAY.frames - 1)));
    const slice = (from) => ns.frames.sliceColumns(ds.channels, channels, from, from + span, rate);
    const frames = [];
    for (let k = 0; k < REPLAY.frames; k++) {
      const from = start + k * step;
      const cols = slice(from);
      frames.push({
        name: String(k),
        data: channels.map((_, i) => ({ x: cols.x[i], y: cols.y[i] })),
        layout: { xaxis: { range: [from / rate, (from + span) / rate] } },
      });
    }
    const first = slice(start);
    const jump = { mode: "immediate", frame: { duration: 0, redraw: false }, transition: { duration: 0 } };
    const layout = JSON.parse(JSON.stringify(source.layout));
    Object.assign(layout, {
      xaxis: { title: { text: "time (s)" }, range: [start / rate, (start + span) / rate], autorange: false },
      yaxis: Object.assign({}, layout.yaxis, { autorange: true }),
      sliders: [{ x: 0, len: 1, y: -0.12, currentvalue: { prefix: "frame " },
        steps: frames.map((f) => ({ label: f.name, method: "animate", args: [[f.name], jump] })) }],
      margin: { l: 50, r: 20, t: 10, b: 90 },
    });
    const data = channels.map((c, i) => ({ type: "scatter", mode: "lines", name: ds.names[c], x: first.x[i],
      y: first.y[i], line: { width: 1 } }));
    return { data, layout, frames };
  }

  /** Run fn once plotly.js is loaded (dcc.Graph loads it asynchronously with its first graph). */
  function whenPlotly(fn) {
    if (root.Plotly && root.Plotly.react) fn();
    else root.requestAnimationFrame(() => whenPlotly(fn));
  }

  /** Record button (or arriving on /inspector) → a new replay of the last 3 s. */
  ns.replayRecord = function (clicks, route, graphId, stateId) {
    const token = (replay.token = (replay.token || 0) + 1); // a newer call (or leaving the page) ends a wait
    if (!route || route.page !== "inspector") throw dc.PreventUpdate;
    replay.stateId = stateId;
    wireReplay(graphId);
    // the dataset arrives by its own fetch: until the engine has it and a clock, look again every 100 ms, for
    // at most a minute, while this is the newest request
    let tries = 0;
    const attempt = () => {
      if (token !== replay.token) return;
      const source = ns.stream.replaySource(performance.now());
      if (!source) {
        tries += 1;
        if (tries < 600) root.setTimeout(attempt, 100);
        else setState("no data to record yet: press Record again");
        return;
      }
      const figure = replayFigure(source);
      replay.frames = figure.frames.length;
      replay.current = 0;
      const ready = `ready · ${replay.frames} frames of the last ${REPLAY.seconds} s (press Play)`;
      whenPlotly(() => {
        const div = document.getElementById(graphId);
        if (!div || token !== replay.token) return;
        root.Plotly.react(div, { data: figure.data, layout: figure.layout, frames: figure.frames,
          config: { displaylogo: false, responsive: true } }).then(() => setState(ready));
      });
    };
    root.setTimeout(attempt, 0);
    return ns.stream.replaySource(performance.now()) ? "recording…" : "waiting for the data…";
  };

  /** Play (from the current frame) or Pause the replay with Plotly.animate. */
  ns.replayControl = function (_play, _pause, graphId) {
    const ctx = dc.callback_context || {};
    const pause = (ctx.triggered || []).some((t) => t.prop_id.indexOf("pause") !== -1);
    const div = document.getElementById(graphId);
    if (!div || !root.Plotly || !div._transitionData) throw dc.PreventUpdate;
    const quiet = () => {}; // an interrupted animation rejects its promise: that is the point of Pause
    if (pause) {
      root.Plotly.animate(div, [null], { mode: "immediate", frame: { duration: 0, redraw: false }, transition: { duration: 0 } })
        .catch(quiet);
    } else {
      const finished = replay.current >= replay.frames - 1;
      root.Plotly.animate(div, null, { frame: { duration: REPLAY.frameMs, redraw: false }, transition: { duration: 0 },
        fromcurrent: !finished, mode: "immediate" }).catch(quiet);
    }
    return dc.no_update;
  };

  /** Event counts so far (non-zero only), for the bridge. */
  function counts() {
    const out = {};
    stats.forEach((s, name) => (out[name] = s.count));
    return out;
  }

  ns.inspector = { counts, stats, replay, wanted, domId, subscribed: () => Array.from(subs.keys()) };
})(window);
