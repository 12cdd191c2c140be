/**
 * datafetch: the dataset's samples as one cacheable binary. The store names them by content hash
 * ({url: ".../tickless/data/<sha256>.f32", bytes, rate, length, names}, app/dataroute.py); this fetches the URL
 * with the browser's HTTP cache (the response is immutable, so a returning visitor reads it from the cache
 * with no request) and returns the ArrayBuffer for codec.decodeBinary. Same-origin, so a page under
 * `connect-src 'self'` may fetch it.
 *
 * A network failure (a server restarting) is retried with back-off; an HTTP error is not (404: the server no
 * longer holds this data, the page must be reloaded), and every failure says what happened in one line.
 * Pure apart from the fetch and the timer it is given, so node --test runs it.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "datafetch", function (root) {
  "use strict";

  const RETRY_MS = [500, 1000, 2000, 4000]; // waits before the 2nd..5th try after a network failure

  /** An Error whose message is shown to the user; `retry` says whether trying again may help. */
  function failure(message, retry) {
    const err = new Error(message);
    err.retry = retry;
    return err;
  }

  /** One GET of the dataset's URL → ArrayBuffer of exactly `bytes` bytes, or a failure naming the cause. */
  async function fetchOnce(meta, fetchImpl) {
    let resp;
    try {
      resp = await fetchImpl(meta.url, { method: "GET", credentials: "same-origin", cache: "default" });
    } catch (err) {
      throw failure(`the dataset could not be fetched (${err && err.message ? err.message : err}); retrying`, true);
    }
    if (!resp.ok) {
      const why = resp.status === 404 ? "the server no longer has this data: reload the page" : `HTTP ${resp.status}`;
      throw failure(`the dataset could not be loaded: ${why}`, resp.status >= 500);
    }
    const buffer = await resp.arrayBuffer();
    if (typeof meta.bytes === "number" && buffer.byteLength !== meta.bytes) {
      throw failure(`the dataset arrived with ${buffer.byteLength} bytes, expected ${meta.bytes}: reload the page`, false);
    }
    return buffer;
  }

  /**
   * Fetch the dataset's bytes, retrying network failures and 5xx after RETRY_MS (or `delays`); resolves to an
   * ArrayBuffer, rejects with an Error whose message is for the user.
   */
  async function fetchDataset(meta, options = {}) {
    const fetchImpl = options.fetch || (root.fetch && root.fetch.bind(root));
    const delays = options.delays || RETRY_MS;
    const sleep = options.sleep || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    if (!fetchImpl) throw failure("this browser cannot fetch the dataset (no fetch)", false);
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetchOnce(meta, fetchImpl);
      } catch (err) {
        if (!err.retry || attempt >= delays.length) {
          throw failure(err.message.replace(/; retrying$/, ""), false);
        }
        await sleep(delays[attempt]);
      }
    }
  }

  return { fetchDataset, fetchOnce, RETRY_MS };
});
