// node --test: the download module's pure parts (assets/js/56_download.js): the window on screen, cut to a
// zoom (seconds or plotly's date strings), and the exact CSV of it.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const download = require("../../assets/js/56_download.js");

const DS = require("./fixtures/small-dataset.js");

test("windowRange: the window ending at the newest sample drawn, cut to a zoom", () => {
  assert.deepEqual(download.windowRange(1000, 200, null, 100), { from: 800, to: 1000 });
  assert.deepEqual(download.windowRange(150, 200, null, 100), { from: 0, to: 150 });
  assert.deepEqual(download.windowRange(1000, 200, [8.5, 9.0], 100), { from: 850, to: 901 });
  assert.deepEqual(download.windowRange(1000, 200, [0, 100], 100), { from: 800, to: 1000 });
});

test("csvText: exact float32 values (reading them back gives the same float32), looped indices, quoted names", () => {
  const text = download.csvText(DS, [1, 0], 3, 7, null);
  const lines = text.trim().split("\n");
  assert.equal(lines[0], 'time,"b, c",a');
  assert.equal(lines.length, 5);
  const rows = lines.slice(1).map((l) => l.split(","));
  assert.deepEqual(rows.map((r) => Number(r[0])), [0.03, 0.04, 0.05, 0.06]);
  rows.forEach((r, k) => {
    const i = (3 + k) % DS.length;
    assert.equal(Math.fround(Number(r[1])), DS.channels[1][i]);
    assert.equal(Math.fround(Number(r[2])), DS.channels[0][i]);
  });
  assert.equal(rows[0][1], "123456.79");
  assert.equal(rows[2][1], "0.33333334");
  const dated = download.csvText(DS, [2], 0, 2, 1714557600);
  assert.equal(dated.split("\n")[1], "2024-05-01T10:00:00.000Z,7");
  assert.equal(dated.split("\n")[2], "2024-05-01T10:00:00.010Z,8");
});

test("float32Text is the shortest text that reads back to the float32", () => {
  for (const v of [0.1, 1 / 3, 1e-8, 3.4e38, -2.5, 16777217, Math.PI]) {
    const f = Math.fround(v);
    const text = download.float32Text(f);
    assert.equal(Math.fround(Number(text)), f, `${v} -> ${text}`);
    assert.ok(text.replace(/[-.e+]/g, "").replace(/^0+/, "").length <= 9);
  }
  assert.equal(download.float32Text(NaN), "");
});

test("windowRange reads a zoomed date range (plotly's date strings) back to samples", () => {
  const x0 = Date.parse("2026-03-01T08:00:00Z");
  assert.equal(download.dateMs("2026-03-01 08:00:02.5"), x0 + 2500);
  assert.equal(download.dateMs("2026-03-01"), Date.parse("2026-03-01T00:00:00Z"));
  assert.ok(Number.isNaN(download.dateMs("soon")));
  // 250 Hz: x = x0 + v * 4 ms; a zoom on 08:00:02.5 - 08:00:03 is samples 625..750
  const r = download.windowRange(2000, 1000, ["2026-03-01 08:00:02.5", "2026-03-01 08:00:03"], 0.25, x0);
  assert.deepEqual(r, { from: 1000, to: 1000 });
  const inside = download.windowRange(2000, 1500, ["2026-03-01 08:00:02.5", "2026-03-01 08:00:03"], 0.25, x0);
  assert.deepEqual(inside, { from: 625, to: 751 });
});
