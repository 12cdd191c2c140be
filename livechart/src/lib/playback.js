/**
 * playback: where the live edge ("head", one past the newest sample shown) is at a given moment.
 *   - "replay": the data plays along a replay clock (Tickless's assets/js/20_clock.js) at `speed`, looped
 *     forever: sample v shows data[v % length] at time v / rate, like the Tickless tab's own engine.
 *   - "live": the head is the newest sample appended; pausing holds it (appends are still kept).
 *   - Tickless mode reads the tab's clock instead (see tickless.js); `playing`/`speed` belong to the tab.
 * The x range a following chart shows, the range drawn, and the range a user zoom freezes are here too.
 * Pure functions; they run under node --test.
 */
import clk from "../../../assets/js/20_clock.js";

/** A player for one data set: replay starts with the first window full, paused or playing. */
export function createPlayer(mode, rate, window, playing, speed, now) {
  const p = { mode, held: null, clock: null };
  if (mode === "replay") p.clock = clk.createClock({ rate, start: Math.max(0, window - 1), speed, playing, now });
  return p;
}

/** Apply `playing` and `speed` at `now` (the playhead keeps its place). */
export function control(p, playing, speed, now, liveEnd) {
  if (p.clock) {
    if (p.clock.speed !== speed) p.clock = clk.setSpeed(p.clock, speed, now);
    if (p.clock.playing !== playing) p.clock = clk.setPlaying(p.clock, playing, now);
  } else if (!playing && p.held === null) p.held = liveEnd;
  else if (playing) p.held = null;
}

/** The head (exclusive sample index) at `now`; `liveEnd` is the end of the data held (live mode). */
export function head(p, now, liveEnd) {
  if (p.clock) return clk.dueEnd(p.clock, now);
  return p.held === null ? liveEnd : Math.min(p.held, liveEnd);
}

/** The head of a Tickless tab clock (the same replay clock the tab's engine uses). */
export function clockHead(clock, now) {
  return clk.dueEnd(clock, now);
}

/**
 * The x range (seconds) of a chart following the live edge: the window ending at `head`, or, before a
 * window has arrived, the window starting at `first` (the chart fills from the left, then rolls).
 */
export function followRange(head, window, first, rate) {
  const end = Math.max(head, first + window);
  return [(end - window) / rate, (end - 1) / rate];
}

/** The samples [lo, hi) a following chart draws: the window before `head`, never before `first`. */
export function followSamples(head, window, first) {
  return { lo: Math.max(first, head - window), hi: Math.max(first, head) };
}

/** The samples [lo, hi) a frozen x range [x0, x1] (seconds) draws: what lies in it, up to `head`. */
export function frozenSamples(range, rate, first, head) {
  const lo = Math.max(first, Math.floor(range[0] * rate));
  const hi = Math.min(head, Math.ceil(range[1] * rate) + 1);
  return { lo, hi: Math.max(lo, hi) }; // empty (lo = hi) when the range holds nothing drawable
}
