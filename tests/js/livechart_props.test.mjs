// node --test: LiveChart's prop checks and safe defaults (livechart/src/lib/props.js).
import test from "node:test";
import assert from "node:assert/strict";
import { normalize, resolveChannels, DEFAULTS, PALETTE } from "../../livechart/src/lib/props.js";

test("no props: every default, no message", () => {
  const { opts, errors } = normalize({});
  assert.deepEqual(errors, []);
  assert.equal(opts.window, DEFAULTS.window);
  assert.equal(opts.mode, "live");
  assert.equal(opts.source, "props");
  assert.equal(opts.colors, PALETTE);
  assert.equal(opts.channels, null);
  assert.equal(opts.yRange, null);
});

test("good props pass through unchanged", () => {
  const props = { window: 1_000_000, playing: false, speed: 0.5, mode: "replay", source: "tickless", theme: "dark",
    yMode: "fixed", yRange: [-2, 3], decimate: "off", sampleInterval: 100, colors: ["red"], channels: [2, "b"] };
  const { opts, errors } = normalize(props);
  assert.deepEqual(errors, []);
  for (const key of Object.keys(props)) assert.deepEqual(opts[key], props[key], key);
});

test("each bad prop gets one message naming it and a safe default", () => {
  const bad = { window: -5, playing: "yes", speed: 0, mode: "fast", source: "cdn", theme: "blue", yMode: 3,
    decimate: true, sampleInterval: 1, colors: [], yRange: [3, 1], channels: "all" };
  const { opts, errors } = normalize(bad);
  assert.equal(errors.length, Object.keys(bad).length);
  for (const name of Object.keys(bad)) {
    assert.ok(errors.some((e) => e.startsWith(`LiveChart: prop \`${name}\``)), name);
  }
  assert.equal(opts.window, DEFAULTS.window);
  assert.equal(opts.playing, true);
  assert.equal(opts.speed, 1);
  assert.equal(opts.mode, "live");
  assert.equal(opts.colors, PALETTE);
  assert.equal(opts.yRange, null);
  assert.equal(opts.channels, null);
});

test("window must be whole; NaN and Infinity are refused", () => {
  for (const w of [2.5, NaN, Infinity, "2000", 10_000_001, 1]) {
    const { opts, errors } = normalize({ window: w });
    assert.equal(opts.window, DEFAULTS.window, String(w));
    assert.match(errors[0], /prop `window` must be a whole number from 2 to 10000000/);
  }
});

test("channels resolve by index or name, in order, without repeats; unknown ones are named", () => {
  const names = ["a", "b", "c"];
  const errors = [];
  assert.deepEqual(resolveChannels(null, names, errors), [0, 1, 2]);
  assert.deepEqual(resolveChannels([2, "a", 2], names, errors), [2, 0]);
  assert.deepEqual(resolveChannels([], names, errors), []);
  assert.deepEqual(errors, []);
  assert.deepEqual(resolveChannels([7, "zz", 1], names, errors), [1]);
  assert.match(errors[0], /prop `channels` names unknown channels .*using \[1\]/);
  assert.deepEqual(resolveChannels([9], names, errors), [0, 1, 2], "nothing valid: every channel");
});
