/**
 * serialize: JSON text of any value, plotly event payloads included (they hold cycles, DOM nodes, the graph
 * div, functions and huge arrays), with depth, keys, array and string lengths limited. Never throws.
 * Pure; runs under node --test and in the browser as dash_clientside.tickless.serialize.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "serialize", function () {
  "use strict";

  const TYPED = /^(?:Int8|Uint8|Uint8Clamped|Int16|Uint16|Int32|Uint32|Float32|Float64|BigInt64|BigUint64)Array$/;

  /** Short label of a DOM node: "[HTMLElement div#id.a.b]", "[Node #text]". */
  function nodeLabel(node) {
    if (node.nodeType !== 1) return `[Node ${node.nodeName || node.nodeType}]`;
    const cls = typeof node.getAttribute === "function" ? node.getAttribute("class") : node.className;
    const classes = typeof cls === "string" && cls.trim() ? "." + cls.trim().split(/\s+/).join(".") : "";
    const tag = String(node.tagName || node.nodeName || "?").toLowerCase();
    return `[HTMLElement ${tag}${node.id ? "#" + node.id : ""}${classes}]`;
  }

  /** JSON text of any value (plotly event data included), with cycles, DOM nodes, functions and size limited; never throws. */
  function safeSerialize(value, options) {
    const opts = Object.assign({ maxDepth: 4, maxKeys: 30, maxArray: 20, maxString: 200, maxNodes: 5000 }, options);
    const stack = [];
    let nodes = 0;

    /** Plain JSON-safe copy of v at this depth. */
    function walk(v, depth) {
      if (v === null || typeof v === "boolean" || typeof v === "number") return v;
      if (typeof v === "string") {
        return v.length > opts.maxString ? `${v.slice(0, opts.maxString)}… (${v.length - opts.maxString} more chars)` : v;
      }
      if (typeof v === "undefined") return undefined; // dropped from objects, null in arrays, as JSON does
      if (typeof v === "bigint" || typeof v === "symbol") return typeof v === "bigint" ? `${v}n` : String(v);
      if (typeof v === "function") return `[Function ${v.name || "(anonymous)"}]`;
      if (stack.includes(v)) return "[Circular]";
      if (++nodes > opts.maxNodes) return "[Truncated]";
      if (typeof v.nodeType === "number" && ("nodeName" in v || "tagName" in v)) return nodeLabel(v);
      if (v.window === v) return "[Window]";
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      if (TYPED.test(tag)) {
        const head = Array.prototype.slice.call(v, 0, Math.min(5, opts.maxArray)).map(String);
        return `[${tag}(${v.length})${head.length ? " " + head.join(", ") : ""}${v.length > head.length ? " …" : ""}]`;
      }
      if (tag === "ArrayBuffer" || tag === "DataView") return `[${tag}(${v.byteLength} bytes)]`;
      if (tag === "Date") return Number.isNaN(v.getTime()) ? "[Invalid Date]" : v.toISOString();
      if (tag === "RegExp") return String(v);
      if (tag === "Map" || tag === "Set" || tag === "WeakMap" || tag === "WeakSet") {
        return `[${tag}${typeof v.size === "number" ? "(" + v.size + ")" : ""}]`;
      }
      if (v instanceof Error) return { name: v.name, message: walk(v.message, depth + 1) };
      const isArray = Array.isArray(v);
      if (depth >= opts.maxDepth) {
        const proto = Object.getPrototypeOf(v);
        return isArray ? `[Array(${v.length})]` : `[${(proto && proto.constructor && proto.constructor.name) || "Object"}]`;
      }
      stack.push(v);
      try {
        if (isArray) {
          const n = Math.min(v.length, opts.maxArray);
          const out = [];
          for (let i = 0; i < n; i++) out.push(read(v, i, depth));
          if (v.length > n) out.push(`… ${v.length - n} more`);
          return out;
        }
        const out = {};
        const keys = Object.keys(v);
        if (typeof v.type === "string" && typeof v.preventDefault === "function" && "target" in v) {
          for (const k of ["type", "clientX", "clientY", "button", "shiftKey", "ctrlKey", "altKey", "metaKey"]) {
            if (v[k] !== undefined) out[k] = read(v, k, depth);
          }
          return out; // a DOM Event: its fields live on the prototype
        }
        keys.slice(0, opts.maxKeys).forEach((k) => (out[k] = read(v, k, depth)));
        if (keys.length > opts.maxKeys) out["…"] = `${keys.length - opts.maxKeys} more keys`;
        return out;
      } finally {
        stack.pop();
      }
    }

    /** walk(obj[key]) where reading the property itself may throw (getters, proxies). */
    function read(obj, key, depth) {
      try {
        return walk(obj[key], depth + 1);
      } catch (err) {
        return `[Unreadable: ${err && err.message}]`;
      }
    }

    try {
      const text = JSON.stringify(walk(value, 0));
      return text === undefined ? "null" : text;
    } catch (err) {
      return JSON.stringify(`[Unserializable: ${err && err.message}]`);
    }
  }

  return { safeSerialize, nodeLabel };
});
