/**
 * pushrx: the tab's side of server push as pure functions (node --test); 67_push.js glues it to Dash and plotly.
 *   createReceiver(opts)        the state of one push panel: the stream it listens to, what it has received,
 *                               the samples waiting to be drawn, and honest counters;
 *   accept(rx, msg, now, decode) apply one message (app/push.py encode): a newer stream is adopted (a reconnect
 *                               when there was one before), an older one ignored; overlaps are cut (each sample is
 *                               applied once), gaps counted as dropped; returns what happened;
 *   take(rx, now)               the samples due on screen now: produced at least `playout` ms ago, where playout
 *                               follows the network's jitter (the gap from one message's newest sample to the next
 *                               message's arrival), so frames come at the display's rate, not the network's;
 *   backoff(attempt, base, cap) the watchdog's wait before asking again.
 * Times are epoch milliseconds (the server stamps samples with its clock; same machine or NTP).
 */
(function (root, name, factory) {
  "use strict";
  const ns = root.dash_clientside && root.dash_clientside.tickless;
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  if (ns) ns[name] = api;
})(typeof window !== "undefined" ? window : globalThis, "pushrx", function () {
  "use strict";

  const JITTER_SAMPLES = 40; // messages the playout delay looks back over
  // a newer stream adopted while the current one was heard this recently is a handover (after a reconnect, Dash
  // re-runs its input-less push callback while the watchdog's request runs too: two streams for one reconnect)
  const HANDOVER_MS = 1500;

  /** A fresh receiver for `channels` (dataset indices) holding at most `cap` undrawn samples per channel. */
  function createReceiver({ channels = [], cap = 50000, playoutMaxMs = 2000, version = 1 } = {}) {
    return {
      version,
      channels: channels.slice(),
      cap,
      playoutMaxMs,
      run: 0, // the stream listened to (0: none yet)
      seq: -1, // its last message applied
      end: null, // index after the last sample received (null: nothing yet)
      drawnEnd: null, // index after the last sample handed to the screen
      pending: [], // [{start, cols: [Float32Array], t, dt}] received, not yet drawn
      pendingN: 0,
      rate: null,
      dropped: 0, // samples this tab never got (gaps in the numbering: server queue drops, source gaps, cuts here)
      duplicates: 0, // samples received twice (cut, never drawn twice)
      reconnects: 0, // newer streams adopted after the current one had gone quiet (the link came back)
      handovers: 0, // newer streams adopted while the current one still spoke (counted apart, not reconnects)
      serverDropped: 0, // the current stream's own count of queue drops (for the HUD's detail)
      messages: 0,
      lastHeard: null, // epoch ms of the last message of the current stream
      lastNewest: null, // production time of the newest sample received
      jitter: [], // recent (arrival - previous newest) gaps, ms
      playout: 0,
    };
  }

  /** Forget everything received for a new view (channels); the counters and the stream stay. */
  function resetView(rx, channels) {
    rx.channels = channels.slice();
    rx.pending = [];
    rx.pendingN = 0;
    rx.drawnEnd = rx.end;
  }

  /** Is `msg` shaped like a push message of this version? */
  function valid(msg, version) {
    return (
      msg &&
      typeof msg === "object" &&
      msg.v === version &&
      Number.isSafeInteger(msg.run) &&
      Number.isSafeInteger(msg.seq) &&
      Array.isArray(msg.ch) &&
      Array.isArray(msg.y) &&
      Number.isInteger(msg.n) &&
      msg.n >= 0
    );
  }

  /** The same channel list? */
  function sameChannels(a, b) {
    return a.length === b.length && a.every((c, k) => c === b[k]);
  }

  /** Drop the oldest undrawn samples past the cap (a tab that cannot draw keeps the newest), counted. */
  function bound(rx) {
    while (rx.pendingN > rx.cap && rx.pending.length) {
      const over = rx.pendingN - rx.cap;
      const head = rx.pending[0];
      const n = head.cols[0].length;
      if (n <= over) {
        rx.pending.shift();
        rx.pendingN -= n;
        rx.dropped += n;
      } else {
        rx.pending[0] = Object.assign({}, head, { start: head.start + over, cols: head.cols.map((c) => c.subarray(over)) });
        rx.pendingN -= over;
        rx.dropped += over;
      }
    }
  }

  /**
   * Apply one message at epoch ms `now`; `decode(text)` turns a channel's base64url into a Float32Array. Returns
   * "invalid", "stale" (an older stream), "other" (another view's channels), "keepalive" or "data".
   */
  function accept(rx, msg, now, decode) {
    if (!valid(msg, rx.version)) return "invalid";
    if (msg.run < rx.run) return "stale";
    if (msg.run > rx.run) {
      if (rx.run !== 0) {
        if (rx.lastHeard === null || now - rx.lastHeard >= HANDOVER_MS) rx.reconnects += 1;
        else rx.handovers += 1;
      }
      rx.run = msg.run;
      rx.seq = -1;
      rx.lastNewest = null;
    } else if (msg.seq <= rx.seq) {
      return "stale"; // delivered twice
    }
    rx.seq = msg.seq;
    rx.lastHeard = now;
    rx.messages += 1;
    if (Number.isFinite(msg.dropped)) rx.serverDropped = msg.dropped;
    if (!sameChannels(msg.ch, rx.channels)) return "other";
    if (msg.n === 0 || !Number.isSafeInteger(msg.start) || msg.y.length !== msg.ch.length) return "keepalive";
    if (rx.lastNewest !== null) {
      rx.jitter.push(Math.max(0, now - rx.lastNewest));
      if (rx.jitter.length > JITTER_SAMPLES) rx.jitter.shift();
      rx.playout = Math.min(rx.playoutMaxMs, Math.max(...rx.jitter));
    }
    rx.lastNewest = msg.t;
    rx.rate = msg.rate;
    let start = msg.start;
    let cols = msg.y.map(decode);
    const n = cols[0].length;
    if (cols.some((c) => c.length !== n) || n !== msg.n) return "invalid";
    if (rx.end === null) rx.end = start;
    if (rx.drawnEnd === null) rx.drawnEnd = start;
    if (start < rx.end) {
      const cut = Math.min(n, rx.end - start);
      rx.duplicates += cut;
      if (cut === n) return "data";
      cols = cols.map((c) => c.subarray(cut));
      start += cut;
    }
    if (start > rx.end) rx.dropped += start - rx.end;
    const count = cols[0].length;
    const dt = Number.isFinite(msg.dt) ? msg.dt : 0;
    rx.pending.push({ start, cols, t: msg.t, dt });
    rx.pendingN += count;
    rx.end = start + count;
    bound(rx);
    return "data";
  }

  /** Production time (epoch ms) of sample `index` of a pending chunk. */
  function producedAt(chunk, index) {
    const last = chunk.start + chunk.cols[0].length - 1;
    return chunk.t - (last - index) * chunk.dt;
  }

  /**
   * The samples to draw at epoch ms `now`: those produced at least `rx.playout` ms ago, as {from, to, x (seconds,
   * Float64Array), y: [Float32Array per channel], oldest (production time of the first)} or null. A gap in the
   * numbering ends the take (the next one starts after it).
   */
  function take(rx, now) {
    const limit = now - rx.playout;
    const parts = [];
    let to = null;
    while (rx.pending.length) {
      const chunk = rx.pending[0];
      if (to !== null && chunk.start !== to) break;
      const n = chunk.cols[0].length;
      // how many of this chunk's samples are due (they come due in order)
      let due = n;
      if (chunk.dt > 0) due = Math.max(0, Math.min(n, Math.floor((limit - producedAt(chunk, chunk.start)) / chunk.dt) + 1));
      else if (chunk.t > limit) due = 0;
      if (due === 0) break;
      if (due === n) {
        rx.pending.shift();
        parts.push(chunk);
      } else {
        parts.push({ start: chunk.start, cols: chunk.cols.map((c) => c.subarray(0, due)), t: producedAt(chunk, chunk.start + due - 1), dt: chunk.dt });
        rx.pending[0] = Object.assign({}, chunk, { start: chunk.start + due, cols: chunk.cols.map((c) => c.subarray(due)) });
      }
      rx.pendingN -= due;
      to = chunk.start + due;
      if (due < n) break;
    }
    if (!parts.length) return null;
    const from = parts[0].start;
    const count = to - from;
    const rate = rx.rate || 1;
    const x = new Float64Array(count);
    for (let k = 0; k < count; k++) x[k] = (from + k) / rate;
    const y = parts[0].cols.map((_, c) => {
      const out = new Float32Array(count);
      let at = 0;
      for (const p of parts) {
        out.set(p.cols[c], at);
        at += p.cols[c].length;
      }
      return out;
    });
    rx.drawnEnd = to;
    return { from, to, x, y, oldest: producedAt(parts[0], from) };
  }

  /** The watchdog's wait before its `attempt`-th request (0 first): base doubling up to cap. */
  function backoff(attempt, base, cap) {
    return Math.min(cap, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  }

  return { createReceiver, resetView, accept, take, backoff, producedAt };
});
