// node --test: controls → views (assets/js/46_view.js), against the contract's own config (fixtures/config.json).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const view = require("../../assets/js/46_view.js");
const config = require("./fixtures/config.json");

const NAMES = config.names;
const PREV = Object.assign({}, config.defaults);
const ASK = { window: 5000, speed: 2, channels: ["ch3", "ch1"], trace: "scattergl", interval: 250, bridge: 0, decimate: "off" };
const STRATEGIES = [
  { id: "clientside-raf", interval: false },
  { id: "clientside-interval", interval: true },
  { id: "server-extend", interval: true },
];

test("buildView keeps good values (channels in dataset order; bridge 0 = off) and says nothing", () => {
  const { view: v, message } = view.buildView(ASK, PREV, config, NAMES);
  assert.deepEqual(v, { window: 5000, speed: 2, channels: ["ch1", "ch3"], trace: "scattergl", interval: 250, bridge: 0, decimate: "off" });
  assert.equal(message, "");
});

test("buildView refuses each bad value with the contract's limits, keeping the previous view's", () => {
  const bad = { window: 50, speed: 99, channels: [], trace: "bar", interval: 2.5, bridge: 20, decimate: "maybe" };
  const prev = Object.assign({}, PREV, { window: 3000, interval: 80, bridge: 500 });
  const { view: v, message } = view.buildView(bad, prev, config, NAMES);
  assert.deepEqual(v, { window: 3000, speed: 1, channels: [], trace: "scatter", interval: 80, bridge: 500, decimate: "auto" });
  const [lo, hi] = config.limits.window;
  assert.ok(message.includes(`Window 50 is not allowed: use a whole number from ${lo} to ${hi.toLocaleString("en-US")} points. Keeping 3,000.`), message);
  assert.match(message, /Interval 2\.5 is not allowed/);
  assert.match(message, /Bridge period 20 is not allowed: .* \(or 0 = off\)\. Keeping 500\./);
  assert.match(message, /Speed 99 is not allowed; keeping 1×\./);
  assert.match(message, /Trace bar is not allowed: use scatter, scattergl; keeping scatter\./);
  assert.match(message, /Decimate maybe is not allowed: use auto, on, off; keeping auto\./);
  assert.match(message, /No channels selected/);
  assert.match(view.buildView(Object.assign({}, ASK, { window: null }), prev, config, NAMES).message, /Window empty is not allowed/);
});

test("panelView turns channel names into dataset indices", () => {
  const v = view.buildView(ASK, PREV, config, NAMES).view;
  assert.deepEqual(view.panelView(v, NAMES), { window: 5000, channels: [0, 2], trace: "scattergl", decimate: "off" });
});

test("panelUpdates: a new view only for a shown panel whose view changed or that was just shown", () => {
  const shown = new Map();
  const panel = { window: 2000, channels: [0], trace: "scatter", decimate: "auto" };
  let r = view.panelUpdates(STRATEGIES, ["clientside-raf"], panel, shown, 0);
  assert.deepEqual(r.updates, [Object.assign({ seq: 1 }, panel), null, null]);
  r = view.panelUpdates(STRATEGIES, ["clientside-raf"], panel, shown, r.seq);
  assert.deepEqual(r.updates, [null, null, null], "same view: nothing redraws");
  r = view.panelUpdates(STRATEGIES, ["server-extend", "clientside-raf"], panel, shown, r.seq);
  assert.deepEqual(r.updates, [null, null, Object.assign({ seq: 2 }, panel)], "just shown");
  r = view.panelUpdates(STRATEGIES, ["server-extend"], Object.assign({}, panel, { window: 900 }), shown, r.seq);
  assert.deepEqual(r.updates.map((u) => u && u.seq), [null, null, 3]);
  r = view.panelUpdates(STRATEGIES, ["clientside-raf"], Object.assign({}, panel, { window: 900 }), shown, r.seq);
  assert.deepEqual(r.updates.map((u) => u && u.seq), [4, null, null], "hidden then shown again: a fresh view");
});

test("intervalOutputs: Interval panels tick only while shown and playing, at the view's period", () => {
  assert.deepEqual(view.intervalOutputs(STRATEGIES, ["server-extend"], true, 250), [true, false, 250, 250]);
  assert.deepEqual(view.intervalOutputs(STRATEGIES, ["server-extend", "clientside-interval"], false, 100), [true, true, 100, 100]);
});

test("defaultTrace: scattergl only where WebGL runs on a GPU; software or no WebGL keeps scatter, saying why", () => {
  const gpu = view.defaultTrace("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)", config);
  assert.equal(gpu.trace, "scattergl");
  assert.match(gpu.note, /^default trace scattergl: WebGL on a GPU \(ANGLE \(NVIDIA/);
  const swift = "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)";
  assert.deepEqual(view.defaultTrace(swift, config), { trace: "scatter", note: `default trace scatter: software WebGL (${swift})` });
  assert.equal(view.defaultTrace("llvmpipe (LLVM 15.0.7, 256 bits)", config).trace, "scatter");
  assert.deepEqual(view.defaultTrace("", config), { trace: "scatter", note: "default trace scatter: no WebGL" });
  assert.deepEqual(config.softwareRenderers, ["swiftshader", "llvmpipe", "softpipe", "software"], "from the contract");
});

test("withDefaults swaps the default trace without touching the config", () => {
  const gl = view.withDefaults(config, "scattergl");
  assert.equal(gl.defaults.trace, "scattergl");
  assert.equal(config.defaults.trace, "scatter");
  assert.equal(view.withDefaults(config, "scatter"), config);
});

test("legendOf: plotly's legend on the inspector page (its legendclick is shown there), the engine's key elsewhere", () => {
  assert.equal(view.legendOf("inspector"), "plotly");
  for (const page of ["live", "strategy", "compare"]) assert.equal(view.legendOf(page), "html");
});
