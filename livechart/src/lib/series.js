/**
 * series: the samples a LiveChart owns when it takes its data from props (not from the Tickless tab).
 * `data` = {names, rate, channels}: each channel is base64 (or base64url) text of little-endian float32
 * bytes, or a plain list of numbers (null for a missing sample). `extend` = one entry per channel in the
 * same forms, all the same length, appended to the end. Samples live in one Float32Array per channel that
 * grows by doubling; sample v (0, 1, 2, … counted since the data was set) sits at channel[v - start].
 * trimTo() drops old samples (live mode keeps what the window needs), so memory stays bounded.
 * Pure functions; they run under node --test.
 */
import codec from "../../../assets/js/10_codec.js";
import { message } from "./props.js";

/** A Float32Array from one channel entry (text or list), or throws an Error saying why. */
export function decodeChannel(entry) {
  if (typeof entry === "string") {
    const url = entry.includes("+") || entry.includes("/") ? entry.replace(/\+/g, "-").replace(/\//g, "_") : entry;
    const bytes = codec.decodeBase64Url(url.replace(/\s+/g, ""));
    return codec.float32FromBytes(bytes);
  }
  if (Array.isArray(entry)) {
    const out = new Float32Array(entry.length);
    for (let i = 0; i < entry.length; i++) {
      const v = entry[i];
      if (v === null || v === undefined) out[i] = NaN;
      else if (typeof v === "number") out[i] = v;
      else throw new Error(`item ${i} is ${JSON.stringify(v)}, not a number`);
    }
    return out;
  }
  throw new Error("is neither base64 text nor a list of numbers");
}

/** An empty series of `count` channels. */
export function emptySeries(names, rate) {
  return { names, rate, start: 0, length: 0, channels: names.map(() => new Float32Array(0)), ranges: names.map(() => [Infinity, -Infinity]), epoch: 0 };
}

/** Widen each channel's [min, max] with new samples (NaN skipped). */
function widen(range, values) {
  let [lo, hi] = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  range[0] = lo;
  range[1] = hi;
}

/**
 * Decode the `data` prop into a series; every problem becomes a message in `errors` and a safe value
 * (rate 1, names ch0…, channels cut to the shortest, an undecodable channel empty), never an exception.
 */
export function fromData(data, errors) {
  if (data === null || data === undefined) return emptySeries([], 1);
  if (typeof data !== "object" || Array.isArray(data) || !Array.isArray(data.channels)) {
    errors.push(message("data", data, "must be {names, rate, channels: [base64 text or number lists]}", "no data"));
    return emptySeries([], 1);
  }
  let rate = data.rate;
  if (!(typeof rate === "number" && Number.isFinite(rate) && rate > 0)) {
    errors.push(message("data.rate", rate, "must be a positive number of samples per second", 1));
    rate = 1;
  }
  const arrays = data.channels.map((entry, i) => {
    try {
      return decodeChannel(entry);
    } catch (err) {
      errors.push(message(`data.channels[${i}]`, typeof entry === "string" ? `${entry.length} characters` : entry, String(err.message || err), []));
      return new Float32Array(0);
    }
  });
  let names = data.names;
  const namesOk = Array.isArray(names) && names.length === arrays.length && names.every((n) => typeof n === "string");
  if (!namesOk) {
    const made = arrays.map((_, i) => `ch${i}`);
    if (names !== undefined && names !== null) errors.push(message("data.names", names, `must be ${arrays.length} strings, one per channel`, made));
    names = made;
  }
  const lengths = arrays.map((a) => a.length);
  const length = lengths.length ? Math.min(...lengths) : 0;
  if (lengths.some((n) => n !== length)) {
    errors.push(message("data.channels", lengths, "must all hold the same number of samples", `the first ${length} of each`));
  }
  const s = emptySeries(names, rate);
  s.channels = arrays.map((a) => (a.length === length ? a : a.slice(0, length)));
  s.length = length;
  s.channels.forEach((a, i) => widen(s.ranges[i], a));
  return s;
}

/** Room for at least `need` samples in every channel (doubling, keeping the samples held). */
function reserve(s, need) {
  if (s.channels.length && s.channels[0].length >= need) return;
  const size = Math.max(need, 2 * ((s.channels[0] && s.channels[0].length) || 0), 1024);
  s.channels = s.channels.map((old) => {
    const next = new Float32Array(size);
    next.set(old.subarray(0, s.length));
    return next;
  });
}

/**
 * Append the `extend` prop (one entry per channel, each the same length) to the series; returns the number
 * of samples appended (0 with a message when the value is malformed: nothing is appended then).
 */
export function append(s, extend, errors) {
  const entries = extend;
  if (!Array.isArray(entries) || entries.length !== s.names.length) {
    errors.push(message("extend", extend, `must be a list of ${s.names.length} entries, one per channel`, "nothing appended"));
    return 0;
  }
  let arrays;
  try {
    arrays = entries.map(decodeChannel);
  } catch (err) {
    errors.push(message("extend", extend, String(err.message || err), "nothing appended"));
    return 0;
  }
  const n = arrays.length ? arrays[0].length : 0;
  if (arrays.some((a) => a.length !== n)) {
    errors.push(message("extend", arrays.map((a) => a.length), "must give every channel the same number of samples", "nothing appended"));
    return 0;
  }
  if (!n) return 0;
  reserve(s, s.length + n);
  arrays.forEach((a, i) => {
    s.channels[i].set(a, s.length);
    widen(s.ranges[i], a);
  });
  s.length += n;
  return n;
}

/** Keep only the newest `keep` samples (compacting in place once twice that many are held). */
export function trimTo(s, keep) {
  if (s.length <= 2 * keep || keep < 1) return;
  const drop = s.length - keep;
  for (const a of s.channels) a.copyWithin(0, drop, s.length);
  s.start += drop;
  s.length = keep;
}

/** One past the newest sample's index. */
export function end(s) {
  return s.start + s.length;
}

/** Channel `c`'s samples [from, to) as a view (no copy); the caller keeps from ≥ start and to ≤ end. */
export function view(s, c, from, to) {
  return s.channels[c].subarray(from - s.start, to - s.start);
}
