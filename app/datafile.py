"""Your own data: CSV, NPY/NPZ, WAV and Parquet files loaded into one in-memory `Dataset`.

Every loader produces the same object: a read-only float32 array (channels x samples), the sample rate, the
channel names and, when the file has timestamps, the epoch time of the first sample. The serving path (the
page's dataset store, the server strategies, the bridge's analytics) takes that object and nothing else.

Memory: a loader allocates the float32 array once, sized from the file's header or a cheap first pass
(CSV: counting newlines), and fills it in bounded chunks: CSV is parsed by pyarrow a few MB at a time, NPY
and WAV are memory-mapped and converted slice by slice, Parquet is read one batch at a time. Peak memory stays
near the float32 size (plus one chunk); only a CSV with blank lines pays one copy to trim its end.

A bad file raises `DataError` with one message naming the place (line and column, field, chunk or byte);
the CLI prints it and exits 2, the upload route returns it and the page keeps its current data.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from . import contract

Progress = Callable[[float], None] | None

FORMATS = ("csv", "npy", "npz", "wav", "parquet")
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".npy": "npy",
    ".npz": "npz",
    ".wav": "wav",
    ".wave": "wav",
    ".parquet": "parquet",
    ".pq": "parquet",
}
CSV_CHUNK_BYTES = 4 * 1024 * 1024  # bytes of CSV text pyarrow parses at a time
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


@dataclass(frozen=True, eq=False)
class Dataset:
    """One dataset as the serving path takes it: float32 (channels x samples), rate, names, start time."""

    values: np.ndarray
    rate: int
    names: tuple[str, ...]
    start: float | None = None  # epoch seconds of sample 0, when the file has timestamps
    source: str = ""  # what the page calls it: the file's name, or "built-in signal"
    notes: tuple[str, ...] = field(default_factory=tuple)  # what the loader did that the user should know

    @property
    def channels(self) -> int:
        return int(self.values.shape[0])

    @property
    def length(self) -> int:
        return int(self.values.shape[1])

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


# --- entry points ---------------------------------------------------------------------------------------


def detect(path: Path, name: str | None = None) -> str:
    """The file's format, from its extension (or the given name's), else from its first bytes."""
    ext = Path(name or path.name).suffix.lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    with open(path, "rb") as f:
        head = f.read(8)
    if head[:4] in (b"RIFF", b"RF64"):
        return "wav"
    if head[:6] == b"\x93NUMPY":
        return "npy"
    if head[:4] == b"PK\x03\x04":
        return "npz"
    if head[:4] == b"PAR1":
        return "parquet"
    return "csv"


def load(path, rate: float | None = None, progress: Progress = None, name: str | None = None) -> Dataset:
    """Load a file into a Dataset. `rate` (Hz) overrides the file's own; `name` is what messages call it."""
    path = Path(path)
    label = name or path.name
    try:
        size = path.stat().st_size
    except OSError as err:
        raise DataError(f"{label}: cannot read the file ({err.strerror or err})") from None
    if not path.is_file():
        raise DataError(f"{label}: not a file")
    if size == 0:
        raise DataError(f"{label}: the file is empty")
    kind = detect(path, name)
    loader = {
        "csv": _load_csv,
        "npy": _load_npy,
        "npz": _load_npz,
        "wav": _load_wav,
        "parquet": _load_parquet,
    }
    try:
        raw = loader[kind](path, progress)
    except DataError as err:
        raise DataError(f"{label}: {err}") from None
    except MemoryError:
        raise DataError(f"{label}: not enough memory to load {size:,} bytes") from None
    try:
        return _finish(raw, rate, label)
    except DataError as err:
        raise DataError(f"{label}: {err}") from None


_OPENED: dict[tuple[str, int], Dataset] = {}  # per process, read-only: the --data file


def open_file(path: str, rate: int | None = None, progress: Progress = None) -> Dataset:
    """The server's copy of the file named on the command line (or TICKLESS_DATA): loaded once per process."""
    key = (str(path), int(rate or 0))
    if key not in _OPENED:
        _OPENED.clear()  # one server dataset per process
        _OPENED[key] = load(path, rate, progress)
    return _OPENED[key]


def current(settings) -> Dataset:
    """The dataset these settings serve: the --data file, or the built-in signal. The one source of the
    server's samples, names and rate (the page's store, the server strategies, the bridge)."""
    if settings.data:
        return open_file(settings.data, settings.data_rate or None)
    return builtin(settings.channels, settings.rate, settings.seconds, settings.seed)


@lru_cache(maxsize=4)
def _file_payload(path: str, rate: int) -> dict:
    from . import data

    ds = open_file(path, rate or None)
    return {
        "version": data.PAYLOAD_VERSION,
        "encoding": data.ENCODING,
        "rate": ds.rate,
        "length": ds.length,
        "names": list(ds.names),
        "channels": [data.encode_channel(row) for row in ds.values],
        "start": ds.start,
        "source": ds.source,
    }


def payload(settings) -> dict:
    """The page's dataset store for these settings (app/data.py's format), built once per process."""
    if settings.data:
        return _file_payload(settings.data, settings.data_rate)
    from . import data

    return data.payload(settings.channels, settings.rate, settings.seconds, settings.seed)


# --- what every loader returns, and the checks they share ------------------------------------------------


@dataclass
class _Raw:
    values: np.ndarray  # float32 (channels, samples), owned by the loader
    names: list[str]
    rate: float | None = None  # from the file, if it says
    start: float | None = None
    where: Callable[[int], str] = lambda i: f"sample {i + 1:,}"  # noqa: E731  a sample index -> a place
    notes: list[str] = field(default_factory=list)


def _check_names(names: list[str], where: Callable[[int], str]) -> list[str]:
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


def _nan_runs(mask: np.ndarray) -> tuple[int, int]:
    """(start, length) of the longest run of True in a boolean array; (0, 0) when it has none."""
    if not mask.any():
        return 0, 0
    edges = np.diff(np.concatenate(([False], mask, [False])).view(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    k = int(np.argmax(ends - starts))
    return int(starts[k]), int(ends[k] - starts[k])


def _finish(raw: _Raw, rate: float | None, label: str) -> Dataset:
    """Shared checks (size, names, infinities, runs of NaN, rate) and the read-only Dataset."""
    values = raw.values
    channels, length = values.shape
    names = _check_names(raw.names, _header_place(raw))
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
        start, run = _nan_runs(bad)
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


def _header_place(raw: _Raw) -> Callable[[int], str]:
    return getattr(raw, "header_where", None) or (lambda i: "header" if i < 0 else f"channel {i + 1}")


def _time_seconds(t: np.ndarray) -> np.ndarray:
    """Numeric time values in seconds: epoch milliseconds are scaled down, anything else kept."""
    return t / 1000.0 if t.size and t[0] >= EPOCH_MS else t


class _Clock:
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


def _is_time_name(name: str) -> bool:
    base = re.sub(r"[\s_]*[\(\[][^\)\]]*[\)\]]\s*$", "", name.strip().lower())  # "time (s)", "t [ms]"
    return base in TIME_NAMES or base in {"time_s", "time_ms", "elapsed"}


# --- CSV --------------------------------------------------------------------------------------------------


def _is_number(text: str) -> bool:
    text = text.strip()
    if text in NULL_TOKENS:
        return True
    try:
        float(text)
    except ValueError:
        return False
    return True


def _sniff(sample: str) -> str:
    """The delimiter: csv.Sniffer over the first lines, among , ; tab |; a comma when it cannot tell."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        for delim in ("\t", ";", "|"):
            if delim in sample.splitlines()[0]:
                return delim
        return ","


def _load_csv(path: Path, progress: Progress) -> _Raw:
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(contract.DATA_MAX_HEADER_BYTES + 1)
    for bom, what in (
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
        (codecs.BOM_UTF32_LE, "UTF-32"),
    ):
        if head.startswith(bom):
            raise DataError(f"line 1: the text is {what}; save the CSV as UTF-8")
    nul = head.find(b"\x00")
    if nul != -1:
        line = head.count(b"\n", 0, nul) + 1
        raise DataError(f"line {line}: a NUL byte: not UTF-8 text (another encoding, or not a CSV file)")
    skip = 3 if head.startswith(codecs.BOM_UTF8) else 0
    end = head.find(b"\n", skip)
    if end == -1 and len(head) > contract.DATA_MAX_HEADER_BYTES:
        raise DataError(f"line 1: the header row is longer than {contract.DATA_MAX_HEADER_BYTES:,} bytes")
    first = head[skip : end if end != -1 else len(head)].rstrip(b"\r")
    try:
        header = first.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataError(
            f"line 1, byte {err.start + 1}: 0x{first[err.start]:02x} is not UTF-8 text; save the CSV as UTF-8"
        ) from None
    if not header.strip():
        raise DataError("line 1 is empty: expected a header row naming the columns")
    sample_text = head[skip:].decode("utf-8", errors="replace")
    delim = _sniff("\n".join(sample_text.splitlines()[:20]))
    cells = next(csv.reader([header], delimiter=delim))
    has_header = not all(_is_number(c) for c in cells)
    ncols = len(cells)
    names = [c.strip() for c in cells] if has_header else [f"ch{i + 1}" for i in range(ncols)]
    time_col = 0 if has_header and ncols > 1 and _is_time_name(names[0]) else None
    data_names = [n for i, n in enumerate(names) if i != time_col]
    first_line = 2 if has_header else 1
    data_start = skip + (end + 1 if has_header else 0)
    if has_header and end == -1:
        raise DataError("no data: the file has a header row but no data rows")

    def where(i: int) -> str:
        return f"line {first_line + i:,}" if exact["lines"] else f"data row {i + 1:,}"

    def header_where(i: int) -> str:
        if i < 0:
            return "line 1"
        col = i + (1 if time_col is not None and i >= time_col else 0) + 1
        return f"line 1, column {col}"

    exact = {"lines": True}
    top = contract.CHANNELS[1]
    if len(data_names) > top:
        raise DataError(f"line 1: {len(data_names)} data columns; at most {top} channels")
    _check_names(data_names, header_where)
    rows = _count_rows(path, data_start, size)
    if rows * len(data_names) > contract.DATA_MAX_SAMPLES:
        raise DataError(
            f"{rows:,} rows x {len(data_names)} channels = {rows * len(data_names):,} samples; "
            f"at most {contract.DATA_MAX_SAMPLES:,}"
        )
    values = np.empty((len(data_names), rows), dtype=np.float32)
    clock = _Clock(where)
    filled = 0
    parser = _CsvChunks(names, delim, time_col, first_line)
    for chunk, lines_in_chunk, line_no, done in _csv_chunks(path, data_start, size):
        table = parser.parse(chunk, lines_in_chunk, line_no)
        n = table.num_rows
        if n != lines_in_chunk:
            exact["lines"] = False  # blank lines were skipped: places are given as data rows
        if filled + n > rows:
            raise DataError(f"{where(filled)}: more rows than counted (the file changed while loading?)")
        for k, c in enumerate(i for i in range(ncols) if i != time_col):
            values[k, filled : filled + n] = table.column(c).to_numpy()
        if time_col is not None:
            clock.add(parser.seconds(table.column(time_col), clock), filled)
        filled += n
        del chunk, table  # so the next chunk's buffer is the only one alive
        if progress:
            progress(done / size)
    if filled < rows:  # blank lines: trim the end (the one copy a CSV may cost)
        values = values[:, :filled].copy()
    raw = _Raw(values, data_names, clock.rate(), clock.start(), where)
    raw.header_where = header_where  # type: ignore[attr-defined]
    return raw


def _count_rows(path: Path, start: int, size: int) -> int:
    """Data rows (an upper bound: blank lines count too) from the newlines after the header."""
    count = 0
    last = b"\n"
    with open(path, "rb") as f:
        f.seek(start)
        while block := f.read(CSV_CHUNK_BYTES):
            count += block.count(b"\n")
            last = block[-1:]
    if last != b"\n" and size > start:
        count += 1
    return count


def _csv_chunks(path: Path, start: int, size: int):
    """Chunks of whole lines: (a memoryview of the bytes, its number of lines, number of its first line relative
    to the data, bytes read so far). Each chunk is read straight into one new buffer (its carried-over partial
    line first), so only one chunk's bytes are alive at a time if the caller drops the last one."""
    line_no = 0
    carry = b""
    done = start
    with open(path, "rb") as f:
        f.seek(start)
        while True:
            buf = bytearray(len(carry) + CSV_CHUNK_BYTES)
            buf[: len(carry)] = carry
            got = f.readinto(memoryview(buf)[len(carry) :])
            done += got
            del buf[len(carry) + got :]
            if not got:
                if buf.strip():
                    yield memoryview(buf), buf.count(b"\n") + (0 if buf.endswith(b"\n") else 1), line_no, done
                return
            cut = buf.rfind(b"\n")
            if cut == -1:
                carry = bytes(buf)
                continue
            carry = bytes(buf[cut + 1 :])
            lines = buf.count(b"\n", 0, cut + 1)
            yield memoryview(buf)[: cut + 1], lines, line_no, done
            line_no += lines
            del buf


class _CsvChunks:
    """Parses one chunk of CSV lines with pyarrow (numbers as float32); on a bad chunk, finds the bad cell."""

    def __init__(self, names: list[str], delim: str, time_col: int | None, first_line: int):
        import pyarrow as pa
        import pyarrow.csv as pacsv

        self.pa, self.pacsv = pa, pacsv
        self.names, self.delim, self.time_col, self.first_line = names, delim, time_col, first_line
        self.cols = [f"c{i}" for i in range(len(names))]
        self.time_type = None  # decided by the first chunk: float64 (seconds) or a timestamp

    def _convert(self):
        pa = self.pa
        types = {c: pa.float32() for i, c in enumerate(self.cols) if i != self.time_col}
        if self.time_col is not None and self.time_type is not None:
            types[self.cols[self.time_col]] = self.time_type
        return self.pacsv.ConvertOptions(
            column_types=types,
            null_values=list(NULL_TOKENS),
            strings_can_be_null=False,
            quoted_strings_can_be_null=True,
        )

    def parse(self, chunk: memoryview, lines: int, line0: int):
        try:
            table = self.pacsv.read_csv(
                self.pa.BufferReader(self.pa.py_buffer(chunk)),
                read_options=self.pacsv.ReadOptions(
                    column_names=self.cols, use_threads=True, block_size=max(1 << 20, len(chunk) + 1)
                ),
                parse_options=self.pacsv.ParseOptions(delimiter=self.delim, newlines_in_values=False),
                convert_options=self._convert(),
            )
        except self.pa.ArrowInvalid as err:
            raise DataError(
                self._locate(chunk, line0)
                or f"lines {self.first_line + line0:,}-{self.first_line + line0 + lines - 1:,}: {err}"
            ) from None
        if self.time_col is not None:
            col = table.column(self.time_col)
            if self.time_type is None:
                kind = col.type
                if self.pa.types.is_timestamp(kind):
                    self.time_type = self.pa.timestamp(kind.unit, kind.tz)
                elif (
                    self.pa.types.is_integer(kind)
                    or self.pa.types.is_floating(kind)
                    or self.pa.types.is_null(kind)
                ):
                    self.time_type = self.pa.float64()
                else:
                    raise DataError(
                        self._locate(chunk, line0, time_only=True) or "column 1 (time) is not times"
                    )
        return table

    def seconds(self, col, clock: _Clock) -> np.ndarray:
        """A chunk's time column as float64 seconds (timestamps: epoch seconds)."""
        pa = self.pa
        if pa.types.is_timestamp(col.type):
            clock.epoch = True
            scale = {"s": 1, "ms": 1e3, "us": 1e6, "ns": 1e9}[col.type.unit]
            ints = col.cast(pa.int64()).to_numpy(zero_copy_only=False)
            return ints.astype(np.float64) / scale
        return _time_seconds(col.cast(pa.float64()).to_numpy(zero_copy_only=False))

    def _locate(self, chunk: memoryview, line0: int, time_only: bool = False) -> str | None:
        """The first bad line of a chunk pyarrow refused: ragged, not UTF-8, or a cell that is not a number."""
        ncols = len(self.names)
        for k, raw in enumerate(bytes(chunk).split(b"\n")):
            line = self.first_line + line0 + k
            raw = raw.rstrip(b"\r")
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                return f"line {line:,}, byte {err.start + 1}: 0x{raw[err.start]:02x} is not UTF-8 text"
            cells = next(csv.reader([text], delimiter=self.delim))
            if len(cells) != ncols:
                return f"line {line:,} has {len(cells)} fields; the header has {ncols}"
            for j, cell in enumerate(cells):
                if j == self.time_col:
                    if not (_is_number(cell) or _is_iso_time(cell)):
                        return f"line {line:,}, column {j + 1} ({self.names[j]!r}): {cell.strip()[:40]!r} is not a time"
                elif not time_only and not _is_number(cell):
                    return f"line {line:,}, column {j + 1} ({self.names[j]!r}): {cell.strip()[:40]!r} is not a number"
        return None


def _is_iso_time(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


# --- NPY / NPZ --------------------------------------------------------------------------------------------


def _orient(shape: tuple[int, ...], what: str) -> bool:
    """True when a 2-D array is (samples, channels) and must be transposed; refuses other shapes."""
    top = contract.CHANNELS[1]
    if len(shape) == 1:
        return False
    if len(shape) != 2:
        raise DataError(f"{what}: shape {shape}; expected 1-D (samples) or 2-D (channels x samples)")
    a, b = shape
    if a <= top and a <= b:
        return False
    if b <= top:
        return True
    raise DataError(f"{what}: shape {shape}: {min(a, b):,} channels; at most {top}")


def _numeric(dtype: np.dtype, what: str) -> None:
    if dtype.kind not in "biuf":
        raise DataError(f"{what}: dtype {dtype} is not real numbers")


def _to_float32(arr: np.ndarray, transpose: bool, out: np.ndarray | None = None, progress: Progress = None):
    """Copy a (possibly memory-mapped) 1-D or 2-D numeric array into float32 (channels, samples) in slices."""
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
        transpose = False
    channels = arr.shape[1] if transpose else arr.shape[0]
    length = arr.shape[0] if transpose else arr.shape[1]
    if channels * length > contract.DATA_MAX_SAMPLES:
        raise DataError(
            f"{channels} x {length:,} = {channels * length:,} samples; at most {contract.DATA_MAX_SAMPLES:,}"
        )
    out = np.empty((channels, length), dtype=np.float32) if out is None else out
    step = max(1, CONVERT_SAMPLES // max(1, channels))
    for a in range(0, length, step):
        b = min(length, a + step)
        out[:, a:b] = arr[a:b, :].T if transpose else arr[:, a:b]
        if progress:
            progress(b / length)
    return out


def _load_npy(path: Path, progress: Progress) -> _Raw:
    size = path.stat().st_size
    with open(path, "rb") as f:
        try:
            version = np.lib.format.read_magic(f)
            reader = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = reader(f, max_header_size=contract.DATA_MAX_HEADER_BYTES)
        except ValueError as err:
            raise DataError(f"header: not a valid .npy file ({err})") from None
        offset = f.tell()
    if dtype.hasobject:
        raise DataError("header: the array holds Python objects (pickled), not numbers")
    _numeric(dtype, "header")
    transpose = _orient(tuple(shape), "header")
    need = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    have = size - offset
    if have < need:
        raise DataError(
            f"truncated: the header says shape {tuple(shape)} of {dtype} ({need:,} bytes) but the file holds "
            f"{have:,} bytes of data"
        )
    if need == 0:
        raise DataError(f"header: shape {tuple(shape)} holds no samples")
    arr = np.memmap(
        path, dtype=dtype, mode="r", offset=offset, shape=tuple(shape), order="F" if fortran else "C"
    )
    values = _to_float32(arr, transpose, progress=progress)
    names = [f"ch{i + 1}" for i in range(values.shape[0])]
    return _Raw(values, names, where=lambda i: f"sample {i + 1:,}" if i >= 0 else "header")


def _load_npz(path: Path, progress: Progress) -> _Raw:
    import zipfile

    try:
        npz = np.load(path, allow_pickle=False)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        raise DataError(f"not a valid .npz (zip) file: {err}") from None
    with npz:
        keys = list(npz.files)
        lower = {k.lower(): k for k in keys}

        def read(key: str) -> np.ndarray:
            try:
                return npz[key]
            except ValueError as err:
                if "pickle" in str(err).lower() or "object" in str(err).lower():
                    raise DataError(f"field {key!r}: holds Python objects (pickled), not numbers") from None
                raise DataError(f"field {key!r}: {err}") from None
            except (zipfile.BadZipFile, OSError, EOFError, KeyError) as err:
                raise DataError(f"field {key!r}: truncated or corrupt ({err})") from None

        rate = start = None
        names: list[str] | None = None
        meta = set()
        for k in RATE_KEYS:
            if k in lower:
                key = lower[k]
                meta.add(key)
                value = read(key)
                if value.size != 1 or value.dtype.kind not in "iuf":
                    raise DataError(
                        f"field {key!r}: expected one number (the sample rate), got shape {value.shape}"
                    )
                rate = float(value.reshape(-1)[0])
                break
        for k in NAMES_KEYS:
            if k in lower and read(lower[k]).dtype.kind in "US":
                meta.add(lower[k])
                names = [str(n) for n in read(lower[k]).reshape(-1)]
                break
        clock = _Clock(lambda i: f"field 'time', sample {i + 1:,}")
        for k in TIME_KEYS:
            if k in lower:
                key = lower[k]
                meta.add(key)
                t = read(key)
                if t.ndim != 1:
                    raise DataError(f"field {key!r}: expected 1-D times, got shape {t.shape}")
                if t.dtype.kind == "M":
                    clock.epoch = True
                    t = t.astype("datetime64[ns]").astype(np.int64) / 1e9
                else:
                    _numeric(t.dtype, f"field {key!r}")
                    t = _time_seconds(t.astype(np.float64))
                clock.add(t, 0)
                break
        data_keys = [k for k in keys if k not in meta]
        if not data_keys:
            raise DataError(f"no data fields (found only {', '.join(keys) or 'nothing'})")
        if len(data_keys) == 1:
            arr = read(data_keys[0])
            _numeric(arr.dtype, f"field {data_keys[0]!r}")
            values = _to_float32(arr, _orient(arr.shape, f"field {data_keys[0]!r}"), progress=progress)
            default = [f"ch{i + 1}" for i in range(values.shape[0])]
        else:
            if len(data_keys) > contract.CHANNELS[1]:
                raise DataError(f"{len(data_keys)} data fields; at most {contract.CHANNELS[1]} channels")
            first = read(data_keys[0])
            length = first.shape[0] if first.ndim == 1 else -1
            values = np.empty((len(data_keys), max(length, 0)), dtype=np.float32)
            for c, key in enumerate(data_keys):
                arr = first if c == 0 else read(key)
                _numeric(arr.dtype, f"field {key!r}")
                if arr.ndim != 1 or arr.shape[0] != length:
                    raise DataError(
                        f"field {key!r}: shape {arr.shape}; every data field must be 1-D of the same length "
                        f"({data_keys[0]!r} has {length:,} samples)"
                    )
                values[c] = arr
                del arr
                if progress:
                    progress((c + 1) / len(data_keys))
            default = list(data_keys)
        if names is not None and len(names) != values.shape[0]:
            raise DataError(f"field 'names': {len(names)} names for {values.shape[0]} channels")
        if clock.count and clock.count != values.shape[1]:
            raise DataError(f"field 'time': {clock.count:,} times for {values.shape[1]:,} samples")
        if clock.count:
            rate = rate if rate is not None else clock.rate()
            start = clock.start()
    raw = _Raw(values, names or default, rate, start, lambda i: f"sample {i + 1:,}")
    raw.header_where = lambda i: "field 'names'" if i < 0 else f"channel {i + 1}"  # type: ignore[attr-defined]
    return raw


# --- WAV --------------------------------------------------------------------------------------------------

WAVE_FORMAT_PCM = 0x0001
WAVE_FORMAT_IEEE_FLOAT = 0x0003
WAVE_FORMAT_EXTENSIBLE = 0xFFFE
PCM_BITS = (8, 16, 24, 32)
FLOAT_BITS = (32, 64)


@dataclass
class WavFormat:
    tag: int
    channels: int
    rate: int
    block_align: int
    bits: int
    data_offset: int
    data_size: int


def read_wav_header(path: Path) -> WavFormat:
    """Walk a RIFF/WAVE file's chunks up to 'data'; every problem names the chunk, field or byte."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(12)
        if len(head) < 12:
            raise DataError(f"truncated: {len(head)} bytes, shorter than a WAV header (12)")
        if head[:4] == b"RF64":
            raise DataError("bytes 0-3: an RF64 (over 4 GB) WAV is not supported")
        if head[:4] != b"RIFF":
            raise DataError(f"bytes 0-3: {head[:4]!r} is not 'RIFF': not a WAV file")
        if head[8:12] != b"WAVE":
            raise DataError(f"bytes 8-11: {head[8:12]!r} is not 'WAVE': not a WAV file")
        fmt = None
        pos = 12
        while True:
            f.seek(pos)
            chunk = f.read(8)
            if len(chunk) < 8:
                raise DataError("truncated: no 'data' chunk" + ("" if fmt else " and no 'fmt ' chunk"))
            cid, csize = struct.unpack("<4sI", chunk)
            if cid == b"fmt ":
                if csize < 16:
                    raise DataError(f"'fmt ' chunk at byte {pos}: {csize} bytes, at least 16 expected")
                body = f.read(min(csize, 40))
                if len(body) < 16:
                    raise DataError(f"truncated: the 'fmt ' chunk at byte {pos} is cut short")
                tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", body[:16])
                if tag == WAVE_FORMAT_EXTENSIBLE:
                    if len(body) < 40:
                        raise DataError(
                            f"'fmt ' chunk at byte {pos}: EXTENSIBLE but {len(body)} bytes (40 expected)"
                        )
                    tag = struct.unpack("<H", body[24:26])[
                        0
                    ]  # the sub-format GUID starts with the format tag
                fmt = (tag, channels, rate, block_align, bits)
            elif cid == b"data":
                if fmt is None:
                    raise DataError(f"'data' chunk at byte {pos} comes before any 'fmt ' chunk")
                tag, channels, rate, block_align, bits = fmt
                return WavFormat(tag, channels, rate, block_align, bits, pos + 8, csize)
            pos += 8 + csize + (csize & 1)
            if pos > size:
                raise DataError(
                    f"truncated: the {cid.decode('latin-1')!r} chunk runs past the end of the file"
                )


def _load_wav(path: Path, progress: Progress) -> _Raw:
    size = path.stat().st_size
    w = read_wav_header(path)
    top = contract.CHANNELS[1]
    if w.channels == 0:
        raise DataError("'fmt ' chunk: 0 channels")
    if w.channels > top:
        raise DataError(f"'fmt ' chunk: {w.channels} channels; at most {top}")
    if w.rate == 0:
        raise DataError("'fmt ' chunk: sample rate 0")
    ok = (w.tag == WAVE_FORMAT_PCM and w.bits in PCM_BITS) or (
        w.tag == WAVE_FORMAT_IEEE_FLOAT and w.bits in FLOAT_BITS
    )
    if not ok:
        raise DataError(
            f"'fmt ' chunk: format 0x{w.tag:04x} with {w.bits}-bit samples is not supported "
            "(PCM 8/16/24/32-bit integers, IEEE float 32/64-bit)"
        )
    width = w.bits // 8
    if w.block_align != w.channels * width:
        raise DataError(f"'fmt ' chunk: block align {w.block_align}, expected {w.channels} x {width} bytes")
    have = size - w.data_offset
    if w.data_size > have:
        raise DataError(
            f"truncated: the 'data' chunk says {w.data_size:,} bytes but the file holds {have:,} "
            f"({have // w.block_align:,} of {w.data_size // w.block_align:,} frames)"
        )
    if w.data_size % w.block_align:
        raise DataError(
            f"'data' chunk: {w.data_size:,} bytes is not a whole number of {w.block_align}-byte frames "
            "(truncated mid-frame)"
        )
    frames = w.data_size // w.block_align
    if frames == 0:
        raise DataError("'data' chunk: no samples")
    if frames * w.channels > contract.DATA_MAX_SAMPLES:
        raise DataError(
            f"{w.channels} x {frames:,} = {frames * w.channels:,} samples; at most {contract.DATA_MAX_SAMPLES:,}"
        )
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=w.data_offset, shape=(w.data_size,))
    values = np.empty((w.channels, frames), dtype=np.float32)
    step = max(1, CONVERT_SAMPLES // w.channels)
    for a in range(0, frames, step):
        b = min(frames, a + step)
        block = raw[a * w.block_align : b * w.block_align]
        values[:, a:b] = _wav_samples(block, w).reshape(b - a, w.channels).T
        if progress:
            progress(b / frames)
    names = ["left", "right"] if w.channels == 2 else [f"ch{i + 1}" for i in range(w.channels)]
    return _Raw(values, names, float(w.rate), None, lambda i: f"frame {i + 1:,}")


def _wav_samples(block: np.ndarray, w: WavFormat) -> np.ndarray:
    """Interleaved samples of a byte block as float32 (integers scaled to [-1, 1))."""
    if w.tag == WAVE_FORMAT_IEEE_FLOAT:
        return block.view("<f4" if w.bits == 32 else "<f8").astype(np.float32)
    if w.bits == 8:  # unsigned, offset by 128
        return (block.astype(np.float32) - 128.0) / 128.0
    if w.bits == 16:
        return block.view("<i2").astype(np.float32) / 32768.0
    if w.bits == 32:
        return (block.view("<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
    b = block.reshape(-1, 3).astype(np.int32)  # 24-bit little-endian: assemble, then sign-extend
    ints = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8
    return ints.astype(np.float32) / 8388608.0


# --- Parquet ----------------------------------------------------------------------------------------------


def _load_parquet(path: Path, progress: Progress) -> _Raw:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise DataError(f"footer: not a valid Parquet file, or truncated ({err})") from None
    schema = pf.schema_arrow
    rows = pf.metadata.num_rows
    time_col = None
    data_cols = []
    for i, f in enumerate(schema):
        numeric = pa.types.is_integer(f.type) or pa.types.is_floating(f.type)
        timelike = pa.types.is_timestamp(f.type) or (numeric and _is_time_name(f.name) and len(schema) > 1)
        if time_col is None and timelike:
            time_col = i
            continue
        if not (pa.types.is_integer(f.type) or pa.types.is_floating(f.type) or pa.types.is_boolean(f.type)):
            raise DataError(f"field {f.name!r} (column {i + 1}) is {f.type}, not numbers")
        data_cols.append(i)
    names = [schema.field(i).name for i in data_cols]
    top = contract.CHANNELS[1]
    if len(names) > top:
        raise DataError(f"schema: {len(names)} numeric fields; at most {top} channels")
    if rows * max(1, len(names)) > contract.DATA_MAX_SAMPLES:
        raise DataError(
            f"{rows:,} rows x {len(names)} channels = {rows * len(names):,} samples; at most "
            f"{contract.DATA_MAX_SAMPLES:,}"
        )
    values = np.empty((len(names), rows), dtype=np.float32)
    clock = _Clock(lambda i: f"row {i + 1:,}")
    filled = 0
    columns = [schema.field(i).name for i in data_cols] + (
        [schema.field(time_col).name] if time_col is not None else []
    )
    try:
        for batch in pf.iter_batches(batch_size=1 << 20, columns=columns):
            n = batch.num_rows
            for k in range(len(names)):
                col = batch.column(k)
                values[k, filled : filled + n] = col.cast(pa.float32()).to_numpy(zero_copy_only=False)
            if time_col is not None:
                t = batch.column(len(names))
                if pa.types.is_timestamp(t.type):
                    clock.epoch = True
                    scale = {"s": 1, "ms": 1e3, "us": 1e6, "ns": 1e9}[t.type.unit]
                    secs = t.cast(pa.int64()).to_numpy(zero_copy_only=False).astype(np.float64) / scale
                else:
                    secs = _time_seconds(t.cast(pa.float64()).to_numpy(zero_copy_only=False))
                clock.add(secs, filled)
            filled += n
            if progress and rows:
                progress(filled / rows)
    except (pa.ArrowInvalid, OSError) as err:
        raise DataError(f"row {filled + 1:,}: the file is corrupt or truncated ({err})") from None
    meta = schema.metadata or {}
    rate = None
    for key in RATE_KEYS:
        if key.encode() in meta:
            try:
                rate = float(meta[key.encode()])
            except ValueError:
                raise DataError(
                    f"schema metadata {key!r}: {meta[key.encode()][:40]!r} is not a number"
                ) from None
            break
    if rate is None:
        rate = clock.rate()
    raw = _Raw(values, names, rate, clock.start(), lambda i: f"row {i + 1:,}")
    raw.header_where = lambda i: "schema" if i < 0 else f"field {names[i]!r}"  # type: ignore[attr-defined]
    return raw


# --- the built-in signal, as a Dataset --------------------------------------------------------------------


@lru_cache(maxsize=4)
def builtin(channels: int, rate: int, seconds: float, seed: int) -> Dataset:
    """The synthetic signal (app/data.py) wrapped as the same Dataset object a file gives."""
    from . import data

    values = data.dataset(channels, rate, seconds, seed)
    return Dataset(values, int(rate), tuple(data.channel_names(channels)), None, "built-in signal")


def describe(ds: Dataset) -> str:
    """One line for the page header and the CLI: what is playing."""
    when = ""
    if ds.start is not None:
        when = ", from " + dt.datetime.fromtimestamp(ds.start, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    plural = "channel" if ds.channels == 1 else "channels"
    return f"{ds.source}: {ds.channels} {plural} × {ds.seconds:,.4g} s at {ds.rate:,} Hz{when}"


def main(argv: list[str] | None = None) -> int:
    """`python -m app.datafile FILE [--rate HZ]`: load a file as the server would; say what it holds, how long
    it took and the memory it peaked at (numpy under tracemalloc, pyarrow's pool), or the one message, exit 2."""
    import argparse
    import sys
    import time
    import tracemalloc

    parser = argparse.ArgumentParser(prog="python -m app.datafile", description=main.__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--rate", type=float, default=None, help="sample rate in Hz (else the file's own)")
    args = parser.parse_args(argv)
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        ds = load(args.file, args.rate)
    except DataError as err:
        print(f"tickless: error: {err}", file=sys.stderr)
        return 2
    finally:
        seconds = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    import pyarrow as pa

    size = ds.values.nbytes
    print(describe(ds), *ds.notes, sep="\n  ")
    print(
        f"loaded in {seconds:.1f} s; float32 {size / 1e6:,.0f} MB; numpy peak {peak / 1e6:,.0f} MB "
        f"({peak / size:.2f}x); pyarrow pool peak {pa.default_memory_pool().max_memory() / 1e6:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
