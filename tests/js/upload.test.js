// node --test: the upload's pure parts (assets/js/52_upload.js): bytes from dcc.Upload's data: URL, the checks made
// before sending, the query, and the config the page switches to for an uploaded dataset.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const upload = require("../../assets/js/52_upload.js");
const config = require("./fixtures/config.json");

const DATA = { uploadPath: "/_tickless/upload", uploadMaxBytes: 1000, formats: [".csv", ".wav", ".npy"] };

test("dataUrlBytes decodes dcc.Upload's base64 data: URL exactly, whatever the padding", () => {
  for (const n of [0, 1, 2, 3, 4, 1000, 3 * (1 << 20) + 5]) {
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i++) bytes[i] = (i * 7919) % 256;
    const url = `data:text/csv;base64,${bytes.toString("base64")}`;
    const out = upload.dataUrlBytes(url);
    assert.equal(out.length, n);
    assert.ok(Buffer.from(out).equals(bytes), `n=${n}`);
  }
  assert.throws(() => upload.dataUrlBytes("data:text/csv,plain"), /could not be read/);
  assert.throws(() => upload.dataUrlBytes(null), /could not be read/);
});

test("precheck refuses empty, oversized and unknown files with the reason, and passes good ones", () => {
  assert.equal(upload.precheck("a.csv", 10, DATA), "");
  assert.equal(upload.precheck("A.WAV", 1000, DATA), "");
  assert.equal(upload.precheck("noext", 10, DATA), "");
  assert.match(upload.precheck("a.csv", 0, DATA), /a.csv: the file is empty/);
  assert.match(upload.precheck("big.csv", 1001, DATA), /big.csv is 1 KB; uploads are at most 1 KB/);
  assert.match(upload.precheck("x.xlsx", 10, DATA), /x.xlsx: .xlsx files are not read \(use .csv, .wav, .npy\)/);
});

test("uploadUrl carries the name and the rate only when one is given", () => {
  assert.equal(upload.uploadUrl(DATA, "my file.csv", ""), "/_tickless/upload?name=my+file.csv");
  assert.equal(upload.uploadUrl(DATA, "a.wav", " 250 "), "/_tickless/upload?name=a.wav&rate=250");
  assert.equal(upload.uploadUrl(DATA, "a.wav", null), "/_tickless/upload?name=a.wav");
});

test("configFor switches names, ranges, window limit and defaults; storeFor keeps only the loader's fields", () => {
  const reply = {
    version: 2, url: "/tickless/data/ab.f32", sha: "ab", bytes: 8000, rate: 200, length: 1000,
    names: ["left", "right"], ranges: [[-1, 1], [0, 5]], describe: "x.csv: 2 channels", notes: [],
    window: 1000, windowMax: 1000,
  };
  const next = upload.configFor(config, reply);
  assert.deepEqual(next.names, ["left", "right"]);
  assert.deepEqual(next.ranges, [[-1, 1], [0, 5]]);
  assert.deepEqual(next.limits.window, [config.limits.window[0], 1000]);
  assert.equal(next.defaults.window, 1000);
  assert.deepEqual(next.defaults.channels, ["left", "right"]);
  assert.deepEqual(next.limits.speed, config.limits.speed);
  assert.equal(next.strategies, config.strategies);
  assert.notEqual(config.names[0], "left", "the config it was given is not changed");
  const store = upload.storeFor(reply);
  assert.deepEqual(Object.keys(store).sort(), ["bytes", "length", "names", "rate", "sha", "url", "version"]);
});
