/**
 * clock: the replay clock. Maps wall time (ms, performance.now() timebase) to a playhead in samples,
 * with play/pause and speed changes that re-anchor so the playhead never jumps.
 * Pure functions over small immutable objects; they run under node --test.
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "clock", function () {
  "use strict";

  /** A clock at `start` samples, `rate` samples per second of data, playing at `speed` from `now`. */
  function createClock({ rate, start = 0, speed = 1, playing = true, now = 0 }) {
    if (!(rate > 0)) throw new Error(`clock: rate ${rate} must be positive`);
    if (!(speed > 0 && Number.isFinite(speed))) throw new Error(`clock: speed ${speed} must be positive`);
    return Object.freeze({ rate, speed, playing, anchorTime: now, anchorPos: start });
  }

  /** Playhead (fractional sample index) at wall time `now`. */
  function position(clock, now) {
    if (!clock.playing) return clock.anchorPos;
    return clock.anchorPos + ((now - clock.anchorTime) * clock.rate * clock.speed) / 1000;
  }

  /** End (exclusive) of the samples that are due at `now`: every index i <= playhead. */
  function dueEnd(clock, now) {
    return Math.floor(position(clock, now)) + 1;
  }

  /** Same clock re-anchored at `now`, with some fields changed. */
  function reanchor(clock, now, changes) {
    return Object.freeze(Object.assign({}, clock, { anchorPos: position(clock, now), anchorTime: now }, changes));
  }

  /** Change the replay speed at `now` (the playhead keeps its place). */
  function setSpeed(clock, speed, now) {
    if (!(speed > 0 && Number.isFinite(speed))) throw new Error(`clock: speed ${speed} must be positive`);
    return reanchor(clock, now, { speed });
  }

  /** Play or pause at `now`. */
  function setPlaying(clock, playing, now) {
    return reanchor(clock, now, { playing: Boolean(playing) });
  }

  /** Same clock with its playhead moved to `pos` at `now` (speed and play state kept). */
  function seek(clock, pos, now) {
    return Object.freeze(Object.assign({}, clock, { anchorPos: pos, anchorTime: now }));
  }

  /** Wall time at which sample `index` became (or will become) due, at the clock's current speed. */
  function dueTime(clock, index) {
    return clock.anchorTime + ((index - clock.anchorPos) * 1000) / (clock.rate * clock.speed);
  }

  return { createClock, position, dueEnd, setSpeed, setPlaying, seek, dueTime };
});
