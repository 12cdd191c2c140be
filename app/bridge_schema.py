"""The bridge payload (v1) the browser samples into a hidden div, and its strict validation in Python.

The payload arrives from a data-* attribute or a dcc.Store that anyone can edit in devtools, so every field is
checked for type, finiteness and range before Python trusts it. Fatal problems reject the whole sample; problems
in optional parts (extra keys, clicks, event counts) drop just that part. Either way each problem becomes one
plain-English line that names the field, the bad value and what is allowed: nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from . import untrusted
from .contract import (
    BRIDGE_OPTIONAL as OPTIONAL,
)
from .contract import (
    BRIDGE_REQUIRED as REQUIRED,
)
from .contract import (
    BRIDGE_VERSION as VERSION,
)
from .contract import (
    CLICK_KEYS,
    MAX_CLICKS,
    MAX_EVENT_NAME,
    MAX_EVENTS,
    MAX_FPS,
    MAX_INT,
    MAX_PAYLOAD_BYTES,
    SPEED,
    WINDOW,
)
from .untrusted import kind as _kind
from .untrusted import show as _show

CLICK_TOLERANCE_S = 1.0  # slack past the playhead: the client's clock runs slightly ahead of the sample
EVENT_NAME = re.compile(r"plotly_[a-z_]+")  # used with fullmatch: "$" would accept a trailing newline


@dataclass(frozen=True)
class Click:
    """One point the user clicked: channel index, x in seconds of virtual time, y value, client epoch ms."""

    channel: int
    x: float
    y: float
    t: float


@dataclass(frozen=True)
class BridgeSample:
    """One validated bridge sample: what the browser showed and did at client time t."""

    seq: int
    t: float
    head: int
    window: int
    channels: tuple[int, ...]
    playing: bool
    speed: float
    fps: float
    clicks: tuple[Click, ...] = ()
    events: tuple[tuple[str, int], ...] = ()  # (event name, count) pairs, sorted by name
    v: int = VERSION

    @property
    def start(self) -> int:
        """Virtual index of the first sample on screen (the window is [start, head))."""
        return max(0, self.head - self.window)

    @property
    def event_counts(self) -> dict[str, int]:
        """The event counts as a fresh dict."""
        return dict(self.events)


_Reject = untrusted.Rejected  # a field failed validation; the message is the one line reported


def _got(value: Any) -> str:
    """The kind of a value followed by the value itself, e.g. "a list [1, 2]" or "null"."""
    return _kind(value) if value is None else f"{_kind(value)} {_show(value)}"


def _number(value: Any, name: str, lo: float | None, hi: float | None, *, integer: bool) -> Any:
    """An int (bool excluded) or a finite number within [lo, hi] (app/untrusted.py); else raise _Reject."""
    field = f"bridge field '{name}'"
    if integer:
        return untrusted.integer(value, field, lo, hi)  # type: ignore[arg-type]
    return untrusted.number(value, field, lo, hi)


def _typed(value: Any, name: str, kind: type, allowed: str) -> Any:
    """Return value if it is of this JSON type (bool is not an int here); else raise _Reject."""
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise _Reject(f"invalid bridge field '{name}' {_show(value)}: expected {allowed}, got {_kind(value)}")
    return value


def _examples(items: list[Any], most: int = 3) -> str:
    shown = ", ".join(_show(item) for item in items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


_TOO_DEEP = "bridge payload is nested too deeply to read; expected a flat JSON object"


def _decode(raw: Any) -> Any:
    """Turn the raw attribute or Store value into a Python object, enforcing the size cap first."""
    if isinstance(raw, str):
        if len(raw) > MAX_PAYLOAD_BYTES:  # every character is at least one byte: no need to encode it
            raise _Reject(
                f"bridge payload is too large: {len(raw)} characters; expected at most {MAX_PAYLOAD_BYTES} bytes"
            )
        size = len(raw.encode("utf-8", "surrogatepass"))
        if size > MAX_PAYLOAD_BYTES:
            raise _Reject(f"bridge payload is too large: {size} bytes; expected at most {MAX_PAYLOAD_BYTES}")
        try:
            return json.loads(raw)
        except RecursionError:
            raise _Reject(_TOO_DEEP) from None
        except json.JSONDecodeError as exc:
            raise _Reject(
                f"bridge payload is not valid JSON: {exc.msg} at character {exc.pos} (starts {_show(raw)})"
            ) from None
        except ValueError:  # the only other ValueError: an integer with more digits than Python converts
            raise _Reject("bridge payload is not valid JSON: a number in it has too many digits") from None
    if isinstance(raw, dict):
        try:
            size = len(json.dumps(raw, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        except RecursionError:
            raise _Reject(_TOO_DEEP) from None
        except (TypeError, ValueError):
            raise _Reject(
                "bridge payload holds values JSON cannot carry; expected a plain JSON object"
            ) from None
        if size > MAX_PAYLOAD_BYTES:
            raise _Reject(
                f"bridge payload is too large: {size} bytes as JSON; expected at most {MAX_PAYLOAD_BYTES}"
            )
        return raw
    raise _Reject(f"bridge payload must be a JSON string or a dict, got {_got(raw)}")


def _channels(value: Any, n_channels: int) -> tuple[int, ...]:
    """Validate the list of channel indices on screen: unique ints in 0..n_channels-1, possibly empty."""
    allowed = f"a list of unique channel indices from 0 to {n_channels - 1}"
    _typed(value, "channels", list, allowed)
    seen: list[int] = []
    for i, item in enumerate(value):
        channel = _number(item, f"channels[{i}]", 0, n_channels - 1, integer=True)
        if channel in seen:
            raise _Reject(
                f"invalid bridge field 'channels': channel {channel} is listed twice; expected {allowed}"
            )
        seen.append(channel)
    return tuple(seen)


def _click(item: Any, name: str, n_channels: int, lo_s: float, hi_s: float, notes: list[str]) -> Click:
    """Validate one click against the channels and the window on screen; raise _Reject to drop it."""
    if not isinstance(item, dict):
        raise _Reject(f"dropped '{name}' {_show(item)}: expected an object with channel, x, y and t")
    for key in CLICK_KEYS:
        if key not in item:
            raise _Reject(f"dropped '{name}': missing '{name}.{key}' (expected keys channel, x, y and t)")
    extra = [key for key in item if key not in CLICK_KEYS]
    channel = _number(item["channel"], f"{name}.channel", 0, n_channels - 1, integer=True)
    x = _number(item["x"], f"{name}.x", None, None, integer=False)
    y = _number(item["y"], f"{name}.y", None, None, integer=False)
    t = _number(item["t"], f"{name}.t", 0, MAX_INT, integer=False)
    if not lo_s <= x <= hi_s:
        raise _Reject(
            f"dropped '{name}': '{name}.x' {x:g} s is not a time shown so far; "
            f"expected {lo_s:g} to {hi_s:g} s (the playhead plus {CLICK_TOLERANCE_S:g} s)"
        )
    if extra:
        notes.append(f"ignored unknown keys in bridge field '{name}': {_examples(extra)}")
    return Click(channel, x, y, t)


def _clicks(
    value: list[Any], head: int, window: int, n_channels: int, rate: int, notes: list[str]
) -> tuple[Click, ...]:
    """Keep the valid clicks among the newest MAX_CLICKS, noting every click dropped and why."""
    skipped = max(0, len(value) - MAX_CLICKS)
    if skipped:
        notes.append(
            f"bridge field 'clicks' has {len(value)} entries; expected at most {MAX_CLICKS}: "
            f"kept the last {MAX_CLICKS}, dropped the first {skipped}"
        )
    # a click may reach Python a whole bridge period after it happened, at up to 50x speed, so the
    # window may have moved far on: accept any time already shown, reject only the future
    lo_s = 0.0
    hi_s = head / rate + CLICK_TOLERANCE_S
    kept = []
    for i, item in enumerate(value[skipped:], start=skipped):
        try:
            kept.append(_click(item, f"clicks[{i}]", n_channels, lo_s, hi_s, notes))
        except _Reject as exc:
            message = str(exc)
            notes.append(message if message.startswith("dropped") else f"dropped 'clicks[{i}]': {message}")
    return tuple(kept)


def _events(value: Any, notes: list[str]) -> tuple[tuple[str, int], ...]:
    """Keep the well-formed event counts, noting each kind of entry dropped (with a few examples)."""
    if not isinstance(value, dict):
        notes.append(
            f"ignored bridge field 'events' {_show(value)}: expected an object of plotly_* event counts, "
            f"got {_kind(value)}"
        )
        return ()
    items = list(value.items())
    if len(items) > MAX_EVENTS:
        notes.append(
            f"bridge field 'events' has {len(items)} entries; expected at most {MAX_EVENTS}: "
            f"kept the first {MAX_EVENTS}, dropped {len(items) - MAX_EVENTS}"
        )
        items = items[:MAX_EVENTS]
    bad_names, bad_counts, kept = [], [], {}
    for key, count in items:
        if not (isinstance(key, str) and len(key) <= MAX_EVENT_NAME and EVENT_NAME.fullmatch(key)):
            bad_names.append(key)
        elif isinstance(count, int) and not isinstance(count, bool) and 0 <= count <= MAX_INT:
            kept[key] = count
        else:
            bad_counts.append(f"{key}={_show(count)}")
    if bad_names:
        notes.append(
            f"dropped {_entries(len(bad_names))} of bridge field 'events' with bad names ({_examples(bad_names)}); "
            f"expected names matching ^plotly_[a-z_]+$ of at most {MAX_EVENT_NAME} characters"
        )
    if bad_counts:
        notes.append(
            f"dropped {_entries(len(bad_counts))} of bridge field 'events' with bad counts "
            f"({', '.join(bad_counts[:3])}{' …' if len(bad_counts) > 3 else ''}); expected integers from 0 to {MAX_INT}"
        )
    return tuple(sorted(kept.items()))


_KEYS = frozenset(REQUIRED + OPTIONAL)
_REQUIRED = frozenset(REQUIRED)


def _well_formed(obj: dict, n_channels: int) -> BridgeSample | None:
    """The sample of a payload whose every field is plainly valid (no clicks, no event entry to drop), or None.

    The common path of a playing tab, at a fraction of the full check's cost; it accepts only what the full
    check accepts, with the same values, and anything else (a bad value, a click, an unknown key) goes to the
    full check, which names every problem.
    """
    if not _REQUIRED <= obj.keys() <= _KEYS:
        return None
    seq, t, head, window = obj["seq"], obj["t"], obj["head"], obj["window"]
    channels, playing, speed, fps = obj["channels"], obj["playing"], obj["speed"], obj["fps"]
    if not (
        type(seq) is int
        and 0 <= seq <= MAX_INT
        and type(head) is int
        and 0 <= head <= MAX_INT
        and type(window) is int
        and WINDOW[0] <= window <= WINDOW[1]
        and type(t) in (int, float)
        and 0 <= t <= MAX_INT  # NaN fails the comparison, infinity the bound
        and type(speed) in (int, float)
        and SPEED[0] <= speed <= SPEED[1]
        and type(fps) in (int, float)
        and 0 <= fps <= MAX_FPS
        and type(playing) is bool
        and obj["clicks"] == []
        and type(channels) is list
        and len(channels) <= n_channels
        and all(type(c) is int and 0 <= c < n_channels for c in channels)
        and len(set(channels)) == len(channels)
    ):
        return None
    if "events" in obj and obj["events"] != {}:
        return None
    return BridgeSample(
        seq, float(t), head, window, tuple(channels), playing, float(speed), float(fps), (), ()
    )


def parse_bridge(
    raw: str | dict | None, *, n_channels: int, rate: int, length: int
) -> tuple[BridgeSample | None, list[str]]:
    """Validate one bridge payload; return (sample or None, one plain-English line per problem found).

    None or empty input means nothing has been sampled yet and gives (None, []). `length` (samples per
    channel) is checked as a sanity bound on the caller's arguments; the playhead is a virtual index that
    keeps growing as the data loops, so it is bounded only by MAX_INT.
    """
    if n_channels < 1 or rate < 1 or length < 1:
        raise ValueError(
            f"parse_bridge needs n_channels, rate and length >= 1, got {n_channels}, {rate}, {length}"
        )
    if raw is None or (isinstance(raw, str | dict) and not raw):
        return None, []
    if isinstance(raw, str) and len(raw) <= MAX_PAYLOAD_BYTES and not raw.strip():
        return None, []
    try:
        obj = _decode(raw)
        if not isinstance(obj, dict):
            raise _Reject(f"bridge payload must be a JSON object, got {_got(obj)}")
        if "v" not in obj:
            raise _Reject(
                f"bridge payload is missing required field 'v' (the payload version); expected {VERSION}"
            )
        version = obj["v"]
        if not (isinstance(version, int) and not isinstance(version, bool) and version == VERSION):
            raise _Reject(f"unsupported bridge field 'v' {_show(version)}: expected version {VERSION}")
    except _Reject as exc:
        return None, [str(exc)]

    fast = _well_formed(obj, n_channels)
    if fast is not None:  # the common case: every field plainly valid, nothing to report
        return fast, []
    problems: list[str] = []
    notes: list[str] = []
    unknown = [key for key in obj if key not in REQUIRED and key not in OPTIONAL]
    if unknown:
        notes.append(
            f"ignored {len(unknown)} unknown bridge field{'s' if len(unknown) > 1 else ''}: {_examples(unknown)}"
        )
    missing = [key for key in REQUIRED if key not in obj]
    for key in missing:
        problems.append(f"bridge payload is missing required field '{key}'")

    checks = {
        "seq": lambda v: _number(v, "seq", 0, MAX_INT, integer=True),
        "t": lambda v: _number(v, "t", 0, MAX_INT, integer=False),
        "head": lambda v: _number(v, "head", 0, MAX_INT, integer=True),
        "window": lambda v: _number(v, "window", *WINDOW, integer=True),
        "channels": lambda v: _channels(v, n_channels),
        "playing": lambda v: _typed(v, "playing", bool, "true or false"),
        "speed": lambda v: _number(v, "speed", *SPEED, integer=False),
        "fps": lambda v: _number(v, "fps", 0, MAX_FPS, integer=False),
        "clicks": lambda v: _typed(
            v, "clicks", list, f"a list of at most {MAX_CLICKS} clicks (may be empty)"
        ),
    }
    fields: dict[str, Any] = {}
    for key, check in checks.items():
        if key in obj:
            try:
                fields[key] = check(obj[key])
            except _Reject as exc:
                problems.append(str(exc))
    if problems:
        return None, problems + notes

    clicks = _clicks(fields.pop("clicks"), fields["head"], fields["window"], n_channels, rate, notes)
    events = _events(obj["events"], notes) if "events" in obj else ()
    return BridgeSample(**fields, clicks=clicks, events=events), notes


def to_json(sample: BridgeSample) -> str:
    """Serialise a sample back to the v1 wire format (compact JSON), for tests and tools."""
    body = {"v": sample.v, **asdict(sample), "events": sample.event_counts}
    return json.dumps(body, separators=(",", ":"), allow_nan=False)
