/**
 * stack: the pure parts of LiveChart's look (node --test).
 *   rowScale(lo, hi, k, n, gap)     a y scale [min, max] that puts [lo, hi] in row k of n stacked rows (row 0 on top,
 *                                   `gap` of the plot height between rows), so one uPlot draws every row sharing x;
 *   rowTicks(ranges, n, gap, out)   the one y axis of stacked rows: a few round values per row, as positions on a
 *                                   0..1 scale and their labels (each row labelled in its own channel's units);
 *   niceStep(span, count)           a 1/2/5 × 10^k step giving about `count` ticks over `span`;
 *   timeLabels(splits, incr)        UTC labels of epoch seconds: HH:MM, HH:MM:SS or HH:MM:SS.fff by the tick step,
 *                                   the date under the first tick (and where the day changes);
 *   fontPx(size)                    a checked font size (px).
 */

/** Where row k of n sits, as fractions of the plot height from the bottom: [bottom, top]. */
export function rowBand(k, n, gap) {
  const g = n > 1 ? gap : 0;
  const h = (1 - g * (n - 1)) / n;
  const top = 1 - k * (h + g);
  return [top - h, top];
}

/** A scale [min, max] in which [lo, hi] fills row k of n (row 0 on top). */
export function rowScale(lo, hi, k, n, gap) {
  const [bottom, top] = rowBand(k, n, gap);
  const span = (hi - lo) / (top - bottom);
  const min = lo - bottom * span;
  return [min, min + span];
}

/** A 1, 2 or 5 × 10^k step giving about `count` ticks over `span`. */
export function niceStep(span, count) {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/** Decimals that print a multiple of `step` exactly enough. */
function decimals(step) {
  return Math.max(0, Math.min(12, -Math.floor(Math.log10(step) + 1e-9)));
}

/**
 * The stacked rows' y axis: for each row k ([lo, hi] = ranges[k], the row's scale range) round values inside
 * it, placed on a 0..1 scale (0 = bottom of the plot). Fills `out` {pos: [], labels: []} (arrays reused).
 */
export function rowTicks(ranges, n, gap, out, perRow = 3) {
  out.pos.length = 0;
  out.labels.length = 0;
  for (let k = 0; k < n; k++) {
    const [lo, hi] = ranges[k];
    if (!(hi > lo)) continue;
    const [bottom, top] = rowBand(k, n, gap);
    const step = niceStep(hi - lo, perRow);
    const places = decimals(step);
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      out.pos.push(bottom + ((v - lo) / (hi - lo)) * (top - bottom));
      out.labels.push((Math.abs(v) < step * 1e-9 ? 0 : v).toFixed(places));
    }
  }
  return out;
}

/** UTC labels for ticks at epoch seconds `splits`, `incr` seconds apart. */
export function timeLabels(splits, incr) {
  let places = 0; // digits of milliseconds the step needs (0.5 s: 1, 0.25 s: 2, 0.004 s: 3)
  while (places < 3 && Math.abs(incr * 10 ** places - Math.round(incr * 10 ** places)) > 1e-6) places += 1;
  const cut = incr >= 60 ? 16 : places ? 20 + places : 19;
  let day = "";
  return splits.map((s, i) => {
    if (s === null || s === undefined || !Number.isFinite(s)) return null;
    const iso = new Date(Math.round(s * 1000)).toISOString(); // 2026-03-01T08:00:01.250Z
    const date = iso.slice(0, 10);
    const time = iso.slice(11, cut);
    const label = i === 0 || date !== day ? `${time}\n${date}` : time;
    day = date;
    return label;
  });
}

/** A font size in px (8 to 48), else the default. */
export function fontPx(size, fallback = 12) {
  return typeof size === "number" && Number.isFinite(size) && size >= 8 && size <= 48 ? size : fallback;
}
