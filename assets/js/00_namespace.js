/**
 * Tickless JS namespace: window.dash_clientside.tickless, merged into what is there, never replaced.
 * Every later file adds one sub-object (codec, clock, frames, metrics, stream) or clientside functions.
 */
(function (root) {
  "use strict";
  const dc = (root.dash_clientside = root.dash_clientside || {});
  dc.tickless = Object.assign({}, dc.tickless);
})(typeof window !== "undefined" ? window : globalThis);
