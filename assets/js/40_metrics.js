/**
 * metrics: rolling meters for the HUD (frames/s, latency percentiles) and, in the browser, a counter of
 * this tab's requests to /_dash-update-component read from the Resource Timing API (counted, not inferred).
 * The fetch wrapper also tells listeners (`onUpdate`) when each callback request goes out and when the page
 * is done with it, so a panel knows whether it has a request in flight (62_gate.js).
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "metrics", function (root) {
  "use strict";

  const UPDATE_PATH = "/_dash-update-component";

  /** A meter that keeps (time, value) events from the last `spanMs` milliseconds. */
  function createMeter(spanMs = 1000) {
    return { spanMs, times: [], values: [] };
  }

  /** Drop events older than the span, as seen at `now`. */
  function trim(meter, now) {
    let drop = 0;
    while (drop < meter.times.length && meter.times[drop] <= now - meter.spanMs) drop++;
    if (drop) {
      meter.times.splice(0, drop);
      meter.values.splice(0, drop);
    }
  }

  /** Record one event at time `t` with an optional value. */
  function record(meter, t, value = 0) {
    meter.times.push(t);
    meter.values.push(value);
    trim(meter, t);
  }

  /** Events per second over the span ending at `now`. */
  function rate(meter, now) {
    trim(meter, now);
    return (meter.times.length * 1000) / meter.spanMs;
  }

  /** The q-quantile (0..1, nearest rank) of a list of numbers; NaN when empty. */
  function quantile(values, q) {
    if (!values.length) return NaN;
    const sorted = Array.from(values).sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[rank];
  }

  /** The q-quantile of the values recorded in the span ending at `now`. */
  function meterQuantile(meter, q, now) {
    trim(meter, now);
    return quantile(meter.values, q);
  }

  /** Is this Resource Timing entry a Dash callback request? */
  function isUpdateRequest(entry) {
    return typeof entry.name === "string" && entry.name.indexOf(UPDATE_PATH) !== -1;
  }

  /** Count this tab's /_dash-update-component requests and their bytes, from page load on. */
  function watchRequests(target) {
    const counter = { count: 0, bytes: 0, supported: false };
    const perf = target.performance;
    if (!perf || typeof target.PerformanceObserver !== "function") return counter;
    if (perf.setResourceTimingBufferSize) perf.setResourceTimingBufferSize(100000);
    const observer = new target.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!isUpdateRequest(entry)) continue;
        counter.count += 1;
        counter.bytes += entry.transferSize || entry.encodedBodySize || 0;
      }
    });
    observer.observe({ type: "resource", buffered: true });
    counter.supported = true;
    return counter;
  }

  /** The callback outputs a /_dash-update-component request body names ("" if unreadable). */
  function outputOf(body) {
    if (typeof body !== "string") return "";
    try {
      const parsed = JSON.parse(body);
      return typeof parsed.output === "string" ? parsed.output : "";
    } catch (err) {
      return "";
    }
  }

  /** Call every listener with `event`; a listener that throws is reported and does not stop the others. */
  function emit(listeners, event) {
    listeners.forEach((fn) => {
      try {
        fn(event);
      } catch (err) {
        console.warn("tickless request listener:", err); // eslint-disable-line no-console
      }
    });
  }

  /**
   * Tell listeners when a 200 reply's body has been read: the Dash renderer reads it with `json()` and
   * applies the outputs in the promise jobs that follow, before any timer or Interval tick can run.
   */
  function watchBody(response, done) {
    const read = response && response.json;
    if (typeof read !== "function") {
      done();
      return;
    }
    response.json = function () {
      return read.apply(response, arguments).then(
        (value) => {
          done();
          return value;
        },
        (err) => {
          done();
          throw err;
        }
      );
    };
  }

  /**
   * Wrap fetch to attribute callback requests to their outputs: per output string, the number of
   * requests and the bytes moved (request body + the response's Content-Length, i.e. compressed).
   * `listeners` (a Set of functions) hear {phase: "sent", output, id} when a request goes out and
   * {phase: "done", output, id, status} when the page is done with it: a 200 once its body is read, any
   * other status when it arrives, status 0 when the request failed without a reply.
   */
  function watchFetch(target, listeners = new Set()) {
    const byOutput = new Map();
    const original = target.fetch;
    if (typeof original !== "function") return byOutput;
    let lastId = 0;
    target.fetch = function (input, init) {
      const url = typeof input === "string" ? input : (input && input.url) || "";
      const result = original.apply(target, arguments);
      if (url.indexOf(UPDATE_PATH) === -1) return result;
      const body = init && init.body;
      const output = outputOf(body);
      const entry = byOutput.get(output) || { count: 0, bytes: 0 };
      byOutput.set(output, entry);
      entry.count += 1;
      entry.bytes += typeof body === "string" ? body.length : 0;
      lastId += 1;
      const id = lastId;
      emit(listeners, { phase: "sent", output, id });
      return Promise.resolve(result).then(
        (response) => {
          const length = Number(response && response.headers && response.headers.get("content-length"));
          if (Number.isFinite(length)) entry.bytes += length;
          const status = Number(response && response.status) || 0;
          const done = () => emit(listeners, { phase: "done", output, id, status });
          if (status === 200) watchBody(response, done);
          else done();
          return response;
        },
        (err) => {
          emit(listeners, { phase: "done", output, id, status: 0 });
          throw err;
        }
      );
    };
    return byOutput;
  }

  /** Listen to this tab's callback requests (see watchFetch); returns the function that stops listening. */
  function onUpdate(fn) {
    updateListeners.add(fn);
    return () => updateListeners.delete(fn);
  }

  /** Requests and bytes of every output whose name mentions `componentId` (e.g. a panel's graph). */
  function requestsFor(byOutput, componentId) {
    const total = { count: 0, bytes: 0 };
    const needle = `${componentId}.`;
    byOutput.forEach((entry, output) => {
      if (output.indexOf(needle) !== -1) {
        total.count += entry.count;
        total.bytes += entry.bytes;
      }
    });
    return total;
  }

  const inBrowser = Boolean(root.document);
  const updateListeners = new Set();
  const requests = inBrowser ? watchRequests(root) : { count: 0, bytes: 0, supported: false };
  const byOutput = inBrowser ? watchFetch(root, updateListeners) : new Map();

  return {
    createMeter,
    record,
    rate,
    quantile,
    meterQuantile,
    isUpdateRequest,
    watchRequests,
    watchFetch,
    onUpdate,
    requestsFor,
    outputOf,
    requests,
    byOutput,
    UPDATE_PATH,
  };
});
