/**
 * outbox: the values LiveChart reports back to Dash (clickData, hoverData, xRange, fps), sent through
 * setProps at most once per `interval` ms and only when they changed: never per frame. A user action
 * (click, zoom, double-click) may ask for the next flush to go out at once. A frame meter counts the
 * frames drawn for the fps value. Pure functions; they run under node --test.
 */

/** An empty outbox. */
export function createOutbox() {
  return { pending: {}, sent: {}, lastFlush: -Infinity, urgent: false };
}

/** Stage `name` = `value` for the next flush (`urgent`: do not wait for the sampling interval). */
export function offer(box, name, value, urgent) {
  box.pending[name] = value;
  if (urgent) box.urgent = true;
}

/** Same value as last sent? (plain JSON values: compared by their JSON text) */
function same(a, b) {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The props to send at `now` ({name: value} with only changed values), or null when it is not time yet
 * or nothing changed. Marks them sent.
 */
export function flush(box, now, interval) {
  if (!box.urgent && now - box.lastFlush < interval) return null;
  const out = {};
  let any = false;
  for (const [name, value] of Object.entries(box.pending)) {
    if (name in box.sent && same(box.sent[name], value)) continue;
    out[name] = value;
    box.sent[name] = value;
    any = true;
  }
  box.pending = {};
  box.urgent = false;
  if (any) box.lastFlush = now;
  return any ? out : null;
}

/** A frames/s meter over a sliding period. */
export function createMeter(period = 1000) {
  return { period, start: null, count: 0, fps: 0 };
}

/** Count one drawn frame at `now`; returns the latest frames/s (updated once per period). */
export function tick(meter, now, drew) {
  if (meter.start === null) meter.start = now;
  if (drew) meter.count += 1;
  const span = now - meter.start;
  if (span >= meter.period) {
    meter.fps = Math.round((meter.count * 10000) / span) / 10;
    meter.start = now;
    meter.count = 0;
  }
  return meter.fps;
}
