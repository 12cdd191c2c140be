"""CSV / TSV / TXT: a header row (or none), a sniffed delimiter, an optional time column (seconds, epoch seconds
or milliseconds, ISO 8601), parsed by pyarrow a few MB at a time into the float32 array sized by a first pass."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from pathlib import Path

import numpy as np

from .. import contract
from .common import NULL_TOKENS, Clock, DataError, Progress, Raw, check_names, is_time_name, time_seconds

CSV_CHUNK_BYTES = 4 * 1024 * 1024  # bytes of CSV text pyarrow parses at a time


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


def load_csv(path: Path, progress: Progress) -> Raw:
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
    time_col = 0 if has_header and ncols > 1 and is_time_name(names[0]) else None
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
    check_names(data_names, header_where)
    rows = _count_rows(path, data_start, size)
    if rows * len(data_names) > contract.DATA_MAX_SAMPLES:
        raise DataError(
            f"{rows:,} rows x {len(data_names)} channels = {rows * len(data_names):,} samples; "
            f"at most {contract.DATA_MAX_SAMPLES:,}"
        )
    values = np.empty((len(data_names), rows), dtype=np.float32)
    clock = Clock(where)
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
    raw = Raw(values, data_names, clock.rate(), clock.start(), where)
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

    def seconds(self, col, clock: Clock) -> np.ndarray:
        """A chunk's time column as float64 seconds (timestamps: epoch seconds)."""
        pa = self.pa
        if pa.types.is_timestamp(col.type):
            clock.epoch = True
            scale = {"s": 1, "ms": 1e3, "us": 1e6, "ns": 1e9}[col.type.unit]
            ints = col.cast(pa.int64()).to_numpy(zero_copy_only=False)
            return ints.astype(np.float64) / scale
        return time_seconds(col.cast(pa.float64()).to_numpy(zero_copy_only=False))

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
