"""Parquet (pyarrow): every integer/float/bool column a channel, a timestamp (or time-named) column the time, the
rate from the schema metadata or the times; read one batch at a time."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import contract
from .common import RATE_KEYS, Clock, DataError, Progress, Raw, is_time_name, time_seconds


def load_parquet(path: Path, progress: Progress) -> Raw:
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
        timelike = pa.types.is_timestamp(f.type) or (numeric and is_time_name(f.name) and len(schema) > 1)
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
    clock = Clock(lambda i: f"row {i + 1:,}")
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
                    secs = time_seconds(t.cast(pa.float64()).to_numpy(zero_copy_only=False))
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
    raw = Raw(values, names, rate, clock.start(), lambda i: f"row {i + 1:,}")
    raw.header_where = lambda i: "schema" if i < 0 else f"field {names[i]!r}"  # type: ignore[attr-defined]
    return raw
