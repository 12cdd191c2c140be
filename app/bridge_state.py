"""The tab's bridge state (applied thresholds, alerts, clicked points), checked before Python uses it.

The state lives in a memory dcc.Store of the tab and comes back with every bridge call as State, so anyone can
edit it in devtools. Like the bridge payload, it is never trusted: each part is rebuilt from its well-formed
entries, channel names come from the server's own list, and every entry dropped is named in one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import untrusted
from .contract import ALERT_LIMIT, MAX_CLICKS, MAX_INT

LEVELS = (-1e300, 1e300)  # thresholds and values: any finite level a float64 comparison handles


def _finite(value: Any, lo: float = LEVELS[0], hi: float = LEVELS[1]) -> bool:
    """A real JSON number (not a bool, NaN or infinity) in [lo, hi] (app/untrusted.py)."""
    try:
        untrusted.number(value, "tab state value", lo, hi)
    except untrusted.Rejected:
        return False
    return True


def _channel(value: Any, n_channels: int) -> bool:
    """An integer channel index of this dataset."""
    return untrusted.is_int(value) and 0 <= value < n_channels


def _thresholds(raw: Any, n_channels: int, problems: list[str]) -> dict[str, float]:
    """Applied thresholds: {"<channel index>": finite level}."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or len(raw) > n_channels:
        problems.append(f"tab state 'thresholds' is not an object of at most {n_channels} entries; cleared")
        return {}
    out, bad = {}, []
    for key, level in raw.items():
        text = str(key)
        if text.isascii() and text.isdigit() and len(text) <= 3 and int(text) < n_channels and _finite(level):
            out[str(int(text))] = float(level)
        else:
            bad.append(text[:20])
    if bad:
        problems.append(
            f"tab state: dropped {len(bad)} malformed threshold(s) ({', '.join(bad[:3])}); "
            f"expected channel 0-{n_channels - 1} → a finite number"
        )
    return out


def _entries(
    raw: Any, part: str, numbers: tuple[str, ...], n_channels: int, names: Sequence[str], limit: int
) -> tuple[list[dict], list[str]]:
    """Well-formed alert or click entries (channel in range, the named fields finite), names rebuilt."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [f"tab state '{part}' is not a list; cleared"]
    kept = []
    for entry in raw[: limit * 4]:  # bounded work: a tab keeps at most `limit`; more is forged
        if (
            isinstance(entry, dict)
            and _channel(entry.get("channel"), n_channels)
            and all(_finite(entry.get(k), *(LEVELS if k != "t" else (-MAX_INT, MAX_INT))) for k in numbers)
        ):
            kept.append(
                {"channel": entry["channel"], "name": names[entry["channel"]]}
                | {k: float(entry[k]) for k in numbers}
            )
    problems = []
    dropped = min(len(raw), limit * 4) - len(kept)
    if len(raw) > limit * 4:
        problems.append(f"tab state: '{part}' held {len(raw):,} entries; read the first {limit * 4}")
    if dropped:
        problems.append(
            f"tab state: dropped {dropped} malformed {part} entr{'y' if dropped == 1 else 'ies'}; expected "
            f"objects with a channel 0-{n_channels - 1} and finite {', '.join(numbers)}"
        )
    if len(kept) > limit:
        problems.append(f"tab state: '{part}' held {len(kept)} entries; kept the newest {limit}")
    return kept[:limit], problems


def clean_state(raw: Any, n_channels: int, names: Sequence[str]) -> tuple[dict, list[str]]:
    """The tab's bridge state rebuilt from its well-formed parts, and one line per problem found."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, ["tab state store is not an object; reset"]
    problems: list[str] = []
    state: dict[str, Any] = {}
    if "thresholds" in raw:
        state["thresholds"] = _thresholds(raw["thresholds"], n_channels, problems)
    alerts, notes = _entries(
        raw.get("alerts"), "alerts", ("t", "value", "threshold"), n_channels, names, ALERT_LIMIT
    )
    clicks, more = _entries(raw.get("clicks"), "clicks", ("t", "value"), n_channels, names, MAX_CLICKS)
    state.update(alerts=alerts, clicks=clicks)
    if "applied" in raw:  # the Apply click count last applied (app/bridge.py receive)
        if untrusted.is_int(raw["applied"]) and 0 <= raw["applied"] <= MAX_INT:
            state["applied"] = raw["applied"]
        else:
            problems.append("tab state 'applied' is not a click count; the thresholds are applied again")
    unknown = [str(k)[:20] for k in raw if k not in ("thresholds", "alerts", "clicks", "applied")]
    if unknown:
        more.append(f"tab state: ignored unknown key(s) {', '.join(unknown[:3])}")
    return state, problems + notes + more
