"""What every loader of app/datafile shares: the `Dataset` it produces, the `DataError` it raises, and the checks
and time-column handling the formats have in common (`finish` turns a loader's `Raw` into the read-only Dataset).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .. import contract

Progress = Callable[[float], None] | None

CONVERT_SAMPLES = 4 * 1024 * 1024  # samples converted to float32 per slice (NPY, WAV)
NULL_TOKENS = ("", "nan", "NaN", "NAN", "NA", "N/A", "null", "NULL", "None")
TIME_NAMES = {"t", "time", "times", "timestamp", "datetime", "date", "epoch", "seconds", "secs", "sec", "s"}
RATE_KEYS = ("rate", "sample_rate", "samplerate", "fs", "sr")
NAMES_KEYS = ("names", "channel_names", "channels")
TIME_KEYS = ("time", "t", "times", "timestamps", "timestamp")
EPOCH_S = 1e8  # a numeric time column whose first value is at least this is epoch seconds (after 1973)
EPOCH_MS = 1e11  # ... and at least this, epoch milliseconds


class DataError(ValueError):
    """A file Tickless cannot show; the message names the file and the place (line/column, field, byte)."""


class Shaped:
    """Channel and sample counts of a (channels x samples) `values` array: a file's Dataset and a tab's TabData."""

    values: np.ndarray

    @property
    def channels(self) -> int:
        return int(self.values.shape[0])

    @property
    def length(self) -> int:
        return int(self.values.shape[1])


@dataclass(frozen=True, eq=False)
class Dataset(Shaped):
    """One dataset as the serving path takes it: float32 (channels x samples), rate, names, start time."""

    values: np.ndarray
    rate: int
    names: tuple[str, ...]
    start: float | None = None  # epoch seconds of sample 0, when the file has timestamps
    source: str = ""  # what the page calls it: the file's name, or "built-in signal"
    notes: tuple[str, ...] = field(default_factory=tuple)  # what the loader did that the user should know

    @property
    def seconds(self) -> float:
        return self.length / self.rate

    @cached_property
    def key(self) -> str:
        """A content hash of the samples and metadata (16 hex digits): the same data, the same key."""
        digest = hashlib.blake2b(digest_size=8)
        digest.update(repr((self.rate, self.names, self.start, self.values.shape)).encode())
        digest.update(memoryview(np.ascontiguousarray(self.values)).cast("B"))
        return digest.hexdigest()

    def default_window(self) -> int:
        """Points per trace a fresh tab shows: about 5 s of data, within the contract and the data's length."""
        lo, hi = contract.WINDOW
        return int(
            min(max(lo, round(self.rate * contract.DATA_WINDOW_SECONDS)), max(lo, min(hi, self.length)))
        )

    def window_max(self) -> int:
        """The widest window worth asking for: the data's length (the replay loops), within the contract."""
        lo, hi = contract.WINDOW
        return int(max(lo, min(hi, self.length)))


# --- what every loader returns, and the checks they share ------------------------------------------------


@dataclass
class Raw:
    values: np.ndarray  # float32 (channels, samples), owned by the loader
    names: list[str]
    rate: float | None = None  # from the file, if it says
    start: float | None = None
    where: Callable[[int], str] = lambda i: f"sample {i + 1:,}"  # noqa: E731  a sample index -> a place
    notes: list[str] = field(default_factory=list)


def check_names(names: list[str], where: Callable[[int], str]) -> list[str]:
    """Channel names: at most the contract's channels, each short, non-empty (else chN) and unique."""
    top = contract.CHANNELS[1]
    if len(names) > top:
        raise DataError(f"{where(-1)}: {len(names)} channels; at most {top}")
    if not names:
        raise DataError(f"{where(-1)}: no channels (no numeric columns)")
    out = []
    for i, name in enumerate(names):
        name = str(name).strip() or f"ch{i + 1}"
        if len(name) > contract.MAX_NAME:
            raise DataError(
                f"{where(i)}: the channel name is {len(name):,} characters; at most {contract.MAX_NAME}"
            )
        if name in out:
            raise DataError(f"{where(i)}: a second channel named {name!r}; names must be unique")
        out.append(name)
    return out


def nan_runs(mask: np.ndarray) -> tuple[int, int]:
    """(start, length) of the longest run of True in a boolean array; (0, 0) when it has none."""
    if not mask.any():
        return 0, 0
    edges = np.diff(np.concatenate(([False], mask, [False])).view(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    k = int(np.argmax(ends - starts))
    return int(starts[k]), int(ends[k] - starts[k])


def finish(raw: Raw, rate: float | None, label: str) -> Dataset:
    """Shared checks (size, names, infinities, runs of NaN, rate) and the read-only Dataset."""
    values = raw.values
    channels, length = values.shape
    names = check_names(raw.names, header_place(raw))
    if length == 0:
        raise DataError("no data: the file has a header but no samples")
    total = channels * length
    if total > contract.DATA_MAX_SAMPLES:
        raise DataError(f"{channels} x {length:,} = {total:,} samples; at most {contract.DATA_MAX_SAMPLES:,}")
    for c in range(channels):
        row = values[c]
        bad = ~np.isfinite(row)
        if not bad.any():
            continue
        inf = np.flatnonzero(np.isinf(row))
        if inf.size:
            raise DataError(
                f"{raw.where(int(inf[0]))}, channel {names[c]!r}: an infinite or out-of-range value"
            )
        start, run = nan_runs(bad)
        if run == length:
            raise DataError(f"channel {names[c]!r} holds no numbers (every value is empty or NaN)")
        if run > contract.DATA_MAX_NAN_RUN:
            raise DataError(
                f"{raw.where(start)}, channel {names[c]!r}: a run of {run:,} missing (empty or NaN) values; "
                f"at most {contract.DATA_MAX_NAN_RUN:,} in a row are drawn as a gap"
            )
    notes = list(raw.notes)
    chosen = rate if rate is not None else raw.rate
    if chosen is None:
        raise DataError("the file gives no sample rate (no time column, no rate field): pass --rate HZ")
    if not (math.isfinite(chosen) and chosen > 0):
        raise DataError(f"sample rate {chosen!r} is not a positive number")
    whole = round(chosen)
    lo, hi = contract.RATE
    if not lo <= whole <= hi:
        raise DataError(f"sample rate {chosen:g} Hz is outside {lo:,}-{hi:,} Hz: pass --rate HZ")
    if abs(chosen - whole) > contract.DATA_RATE_TOLERANCE * chosen:
        raise DataError(
            f"the time column gives {chosen:.6g} samples/s, not a whole number of Hz: pass --rate HZ "
            "to replay it at a whole rate"
        )
    if rate is not None and raw.rate is not None and round(raw.rate) != whole:
        notes.append(f"rate {whole} Hz from --rate (the file says {raw.rate:g} Hz)")
    values.setflags(write=False)
    return Dataset(values, int(whole), tuple(names), raw.start, label, tuple(notes))


def header_place(raw: Raw) -> Callable[[int], str]:
    return getattr(raw, "header_where", None) or (lambda i: "header" if i < 0 else f"channel {i + 1}")


def time_seconds(t: np.ndarray) -> np.ndarray:
    """Numeric time values in seconds: epoch milliseconds are scaled down, anything else kept."""
    return t / 1000.0 if t.size and t[0] >= EPOCH_MS else t


class Clock:
    """Checks a time column chunk by chunk (strictly increasing), keeping only its ends: never the column."""

    def __init__(self, where: Callable[[int], str]):
        self.where, self.first, self.last, self.count, self.epoch = where, None, None, 0, False

    def add(self, t: np.ndarray, at: int) -> None:
        if t.size == 0:
            return
        nan = np.flatnonzero(np.isnan(t))
        if nan.size:
            raise DataError(f"{self.where(at + int(nan[0]))}: the time cell is empty")
        if self.first is None:
            self.first = float(t[0])
        elif not t[0] > self.last:
            raise DataError(
                f"{self.where(at)}: time {t[0]:.9g} is not after the row before ({self.last:.9g})"
            )
        back = np.flatnonzero(np.diff(t) <= 0)
        if back.size:
            i = int(back[0]) + 1
            raise DataError(
                f"{self.where(at + i)}: time {t[i]:.9g} is not after the row before ({t[i - 1]:.9g})"
            )
        self.last = float(t[-1])
        self.count += int(t.size)

    def rate(self) -> float | None:
        if self.count < 2:
            return None
        return (self.count - 1) / (self.last - self.first)

    def start(self) -> float | None:
        """Epoch seconds of the first sample when the times are absolute (dates, or epoch numbers)."""
        if self.first is None:
            return None
        return self.first if (self.epoch or self.first >= EPOCH_S) else None


def is_time_name(name: str) -> bool:
    base = re.sub(r"[\s_]*[\(\[][^\)\]]*[\)\]]\s*$", "", name.strip().lower())  # "time (s)", "t [ms]"
    return base in TIME_NAMES or base in {"time_s", "time_ms", "elapsed"}
