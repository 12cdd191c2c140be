/**
 * The event inspector and the animation replay (wired from app/inspector.py).
 *   inspectorToggle  subscribe/unsubscribe each plotly_* event on the live graph and the replay graph;
 *   inspectorRender  the table: count, last time and last payload (safely serialised: plotly payloads hold
 *                    cycles and DOM nodes) of every event, refreshed twice a second while the page shows;
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

  /** Checklist changes → subscribe or unsubscribe each event; returns a one-line summary. */
  ns.inspectorToggle = function (values, config) {
    const ctx = dc.callback_context || {};
    const inputs = (ctx.inputs_list && ctx.inputs_list[0]) || [];
    if (!config) throw dc.PreventUpdate;
    inputs.forEach((input, i) => {
      const name = input.id.event;
      const on = (values[i] || []).includes("on");
      if (on && !subs.has(name)) {
        subs.set(name, watched(config).map((g) => ns.events.subscribe(g, name, (p) => record(name, p))));
      } else if (!on && subs.has(name)) {
        subs.get(name).forEach((unsubscribe) => unsubscribe());
        subs.delete(name);
      }
    });
    return `${subs.size} of ${inputs.length} events subscribed on the live chart and the replay.`;
  };

  /** The table's cells, in the order of the event list (only while the inspector page is shown). */
  ns.inspectorRender = function (_n, route) {
    if (!route || route.page !== "inspector") throw dc.PreventUpdate;
    const names = ns.stream.tab.config.events;
    const counts = [];
    const lasts = [];
    const payloads = [];
    for (const name of names) {
      const s = stats.get(name);
      counts.push(s ? String(s.count) : "0");
      lasts.push(s ? new Date(s.last).toISOString().slice(11, 23) : "–");
      payloads.push(s ? s.payload : "");
    }
    return [counts, lasts, payloads];
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
  function replayFigure(ds, view, head) {
    const rate = ds.rate;
    const span = Math.round(REPLAY.span * rate);
    const start = Math.max(0, head - Math.round(REPLAY.seconds * rate));
    const step = Math.max(1, Math.floor((head - start - span) / (REPLAY.frames - 1)));
    const channels = view.channels.map((n) => ds.names.indexOf(n)).filter((i) => i >= 0);
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
    const layout = JSON.parse(JSON.stringify(ns.stream.tab.config.layout));
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
    const tab = ns.stream.tab;
    if (!route || route.page !== "inspector" || !tab.clock || !ns.controls.view) throw dc.PreventUpdate;
    replay.stateId = stateId;
    wireReplay(graphId);
    const head = ns.clock.dueEnd(tab.clock, performance.now());
    const figure = replayFigure(tab.dataset, ns.controls.view, head);
    replay.frames = figure.frames.length;
    replay.current = 0;
    const ready = `ready · ${replay.frames} frames of the last ${REPLAY.seconds} s (press Play)`;
    whenPlotly(() => {
      const div = document.getElementById(graphId);
      if (!div) return;
      root.Plotly.react(div, { data: figure.data, layout: figure.layout, frames: figure.frames,
        config: { displaylogo: false, responsive: true } }).then(() => setState(ready));
    });
    return "recording…";
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

  ns.inspector = { counts, stats, replay };
})(window);
