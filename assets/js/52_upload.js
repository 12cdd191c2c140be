/**
 * upload: your own file on the page. dcc.Upload reads it (a data: URL in its `contents`); `uploadFile` (a
 * clientside callback, app/dataview.py) turns that back into bytes, checks what it can before sending (size,
 * name), posts the bytes to the upload route (app/upload.py) with a progress line, and only when the server
 * answers with a whole dataset swaps the page's dataset store, channel list, window and config for it: a
 * failed upload leaves the current data playing, and says why in one line.
 *
 * The pure parts (bytes from a data: URL, the checks, the query, the new config) run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory(root);
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "upload", function (root) {
  "use strict";

  const fmtBytes = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

  /** The bytes of a base64 data: URL (what dcc.Upload gives), decoded in slices. */
  function dataUrlBytes(url) {
    if (typeof url !== "string" || !url.startsWith("data:")) throw new Error("the file could not be read");
    const comma = url.indexOf(",");
    if (comma < 0 || !url.slice(0, comma).endsWith(";base64")) throw new Error("the file could not be read");
    const text = url.slice(comma + 1);
    const size = Math.floor((text.length * 3) / 4) - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
    const out = new Uint8Array(Math.max(0, size));
    const SLICE = 1 << 20; // a multiple of 4 characters
    let o = 0;
    for (let i = 0; i < text.length; i += SLICE) {
      const bin = root.atob(text.slice(i, i + SLICE));
      for (let k = 0; k < bin.length; k++) out[o++] = bin.charCodeAt(k);
    }
    return o === out.length ? out : out.subarray(0, o);
  }

  /** A message when the file cannot be uploaded as it is (too big, a format the server does not read), else "". */
  function precheck(filename, size, data) {
    const lower = String(filename || "").toLowerCase();
    const dot = lower.lastIndexOf(".");
    const ext = dot >= 0 ? lower.slice(dot) : "";
    if (size === 0) return `${filename}: the file is empty`;
    if (size > data.uploadMaxBytes) {
      return `${filename} is ${fmtBytes(size)}; uploads are at most ${fmtBytes(data.uploadMaxBytes)} (serve it with python -m app --data FILE)`;
    }
    if (ext && !data.formats.includes(ext)) return `${filename}: ${ext} files are not read (use ${data.formats.join(", ")})`;
    return "";
  }

  /** The upload URL with the file's name and the rate asked for (empty: the file's own). */
  function uploadUrl(data, filename, rate) {
    const params = new URLSearchParams({ name: String(filename || "upload") });
    const r = rate === null || rate === undefined ? "" : String(rate).trim();
    if (r) params.set("rate", r);
    return `${data.uploadPath}?${params.toString()}`;
  }

  /**
   * The page's config for an uploaded dataset (the server's reply): its names and per-channel ranges, the window
   * limit and default from its length and rate. Everything else (strategies, layout, ids) stays.
   */
  function configFor(config, reply) {
    const names = reply.names.map(String);
    const limits = Object.assign({}, config.limits, { window: [config.limits.window[0], reply.windowMax] });
    const defaults = Object.assign({}, config.defaults, { window: reply.window, channels: names.slice() });
    const data = Object.assign({}, config.data, { start: reply.start === undefined ? null : reply.start });
    return Object.assign({}, config, { names, ranges: reply.ranges, limits, defaults, data, source: reply.describe });
  }

  /** The dataset store's value from the reply: only what the engine's loader reads. */
  function storeFor(reply) {
    const out = Object.assign({}, reply);
    for (const key of ["ranges", "describe", "notes", "window", "windowMax"]) delete out[key];
    return out;
  }

  /** POST the bytes; resolves to {status, body} (body parsed from JSON when possible). */
  function post(url, bytes, onProgress) {
    return new Promise((resolve) => {
      const xhr = new root.XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onload = () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch (err) {
          body = { error: `the server answered ${xhr.status} ${xhr.statusText}` };
        }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => resolve({ status: 0, body: { error: "the server could not be reached" } });
      xhr.send(bytes);
    });
  }

  /** Write a prop from outside a callback (Dash's set_props). */
  function setProps(id, props) {
    if (root.dash_clientside && root.dash_clientside.set_props) root.dash_clientside.set_props(id, props);
  }

  /** Swap the page over to the uploaded dataset: config first (the loader reads it), then controls, then data. */
  function apply(config, reply) {
    const ids = config.data.ids;
    const next = configFor(config, reply);
    setProps(ids.config, { data: next });
    setProps(ids.channels, { options: next.names, value: next.names });
    setProps(ids.window, { value: reply.window });
    setProps(ids.title, { children: `${reply.describe}, uploaded, replayed in a loop` });
    setProps(ids.data, { data: storeFor(reply) });
  }

  /** The clientside callback: read, check, send, then swap the dataset or say why not. */
  function uploadFile(contents, filename, rate, config, current) {
    const dc = root.dash_clientside;
    if (!contents || !config || !config.data) throw dc.PreventUpdate;
    const data = config.data;
    const keep = current ? ` Still showing ${String(current).replace(/, replayed in a loop$/, "")}.` : "";
    let bytes;
    try {
      bytes = dataUrlBytes(contents);
    } catch (err) {
      return `Upload failed: ${err.message}.${keep}`;
    }
    setProps(data.ids.upload, { contents: null }); // drop the data: URL from the renderer's state
    const early = precheck(filename, bytes.length, data);
    if (early) return `Upload refused: ${early}.${keep}`;
    const status = (text) => setProps(data.ids.status, { children: text });
    post(uploadUrl(data, filename, rate), bytes, (f) => {
      status(f < 1 ? `Uploading ${filename}: ${Math.floor(f * 100)}%` : `Reading ${filename} on the server…`);
    }).then(({ status: code, body }) => {
      if (code !== 200 || !body || body.error) {
        status(`Upload failed: ${(body && body.error) || `HTTP ${code}`}.${keep}`);
        return;
      }
      apply(config, body);
      const notes = (body.notes || []).length ? ` (${body.notes.join("; ")})` : "";
      status(`Loaded ${body.describe}${notes}.`);
    });
    return `Uploading ${filename}: 0%`;
  }

  return { dataUrlBytes, precheck, uploadUrl, configFor, storeFor, uploadFile };
});

(function (root) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  if (ns && ns.upload) ns.uploadFile = ns.upload.uploadFile;
})(typeof window !== "undefined" ? window : globalThis);
