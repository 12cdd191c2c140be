/**
 * codec: base64url text → bytes → little-endian Float32Array, and the dataset decoders: the inline payload
 * (version 1, base64url text per channel) and the binary one (version 2: the store says where the raw
 * little-endian float32 bytes are, app/dataroute.py; 12_datafetch.js fetches them, decodeBinary views them).
 * Pure functions: they run in the browser (under window.dash_clientside.tickless.codec) and under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "codec", function () {
  "use strict";

  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const LOOKUP = new Uint8Array(128).fill(255);
  for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
  const PAYLOAD_VERSION = 1;
  const ENCODING = "base64url-float32le";
  const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

  /** Value of the base64url symbol at text[i]; throws naming the character and position if invalid. */
  function symbol(text, i) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? LOOKUP[code] : 255;
    if (value === 255) {
      throw new Error(`base64url: invalid character ${JSON.stringify(text[i])} at position ${i}`);
    }
    return value;
  }

  /** Decode base64url text (padding optional) into a new Uint8Array. */
  function decodeBase64Url(text) {
    if (typeof text !== "string") throw new TypeError("base64url: expected a string");
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
    if (text.length - end > 2) throw new Error("base64url: too much padding");
    const rem = end % 4;
    if (rem === 1) throw new Error(`base64url: invalid length ${end}`);
    const full = end - rem;
    const out = new Uint8Array((full / 4) * 3 + (rem ? rem - 1 : 0));
    let o = 0;
    for (let i = 0; i < full; i += 4) {
      const a = symbol(text, i);
      const b = symbol(text, i + 1);
      const c = symbol(text, i + 2);
      const d = symbol(text, i + 3);
      out[o++] = (a << 2) | (b >> 4);
      out[o++] = ((b & 15) << 4) | (c >> 2);
      out[o++] = ((c & 3) << 6) | d;
    }
    if (rem >= 2) {
      const a = symbol(text, full);
      const b = symbol(text, full + 1);
      out[o++] = (a << 2) | (b >> 4);
      if (rem === 3) {
        const c = symbol(text, full + 2);
        out[o++] = ((b & 15) << 4) | (c >> 2);
      }
    }
    return out;
  }

  /** View (or copy, on a big-endian machine) little-endian float32 bytes as a Float32Array. */
  function float32FromBytes(bytes) {
    if (bytes.length % 4 !== 0) {
      throw new Error(`float32: byte length ${bytes.length} is not a multiple of 4`);
    }
    if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const out = new Float32Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }

  /** Smallest and largest finite value of an array, or [0, 1] when it has none. */
  function extent(values) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return lo <= hi ? [lo, hi] : [0, 1];
  }

  /** Validate the dcc.Store payload and decode every channel into typed arrays (once per tab). */
  function decodeDataset(payload) {
    if (!payload || typeof payload !== "object") throw new Error("dataset: payload is missing");
    if (payload.version !== PAYLOAD_VERSION) {
      throw new Error(`dataset: version ${payload.version} is not supported (expected ${PAYLOAD_VERSION})`);
    }
    if (payload.encoding !== ENCODING) {
      throw new Error(`dataset: encoding ${payload.encoding} is not supported (expected ${ENCODING})`);
    }
    const { rate, length, names, channels } = payload;
    if (!(typeof rate === "number" && rate > 0 && Number.isFinite(rate))) {
      throw new Error(`dataset: rate ${rate} must be a positive number`);
    }
    if (!(Number.isInteger(length) && length > 0)) {
      throw new Error(`dataset: length ${length} must be a positive integer`);
    }
    if (!Array.isArray(channels) || !Array.isArray(names) || names.length !== channels.length) {
      throw new Error("dataset: names and channels must be arrays of the same length");
    }
    const arrays = channels.map((text, i) => {
      const values = float32FromBytes(decodeBase64Url(text));
      if (values.length !== length) {
        throw new Error(`dataset: channel ${names[i]} has ${values.length} samples, expected ${length}`);
      }
      return values;
    });
    return { rate, length, names: names.map(String), channels: arrays, ranges: arrays.map(extent) };
  }

  const BINARY_VERSION = 2;
  const BINARY_ENCODING = "float32le";

  /** Validate the version 2 store value (by reference: {url, sha, bytes, rate, length, names}); throws naming the field. */
  function checkBinaryMeta(meta) {
    if (!meta || typeof meta !== "object") throw new Error("dataset: payload is missing");
    if (meta.version !== BINARY_VERSION) {
      throw new Error(`dataset: version ${meta.version} is not the binary version ${BINARY_VERSION}`);
    }
    if (meta.encoding !== BINARY_ENCODING) {
      throw new Error(`dataset: encoding ${meta.encoding} is not supported (expected ${BINARY_ENCODING})`);
    }
    const { rate, length, names, url } = meta;
    if (!(typeof rate === "number" && rate > 0 && Number.isFinite(rate))) {
      throw new Error(`dataset: rate ${rate} must be a positive number`);
    }
    if (!(Number.isInteger(length) && length > 0)) throw new Error(`dataset: length ${length} must be a positive integer`);
    if (!Array.isArray(names) || names.length < 1) throw new Error("dataset: names must be a non-empty array");
    if (typeof url !== "string" || !url) throw new Error("dataset: url is missing");
    const bytes = names.length * length * 4;
    if (meta.bytes !== undefined && meta.bytes !== bytes) {
      throw new Error(`dataset: ${meta.bytes} bytes announced, but ${names.length} × ${length} float32 samples are ${bytes}`);
    }
    return bytes;
  }

  /**
   * The fetched body (an ArrayBuffer of channels × length little-endian float32, channel after channel) as one
   * Float32Array view per channel (no copy on a little-endian machine).
   */
  function decodeBinary(meta, buffer) {
    const bytes = checkBinaryMeta(meta);
    if (!buffer || typeof buffer.byteLength !== "number") throw new Error("dataset: no body");
    if (buffer.byteLength !== bytes) {
      throw new Error(`dataset: the body has ${buffer.byteLength} bytes, expected ${bytes} (${meta.names.length} × ${meta.length} float32)`);
    }
    const all = new Uint8Array(buffer);
    const step = meta.length * 4;
    const arrays = meta.names.map((_, i) => float32FromBytes(all.subarray(i * step, (i + 1) * step)));
    return { rate: meta.rate, length: meta.length, names: meta.names.map(String), channels: arrays, ranges: arrays.map(extent) };
  }

  return {
    decodeBase64Url, float32FromBytes, decodeDataset, extent, checkBinaryMeta, decodeBinary,
    PAYLOAD_VERSION, ENCODING, BINARY_VERSION, BINARY_ENCODING,
  };
});
