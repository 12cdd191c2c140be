"""Reading values that come from the browser (URL, stores sent back as State, bridge payloads, inputs).

Anything a request carries may be forged: integers too big for a float, ±1e308, NaN, wrong types, long
strings, deep nesting. Every validator that reads client data goes through these few checks, so each bad
value is refused the same way: a `Rejected` error whose message names the field, shows the value (short,
one line) and says what is allowed. No check here converts before it has bounded the value, so none of
them can overflow, and each costs O(1) apart from `items`, which is O(its cap).
"""

from __future__ import annotations

import json
import math
import reprlib
from typing import Any

SHOW_CHARS = 40

_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = _repr.maxlong = SHOW_CHARS
_repr.maxlevel = 3
_KINDS = {
    bool: "a boolean",
    int: "an integer",
    str: "a string",
    list: "a list",
    tuple: "a list",
    dict: "an object",
}


class Rejected(ValueError):
    """A client value failed a check; the message is one plain line naming the field and what is allowed."""


def show(value: Any) -> str:
    """A short, one-line, safe rendering of an untrusted value for a message or a log line."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    try:
        text = _repr.repr(value)
    except (ValueError, RecursionError):  # ints beyond Python's digit limit, absurd nesting
        text = f"<{type(value).__name__}>"
    text = " ".join(text.split())
    return text if len(text) <= SHOW_CHARS else text[: SHOW_CHARS - 1] + "…"


def kind(value: Any) -> str:
    """The JSON kind of a value, in words, for type errors."""
    if value is None:
        return "null"
    if isinstance(value, float):
        return "a number with a fraction or exponent" if math.isfinite(value) else "a non-finite number"
    return _KINDS.get(type(value), f"a {type(value).__name__}")


def _fmt(x: float) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def _fail(field: str, value: Any, allowed: str, *, with_kind: bool = True) -> Rejected:
    got = f", got {kind(value)}" if with_kind else ""
    return Rejected(f"invalid {field} {show(value)}: expected {allowed}{got}")


def is_int(value: Any) -> bool:
    """A JSON integer (a bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def number(value: Any, field: str, lo: float | None = None, hi: float | None = None) -> float:
    """A finite JSON number (int or float, not bool) in [lo, hi], as a float.

    The range is checked before any conversion, so an integer of any size is refused, not overflowed.
    """

    def allowed() -> str:  # the message is built only for a value refused (a bridge call checks ~20 fields)
        return "a finite number" + (
            f" from {_fmt(lo)} to {_fmt(hi)}" if lo is not None and hi is not None else ""
        )

    if not (is_int(value) or (isinstance(value, float) and math.isfinite(value))):
        raise _fail(field, value, allowed())
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise _fail(field, value, allowed(), with_kind=False)
    if is_int(value) and abs(value) > 1e300:
        raise _fail(field, value, "a finite number of at most 1e300 in size", with_kind=False)
    return float(value)


def integer(value: Any, field: str, lo: int, hi: int) -> int:
    """A JSON integer (not bool, not 2.0) in [lo, hi]."""
    if not is_int(value):
        raise _fail(field, value, f"an integer from {_fmt(lo)} to {_fmt(hi)}")
    if not lo <= value <= hi:
        raise _fail(field, value, f"an integer from {_fmt(lo)} to {_fmt(hi)}", with_kind=False)
    return value


def flag(value: Any, field: str) -> bool:
    """A JSON boolean."""
    if not isinstance(value, bool):
        raise _fail(field, value, "true or false")
    return value


def text(value: Any, field: str, max_len: int, choices: tuple[str, ...] | None = None) -> str:
    """A string of at most max_len characters (and, if given, one of `choices`)."""
    allowed = f"one of {', '.join(choices)}" if choices else f"a string of at most {max_len:,} characters"
    if not isinstance(value, str):
        raise _fail(field, value, allowed)
    if len(value) > max_len or (choices is not None and value not in choices):
        raise _fail(field, value, allowed, with_kind=False)
    return value


def items(value: Any, field: str, max_len: int, what: str = "items") -> list:
    """A JSON list of at most max_len entries (the entries themselves are the caller's to check)."""
    allowed = f"a list of at most {max_len:,} {what}"
    if not isinstance(value, list):
        raise _fail(field, value, allowed)
    if len(value) > max_len:
        raise Rejected(f"invalid {field}: {len(value):,} entries; expected {allowed}")
    return value


def mapping(value: Any, field: str, max_len: int, what: str = "entries") -> dict:
    """A JSON object of at most max_len keys."""
    allowed = f"an object of at most {max_len:,} {what}"
    if not isinstance(value, dict):
        raise _fail(field, value, allowed)
    if len(value) > max_len:
        raise Rejected(f"invalid {field}: {len(value):,} keys; expected {allowed}")
    return value


def json_depth(value: Any, limit: int) -> int:
    """How deeply lists and objects nest in a parsed JSON value, counting at most up to limit + 1."""
    depth, level = 0, [value]
    while level and depth <= limit:
        nxt = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        if not nxt and not any(isinstance(item, dict | list) for item in level):
            break
        depth += 1
        level = nxt
    return depth
