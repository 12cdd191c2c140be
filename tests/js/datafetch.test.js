// node --test: the binary dataset (version 2): decodeBinary (assets/js/10_codec.js) and the fetch with its
// retries and messages (assets/js/12_datafetch.js), with a fetch stand-in that answers as the server would.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const codec = require("../../assets/js/10_codec.js");
const datafetch = require("../../assets/js/12_datafetch.js");

const META = { version: 2, encoding: "float32le", url: "/tickless/data/ab.f32", sha: "ab", bytes: 24, rate: 10, length: 3, names: ["a", "b"] };

function body() {
  return new Float32Array([1, 2, 3, -4, 5.5, 6]).buffer;
}

test("decodeBinary views each channel of the float32 body, in order, with its range", () => {
  const ds = codec.decodeBinary(META, body());
  assert.deepEqual(ds.names, ["a", "b"]);
  assert.deepEqual(Array.from(ds.channels[0]), [1, 2, 3]);
  assert.deepEqual(Array.from(ds.channels[1]), [-4, 5.5, 6]);
  assert.ok(ds.channels[1] instanceof Float32Array);
  assert.deepEqual(ds.ranges, [[1, 3], [-4, 6]]);
  assert.equal(ds.rate, 10);
  assert.equal(ds.length, 3);
});

test("decodeBinary names what is wrong with the store value or the body", () => {
  assert.throws(() => codec.decodeBinary(null, body()), /missing/);
  assert.throws(() => codec.decodeBinary({ ...META, version: 1 }, body()), /version 1/);
  assert.throws(() => codec.decodeBinary({ ...META, encoding: "f64" }, body()), /encoding f64/);
  assert.throws(() => codec.decodeBinary({ ...META, rate: 0 }, body()), /rate 0/);
  assert.throws(() => codec.decodeBinary({ ...META, length: 1.5 }, body()), /length 1.5/);
  assert.throws(() => codec.decodeBinary({ ...META, names: [] }, body()), /names/);
  assert.throws(() => codec.decodeBinary({ ...META, url: "" }, body()), /url/);
  assert.throws(() => codec.decodeBinary({ ...META, bytes: 28 }, body()), /28 bytes announced/);
  assert.throws(() => codec.decodeBinary(META, new ArrayBuffer(20)), /20 bytes, expected 24/);
  assert.throws(() => codec.decodeBinary(META, null), /no body/);
});

/** A fetch stand-in: answers from a list of responses (an Error is thrown as a network failure). */
function fakeFetch(answers) {
  const calls = [];
  const impl = async (url, init) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return { ok: next.status >= 200 && next.status < 300, status: next.status, arrayBuffer: async () => next.body };
  };
  return { impl, calls };
}

test("fetchDataset GETs the URL same-origin through the HTTP cache and returns the bytes", async () => {
  const { impl, calls } = fakeFetch([{ status: 200, body: body() }]);
  const buffer = await datafetch.fetchDataset(META, { fetch: impl });
  assert.equal(buffer.byteLength, 24);
  assert.deepEqual(calls, [{ url: META.url, init: { method: "GET", credentials: "same-origin", cache: "default" } }]);
});

test("fetchDataset retries network failures and 5xx with back-off, then succeeds", async () => {
  const slept = [];
  const { impl, calls } = fakeFetch([new TypeError("Failed to fetch"), { status: 503 }, { status: 200, body: body() }]);
  const buffer = await datafetch.fetchDataset(META, { fetch: impl, sleep: async (ms) => slept.push(ms), delays: [5, 10, 20] });
  assert.equal(buffer.byteLength, 24);
  assert.equal(calls.length, 3);
  assert.deepEqual(slept, [5, 10]);
});

test("fetchDataset gives up with one line: 404 at once, network failures after the last retry, short bodies", async () => {
  const sleep = async () => {};
  let f = fakeFetch([{ status: 404 }]);
  await assert.rejects(datafetch.fetchDataset(META, { fetch: f.impl, sleep }), /no longer has this data: reload the page/);
  assert.equal(f.calls.length, 1, "a 404 is not retried");
  f = fakeFetch([new TypeError("down"), new TypeError("down"), new TypeError("down")]);
  await assert.rejects(datafetch.fetchDataset(META, { fetch: f.impl, sleep, delays: [1, 1] }), (err) => {
    assert.match(err.message, /could not be fetched \(down\)$/);
    return true;
  });
  assert.equal(f.calls.length, 3);
  f = fakeFetch([{ status: 200, body: new ArrayBuffer(8) }]);
  await assert.rejects(datafetch.fetchDataset(META, { fetch: f.impl, sleep }), /8 bytes, expected 24/);
});
