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

The package has one module per idea: `common` (the Dataset, DataError and the checks every loader shares), one
per format (`csvfile`, `numpyfile`, `wavfile`, `parquetfile`), and this module's entry points (`load`,
`current`, `describe`, the CLI `python -m app.datafile`).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from .common import DataError, Dataset, Progress, Shaped, finish
from .csvfile import CSV_CHUNK_BYTES, load_csv
from .numpyfile import load_npy, load_npz
from .parquetfile import load_parquet
from .wavfile import WavFormat, load_wav, read_wav_header

__all__ = [
    "CSV_CHUNK_BYTES",
    "EXTENSIONS",
    "FORMATS",
    "DataError",
    "Dataset",
    "Progress",
    "Shaped",
    "WavFormat",
    "builtin",
    "current",
    "describe",
    "detect",
    "load",
    "main",
    "open_file",
    "payload",
    "read_wav_header",
]

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
        "csv": load_csv,
        "npy": load_npy,
        "npz": load_npz,
        "wav": load_wav,
        "parquet": load_parquet,
    }
    try:
        raw = loader[kind](path, progress)
    except DataError as err:
        raise DataError(f"{label}: {err}") from None
    except MemoryError:
        raise DataError(f"{label}: not enough memory to load {size:,} bytes") from None
    try:
        return finish(raw, rate, label)
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
    from .. import data

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
    from .. import data

    return data.payload(settings.channels, settings.rate, settings.seconds, settings.seed)


# --- the built-in signal, as a Dataset --------------------------------------------------------------------


@lru_cache(maxsize=4)
def builtin(channels: int, rate: int, seconds: float, seed: int) -> Dataset:
    """The synthetic signal (app/data.py) wrapped as the same Dataset object a file gives."""
    from .. import data

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
