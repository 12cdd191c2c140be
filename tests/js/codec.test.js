// node --test: base64url decoding, float32 views and dataset payload validation (assets/js/10_codec.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const codec = require("../../assets/js/10_codec.js");

/** Reference encoder: Node's Buffer gives base64url directly. */
function encodeFloats(values) {
  return Buffer.from(new Float32Array(values).buffer).toString("base64url");
}

test("decodeBase64Url matches Buffer for every length 0..64 and all byte values", () => {
  for (let n = 0; n <= 64; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 255);
    const text = Buffer.from(bytes).toString("base64url");
    assert.deepEqual(Array.from(codec.decodeBase64Url(text)), Array.from(bytes));
    const padded = Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
    assert.deepEqual(Array.from(codec.decodeBase64Url(padded)), Array.from(bytes), `padded n=${n}`);
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(codec.decodeBase64Url(Buffer.from(all).toString("base64url")), all);
});

test("decodeBase64Url rejects standard-base64 symbols, bad lengths and non-strings", () => {
  assert.throws(() => codec.decodeBase64Url("ab+/"), /invalid character "\+" at position 2/);
  assert.throws(() => codec.decodeBase64Url("abcde"), /invalid length/);
  assert.throws(() => codec.decodeBase64Url("ab==="), /padding/);
  assert.throws(() => codec.decodeBase64Url("ab\u00e9d"), /invalid character/);
  assert.throws(() => codec.decodeBase64Url(null), /expected a string/);
});

test("float32FromBytes reads little-endian floats, including NaN, infinities and -0", () => {
  const values = [0, -0, 1.5, -2.25, 3.4028234663852886e38, 1e-45, Infinity, -Infinity];
  const out = codec.float32FromBytes(codec.decodeBase64Url(encodeFloats(values)));
  assert.deepEqual(Array.from(out), values.map((v) => Math.fround(v)));
  const nan = codec.float32FromBytes(codec.decodeBase64Url(encodeFloats([NaN])));
  assert.ok(Number.isNaN(nan[0]));
  assert.throws(() => codec.float32FromBytes(new Uint8Array(5)), /multiple of 4/);
});

test("round trip of a long random signal is exact at float32 precision", () => {
  const values = Array.from({ length: 10007 }, (_, i) => Math.sin(i / 7) * 1e3 + (i % 13) / 3);
  const out = codec.float32FromBytes(codec.decodeBase64Url(encodeFloats(values)));
  assert.equal(out.length, values.length);
  for (let i = 0; i < values.length; i++) assert.equal(out[i], Math.fround(values[i]));
});

function payload(overrides = {}) {
  return Object.assign(
    {
      version: 1,
      encoding: "base64url-float32le",
      rate: 100,
      length: 3,
      names: ["a", "b"],
      channels: [encodeFloats([1, 2, 3]), encodeFloats([-1, 5, 0.5])],
    },
    overrides,
  );
}

test("decodeDataset returns typed arrays, names, rate and per-channel ranges", () => {
  const ds = codec.decodeDataset(payload());
  assert.equal(ds.rate, 100);
  assert.deepEqual(ds.names, ["a", "b"]);
  assert.ok(ds.channels[0] instanceof Float32Array);
  assert.deepEqual(Array.from(ds.channels[1]), [-1, 5, 0.5]);
  assert.deepEqual(ds.ranges, [[1, 3], [-1, 5]]);
});

test("decodeDataset names what is wrong with a bad payload", () => {
  assert.throws(() => codec.decodeDataset(null), /missing/);
  assert.throws(() => codec.decodeDataset(payload({ version: 2 })), /version 2/);
  assert.throws(() => codec.decodeDataset(payload({ encoding: "base64" })), /encoding base64/);
  assert.throws(() => codec.decodeDataset(payload({ rate: -1 })), /rate -1/);
  assert.throws(() => codec.decodeDataset(payload({ length: 2.5 })), /length 2.5/);
  assert.throws(() => codec.decodeDataset(payload({ names: ["a"] })), /same length/);
  assert.throws(() => codec.decodeDataset(payload({ length: 4 })), /channel a has 3 samples, expected 4/);
  assert.throws(() => codec.decodeDataset(payload({ channels: ["!!!!", "AAAA"] })), /invalid character/);
});

test("extent ignores NaN and falls back to [0, 1] for empty data", () => {
  assert.deepEqual(codec.extent(new Float32Array([NaN, 2, -3, NaN])), [-3, 2]);
  assert.deepEqual(codec.extent(new Float32Array([])), [0, 1]);
});
