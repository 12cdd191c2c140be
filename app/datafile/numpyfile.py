"""NPY (memory-mapped, converted slice by slice) and NPZ (one 2-D array, or 1-D arrays as channels, with optional
rate, names and time fields)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import contract
from .common import (
    CONVERT_SAMPLES,
    NAMES_KEYS,
    RATE_KEYS,
    TIME_KEYS,
    Clock,
    DataError,
    Progress,
    Raw,
    time_seconds,
)


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


def load_npy(path: Path, progress: Progress) -> Raw:
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
    return Raw(values, names, where=lambda i: f"sample {i + 1:,}" if i >= 0 else "header")


def load_npz(path: Path, progress: Progress) -> Raw:
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
        clock = Clock(lambda i: f"field 'time', sample {i + 1:,}")
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
                    t = time_seconds(t.astype(np.float64))
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
    raw = Raw(values, names or default, rate, start, lambda i: f"sample {i + 1:,}")
    raw.header_where = lambda i: "field 'names'" if i < 0 else f"channel {i + 1}"  # type: ignore[attr-defined]
    return raw
