// node --test: LiveChart's own samples: decode `data`, append `extend`, trim (livechart/src/lib/series.js).
import test from "node:test";
import assert from "node:assert/strict";
import * as series from "../../livechart/src/lib/series.js";

/** base64 (standard or url alphabet) of little-endian float32 values, as Python's encoders write it. */
function b64(values, url) {
  const text = Buffer.from(new Float32Array(values).buffer).toString("base64");
  return url ? text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") : text;
}

test("data: base64, base64url and number lists decode to the same float32 samples", () => {
  const values = [0.5, -1.25, 3e-8, 1e6, -0, 7];
  const errors = [];
  const s = series.fromData({ names: ["a", "b", "c"], rate: 100, channels: [b64(values), b64(values, true), values] }, errors);
  assert.deepEqual(errors, []);
  assert.equal(s.length, 6);
  assert.equal(s.rate, 100);
  for (const c of s.channels) assert.deepEqual(Array.from(c), Array.from(new Float32Array(values)));
  assert.deepEqual(s.ranges[0], [-1.25, 1e6]);
});

test("data: null samples are missing (NaN); standard base64 with + and / decodes", () => {
  const errors = [];
  const tricky = [1.5e-39, -3.4e38, 123.456, 0.1];
  const text = b64(tricky);
  const s = series.fromData({ names: ["x", "y"], rate: 1, channels: [[1, null, 3, 4], text] }, errors);
  assert.deepEqual(errors, []);
  assert.ok(Number.isNaN(s.channels[0][1]));
  assert.deepEqual(Array.from(s.channels[1]), Array.from(new Float32Array(tricky)));
});

test("bad data: a message naming the field and a safe value, never a throw", () => {
  const cases = [
    [42, /prop `data` must be/],
    [{ names: ["a"], rate: -1, channels: [[1, 2]] }, /prop `data.rate`/],
    [{ names: ["a"], rate: 1, channels: ["!!"] }, /prop `data.channels\[0\]`/],
    [{ names: ["a"], rate: 1, channels: [[1, "x"]] }, /prop `data.channels\[0\]`.*item 1/],
    [{ names: ["a", "b"], rate: 1, channels: [[1]] }, /prop `data.names`/],
    [{ rate: 1, channels: [[1, 2, 3], [1]] }, /must all hold the same number of samples/],
  ];
  for (const [data, pattern] of cases) {
    const errors = [];
    const s = series.fromData(data, errors);
    assert.match(errors.join("\n"), pattern, JSON.stringify(data));
    assert.equal(s.names.length, s.channels.length);
    assert.ok(s.channels.every((c) => c.length === s.length));
  }
});

test("extend appends in order; growth keeps what is held; bad extends append nothing", () => {
  const errors = [];
  const s = series.fromData({ names: ["a", "b"], rate: 10, channels: [[0, 1], [10, 11]] }, errors);
  let next = 2;
  for (let k = 0; k < 300; k++) {
    const n = 1 + (k % 7);
    const a = Array.from({ length: n }, (_, i) => next + i);
    series.append(s, [a, b64(a.map((v) => v + 10))], errors);
    next += n;
  }
  assert.deepEqual(errors, []);
  assert.equal(series.end(s), next);
  assert.deepEqual(Array.from(series.view(s, 0, 0, next)), Array.from({ length: next }, (_, i) => i));
  assert.deepEqual(Array.from(series.view(s, 1, next - 3, next)), [next + 7, next + 8, next + 9]);
  assert.equal(series.append(s, [[1, 2]], errors), 0);
  assert.equal(series.append(s, [[1, 2], [3]], errors), 0);
  assert.equal(series.append(s, "nope", errors), 0);
  assert.equal(errors.length, 3);
  assert.ok(errors.every((e) => e.startsWith("LiveChart: prop `extend`")));
  assert.equal(series.end(s), next);
});

test("trimTo keeps the newest samples at the same indices", () => {
  const s = series.fromData({ names: ["a"], rate: 1, channels: [Array.from({ length: 100 }, (_, i) => i)] }, []);
  series.trimTo(s, 60);
  assert.equal(s.length, 100, "compacts only past twice what it keeps");
  series.trimTo(s, 30);
  assert.equal(s.start, 70);
  assert.equal(series.end(s), 100);
  assert.deepEqual(Array.from(series.view(s, 0, 95, 100)), [95, 96, 97, 98, 99]);
  series.append(s, [[100, 101]], []);
  assert.deepEqual(Array.from(series.view(s, 0, 99, 102)), [99, 100, 101]);
});
