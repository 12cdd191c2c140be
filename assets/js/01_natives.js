/**
 * natives: the browser's own string and number parsers back where Dash's polyfill put JavaScript ones.
 *
 * Dash loads @babel/polyfill 7 (core-js 2) before every other script. On today's Chromium core-js 2 finds
 * String.prototype.trim/trimStart/trimEnd (and trimLeft/trimRight, their old names), parseInt, parseFloat, Number.parseInt and Number.parseFloat
 * "non-compliant" (its whitespace test still counts U+180E, which Unicode 6.3 dropped) and replaces them
 * with JavaScript versions, whose toString still says "[native code]". plotly calls them on every draw
 * (tinycolor parses each colour it styles; d3's `classed` trims class names), so a Dash page draws the same
 * figure slower than a bare page does: 1-3% of the main thread in a CPU profile of a 4-channel panel.
 *
 * This file takes the pristine functions from a fresh realm (an about:blank iframe, removed at once) and puts
 * back only those the polyfill replaced (`restore`, a pure function: node --test). Nothing else of the
 * polyfill is touched. The names restored are kept in dash_clientside.tickless.natives.restored.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = Object.assign(api, { restored: api.restoreFromFreshRealm(root) });
})(typeof window !== "undefined" ? window : globalThis, "natives", function () {
  "use strict";

  /** [owner path, property] of every built-in core-js 2 replaces on Chromium. */
  const NAMES = [
    ["String.prototype", "trim"],
    ["String.prototype", "trimStart"],
    ["String.prototype", "trimEnd"],
    ["String.prototype", "trimLeft"],
    ["String.prototype", "trimRight"],
    ["", "parseInt"],
    ["", "parseFloat"],
    ["Number", "parseInt"],
    ["Number", "parseFloat"],
  ];

  /** The object at a dotted path under a global ("" is the global itself), or null. */
  function owner(global, path) {
    let obj = global;
    for (const key of path ? path.split(".") : []) {
      obj = obj == null ? null : obj[key];
    }
    return obj == null ? null : obj;
  }

  /**
   * Is `fn` a JavaScript function rather than a built-in? Asked with the pristine realm's
   * Function.prototype.toString: core-js hooks the page's own so that its replacements claim "[native code]".
   */
  function replaced(fn, pristine) {
    const toText = pristine.Function && pristine.Function.prototype && pristine.Function.prototype.toString;
    if (typeof fn !== "function" || typeof toText !== "function") return false;
    return !/\{\s*\[native code\]\s*\}\s*$/.test(toText.call(fn));
  }

  /**
   * Put back on `target` (a global) every function in `names` that is JavaScript there (replaced) with the
   * built-in of the same name on `pristine` (a fresh realm's global); keeps the property's enumerability.
   * Returns the dotted names restored.
   */
  function restore(target, pristine, names = NAMES) {
    const done = [];
    for (const [path, key] of names) {
      const to = owner(target, path);
      const from = owner(pristine, path);
      const fn = from && from[key];
      if (!to || typeof fn !== "function" || !replaced(to[key], pristine) || replaced(fn, pristine)) continue;
      const desc = Object.getOwnPropertyDescriptor(to, key);
      if (desc && !desc.configurable && !desc.writable) continue;
      Object.defineProperty(to, key, { value: fn, writable: true, configurable: true, enumerable: Boolean(desc && desc.enumerable) });
      done.push(path ? `${path}.${key}` : key);
    }
    return done;
  }

  /** In a browser: restore from an about:blank iframe's realm (removed right after); [] when there is none. */
  function restoreFromFreshRealm(global) {
    const doc = global.document;
    if (!doc || !doc.createElement || !doc.documentElement) return [];
    const frame = doc.createElement("iframe");
    frame.style.display = "none";
    try {
      doc.documentElement.appendChild(frame);
      const fresh = frame.contentWindow;
      return fresh ? restore(global, fresh) : [];
    } catch (err) {
      return [];
    } finally {
      frame.remove();
    }
  }

  return { NAMES, replaced, restore, restoreFromFreshRealm };
});
