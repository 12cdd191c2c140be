// node --test: LiveChart's look, the pure parts (livechart/src/lib/stack.js, props.js themes/layout/font/time).
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { rowBand, rowScale, rowTicks, niceStep, timeLabels, fontPx } from "../../livechart/src/lib/stack.js";
import { normalize, THEMES } from "../../livechart/src/lib/props.js";

const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

/** Where value v lands on a [min, max] scale, as a fraction of the plot height from the bottom. */
const at = (v, [min, max]) => (v - min) / (max - min);

test("rows: n bands top to bottom, the gap between them, filling the plot", () => {
  const gap = 0.03;
  const h = (1 - 2 * gap) / 3;
  assert.deepEqual(rowBand(0, 1, gap), [0, 1]);
  close(rowBand(0, 3, gap)[1], 1);
  close(rowBand(2, 3, gap)[0], 0);
  for (let k = 0; k < 3; k++) {
    const [b, t] = rowBand(k, 3, gap);
    close(t - b, h);
    if (k) close(rowBand(k - 1, 3, gap)[0] - t, gap);
  }
});

test("rowScale puts each channel's range exactly in its own row", () => {
  const ranges = [[-1, 1], [100, 300], [0, 0.001]];
  ranges.forEach(([lo, hi], k) => {
    const s = rowScale(lo, hi, k, 3, 0.03);
    const [b, t] = rowBand(k, 3, 0.03);
    close(at(lo, s), b);
    close(at(hi, s), t);
  });
});

test("niceStep: 1/2/5 steps near the count asked", () => {
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(1, 3), 0.5);
  close(niceStep(0.003, 3), 0.001);
  assert.equal(niceStep(700, 3), 500);
  assert.equal(niceStep(0, 3), 1);
  assert.equal(niceStep(NaN, 3), 1);
});

test("rowTicks: round values inside each row only, labelled in the row's own units, arrays reused", () => {
  const out = { pos: [], labels: [] };
  const ranges = [[-1.2, 1.2], [150, 260]];
  const got = rowTicks(ranges, 2, 0.05, out);
  assert.equal(got, out);
  assert.ok(out.labels.includes("0") && out.labels.includes("200"), out.labels.join(" "));
  assert.equal(out.pos.length, out.labels.length);
  const [b0, t0] = rowBand(0, 2, 0.05);
  const [b1, t1] = rowBand(1, 2, 0.05);
  out.labels.forEach((label, i) => {
    const v = Number(label);
    const p = out.pos[i];
    const inRow0 = p >= b0 - 1e-9 && p <= t0 + 1e-9;
    const inRow1 = p >= b1 - 1e-9 && p <= t1 + 1e-9;
    assert.ok(inRow0 !== inRow1, `tick ${label} at ${p} in exactly one row`);
    const [lo, hi] = inRow0 ? ranges[0] : ranges[1];
    const [b, t] = inRow0 ? [b0, t0] : [b1, t1];
    close(b + ((v - lo) / (hi - lo)) * (t - b), p, 1e-9);
  });
  const pos = out.pos;
  rowTicks([[0, 1]], 1, 0, out);
  assert.equal(out.pos, pos, "the same arrays, refilled");
  assert.deepEqual(out.labels, ["0.0", "0.5", "1.0"]);
  rowTicks([[1, 1]], 1, 0, out);
  assert.deepEqual(out.pos, [], "a flat row has no ticks rather than NaN");
});

test("timeLabels: UTC wall-clock time by the step, the date under the first tick and where the day changes", () => {
  const t0 = Date.UTC(2024, 4, 1, 23, 59, 58) / 1000;
  assert.deepEqual(timeLabels([t0, t0 + 1, t0 + 2], 1), ["23:59:58\n2024-05-01", "23:59:59", "00:00:00\n2024-05-02"]);
  assert.deepEqual(timeLabels([t0 + 0.25, t0 + 0.5], 0.25), ["23:59:58.25\n2024-05-01", "23:59:58.50"]);
  assert.deepEqual(timeLabels([t0 + 2, t0 + 62], 60), ["00:00\n2024-05-02", "00:01"]);
  assert.deepEqual(timeLabels([t0, null], 1), ["23:59:58\n2024-05-01", null]);
  assert.equal(timeLabels([t0 + 0.004], 0.002)[0], "23:59:58.004\n2024-05-01");
});

test("fontPx: the screen's sizes pass, anything else is the default", () => {
  for (const px of [12, 15, 20]) assert.equal(fontPx(px), px);
  assert.equal(fontPx("20"), 12);
  assert.equal(fontPx(200), 12);
});

test("props: layout, font size, stack gap, time start and theme colours, with safe defaults", () => {
  const d = normalize({}).opts;
  assert.equal(d.layout, "overlaid");
  assert.equal(d.fontSize, 12);
  assert.equal(d.timeStart, null);
  assert.equal(d.themes, THEMES);
  const themes = { dark: { paper: "#000000", grid: "#111111" } };
  const { opts, errors } = normalize({ layout: "stacked", fontSize: 20, stackGap: 0.05, timeStart: 1714557600, themes });
  assert.deepEqual(errors, []);
  assert.equal(opts.layout, "stacked");
  assert.equal(opts.fontSize, 20);
  assert.equal(opts.stackGap, 0.05);
  assert.equal(opts.timeStart, 1714557600);
  assert.equal(opts.themes.dark.paper, "#000000");
  assert.equal(opts.themes.dark.font, THEMES.dark.font, "a missing colour keeps its default");
  assert.deepEqual(opts.themes.light, THEMES.light);
  const bad = normalize({ layout: "grid", fontSize: 0, stackGap: 1, timeStart: "today", themes: { dark: { paper: 3 } } });
  assert.equal(bad.errors.length, 5);
  for (const name of ["layout", "fontSize", "stackGap", "timeStart", "themes"]) {
    assert.ok(bad.errors.some((e) => e.includes(`\`${name}\``)), name);
  }
  assert.equal(bad.opts.layout, "overlaid");
  assert.equal(bad.opts.timeStart, null);
  assert.equal(bad.opts.themes, THEMES);
  assert.equal(normalize({ themes: { blue: {} } }).errors.length, 1, "only light and dark");
});

test("the default theme colours are the contract's (app/contract.py THEMES), so a standalone chart reads the same", () => {
  const src = readFileSync(new URL("../../app/contract.py", import.meta.url), "utf8");
  for (const theme of ["light", "dark"]) {
    const line = new RegExp(`"${theme}": \\{([^}]*)\\}`).exec(src);
    assert.ok(line, theme);
    const colours = Object.fromEntries([...line[1].matchAll(/"(\w+)": "([^"]+)"/g)].map((m) => [m[1], m[2]]));
    assert.deepEqual(colours, { ...THEMES[theme] }, theme);
  }
});
