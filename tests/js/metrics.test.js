// node --test: rolling meters and request classification (assets/js/40_metrics.js).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const metrics = require("../../assets/js/40_metrics.js");

test("rate counts events inside the span only", () => {
  const m = metrics.createMeter(1000);
  for (let t = 0; t < 2000; t += 20) metrics.record(m, t);
  assert.equal(metrics.rate(m, 1990), 50);
  assert.equal(metrics.rate(m, 5000), 0);
});

test("quantile is nearest-rank and NaN when empty", () => {
  assert.ok(Number.isNaN(metrics.quantile([], 0.5)));
  assert.equal(metrics.quantile([5, 1, 3], 0.5), 3);
  assert.equal(metrics.quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
  assert.equal(metrics.quantile([1, 2, 3, 4], 0), 1);
  const m = metrics.createMeter(100);
  metrics.record(m, 0, 99);
  metrics.record(m, 150, 7);
  assert.equal(metrics.meterQuantile(m, 0.5, 160), 7);
});

test("only Dash callback requests are counted", () => {
  assert.ok(metrics.isUpdateRequest({ name: "http://h/_dash-update-component" }));
  assert.ok(!metrics.isUpdateRequest({ name: "http://h/_dash-layout" }));
  assert.ok(!metrics.isUpdateRequest({}));
});

test("watchRequests counts entries delivered by a PerformanceObserver", () => {
  let callback = null;
  const target = {
    performance: { setResourceTimingBufferSize() {} },
    PerformanceObserver: class {
      constructor(cb) {
        callback = cb;
      }
      observe() {}
    },
  };
  const counter = metrics.watchRequests(target);
  callback({
    getEntries: () => [
      { name: "/_dash-update-component", transferSize: 300 },
      { name: "/assets/x.js", transferSize: 9 },
      { name: "/_dash-update-component?x", encodedBodySize: 5 },
    ],
  });
  assert.deepEqual(counter, { count: 2, bytes: 305, supported: true });
  assert.equal(metrics.watchRequests({}).supported, false);
});

test("watchFetch attributes callback requests and their bytes to the outputs they update", async () => {
  const target = {
    fetch: async (url) => ({ url, headers: { get: (h) => (h === "content-length" ? "120" : null) } }),
  };
  const byOutput = metrics.watchFetch(target);
  const body = JSON.stringify({ output: "..server-extend-graph.extendData...server-extend-cursor.data.." });
  const response = await target.fetch("/_dash-update-component", { method: "POST", body });
  assert.equal(response.url, "/_dash-update-component", "the response passes through untouched");
  await target.fetch("/_dash-update-component", { method: "POST", body: "not json" });
  await target.fetch("/assets/x.js");
  const own = metrics.requestsFor(byOutput, "server-extend-graph");
  assert.deepEqual(own, { count: 1, bytes: body.length + 120 });
  assert.deepEqual(metrics.requestsFor(byOutput, "server-figure-graph"), { count: 0, bytes: 0 });
  assert.equal(byOutput.get("").count, 1, "unreadable bodies are still counted");
  assert.equal(metrics.outputOf("{}"), "");
});
