"""Datasets as cacheable binaries: each one served once per browser from a URL named by its content hash.

The page's dataset store carries only where the samples are and their shape ({url, sha, bytes, rate, length,
names}); the page fetches `GET /tickless/data/<sha256>.f32` (assets/js/12_datafetch.js) and decodes it into the
same typed arrays as before. The body is the raw little-endian float32 samples, channel after channel
(channels x length, C order), so the browser views it without decoding. Because the name is the hash of those
bytes, the response never changes: `Cache-Control: public, max-age=31536000, immutable` and an `ETag` (the
hash), so a returning visitor's browser reads it from its cache and any revalidation gets 304.

On the wire: brotli (quality 5) or gzip (level 6) when the browser accepts it and it saves at least 3% (the
built-in signal: 4.8 MB raw → 4.1 MB br), compressed once per worker and dataset and kept; identity otherwise.
flask-compress leaves `application/octet-stream` alone, so nothing is compressed twice.

Any dataset can be served: `publish(values)` registers a (channels, length) array in this worker and returns
its hash; `store_payload(values, rate, names)` does that and returns the store's value. The registry is
content-addressed (not per user: anyone with the hash gets the same bytes) and bounded (MAX_DATASETS, least
recently published dropped first). For data that not every worker builds by itself (an upload received by one
gunicorn worker), `publish(values, spool=dir)` also writes `<dir>/<sha>.f32` (atomically), and a worker that
does not hold a hash looks there, checks the file's hash, and serves it.

Bad requests get a plain-text answer, bounded work, never a 500: a name that is not 64 hex digits + `.f32` or
a hash this server does not hold → 404; a method other than GET/HEAD → 405 (with `Allow`); a `Range` header is
ignored (the whole body, `Accept-Ranges: none`); `If-None-Match` is matched by substring, never parsed.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from flask import Flask, Response, request

PATH = "tickless/data/"  # under the app's routes prefix
SUFFIX = ".f32"
NAME = re.compile(r"([0-9a-f]{64})\.f32")
CACHE_CONTROL = "public, max-age=31536000, immutable"
MIMETYPE = "application/octet-stream"
PAYLOAD_VERSION = 2  # the store's dataset by reference (version 1: base64url text inline, app/data.py)
ENCODING = "float32le"
DTYPE = np.dtype("<f4")
MAX_DATASETS = 8  # per worker; the least recently published is dropped first
COMPRESS_MAX_BYTES = 64 * 2**20  # larger bodies go uncompressed (brotli would hold a worker for seconds)
MIN_SAVING = 0.97  # a compressed body is used only when it is at most this fraction of the raw one
BR_QUALITY = 5
GZIP_LEVEL = 6
CHUNK = 1 << 20  # bytes per write of an identity body (a copy of this size at a time, not of the whole)
SPOOL_KEY = (
    "TICKLESS_DATA_SPOOL"  # server.config: a directory other workers' published datasets are read from
)


class DataRouteError(ValueError):
    """An array that cannot be served as a dataset (wrong shape, empty)."""


@dataclass
class Entry:
    """One published dataset: its float32 bytes (a view of the array, no copy) and compressed forms."""

    sha: str
    array: np.ndarray  # C-contiguous '<f4', (channels, length): keeps `raw` alive
    encoded: dict[str, bytes | None] = field(default_factory=dict)  # "br"/"gzip" → body, None: not worth it
    pinned: bool = False  # the app's own dataset: never dropped to make room
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def raw(self) -> memoryview:
        return memoryview(self.array).cast("B")

    @property
    def nbytes(self) -> int:
        return int(self.array.nbytes)

    def body(self, encoding: str) -> bytes | None:
        """The body compressed with `encoding` ("br" or "gzip"), made once; None when it does not help."""
        if encoding not in self.encoded:
            with self.lock:
                if encoding not in self.encoded:
                    self.encoded[encoding] = _compress(self.raw, encoding) if self.nbytes else None
        return self.encoded[encoding]


def _compress(raw: memoryview, encoding: str) -> bytes | None:
    if len(raw) > COMPRESS_MAX_BYTES:
        return None
    if encoding == "br":
        import brotli

        body = brotli.compress(bytes(raw), quality=BR_QUALITY)
    else:
        body = gzip.compress(raw, GZIP_LEVEL, mtime=0)
    return body if len(body) <= MIN_SAVING * len(raw) else None


_entries: OrderedDict[str, Entry] = OrderedDict()
_registry_lock = threading.Lock()


def as_float32(values: np.ndarray) -> np.ndarray:
    """The (channels, length) array as C-contiguous little-endian float32 (no copy when it already is)."""
    array = np.ascontiguousarray(values, dtype=DTYPE)
    if array.ndim != 2 or array.shape[0] < 1 or array.shape[1] < 1:
        raise DataRouteError(
            f"a dataset is a (channels, length) array with both >= 1, got shape {array.shape}"
        )
    return array


def digest(array: np.ndarray) -> str:
    """sha256 (hex) of the array's float32 bytes, as served."""
    return hashlib.sha256(memoryview(as_float32(array)).cast("B")).hexdigest()


def publish(values: np.ndarray, *, spool: str | os.PathLike | None = None, pin: bool = False) -> str:
    """Serve `values` (channels x length) from this worker under its content hash; returns the hash.

    Publishing the same data again costs one hash and changes nothing. At most MAX_DATASETS unpinned datasets
    are kept (the least recently published goes first); `pin` keeps one for the worker's life (an app's own
    data). With `spool`, the bytes are also written to `<spool>/<sha>.f32` (if not there yet), so workers that
    did not publish it can serve it.
    """
    array = as_float32(values)
    sha = digest(array)
    with _registry_lock:
        entry = _entries.get(sha)
        if entry is None:
            if array.flags.writeable:  # served bytes must never change under their hash
                array = array.copy()
                array.setflags(write=False)
            entry = _entries[sha] = Entry(sha, array)
        entry.pinned = entry.pinned or pin
        _entries.move_to_end(sha)
        loose = [k for k, e in _entries.items() if not e.pinned]
        for old in loose[: max(0, len(loose) - MAX_DATASETS)]:
            del _entries[old]
    if spool is not None:
        _write_spool(Path(spool), entry)
    return sha


def _write_spool(folder: Path, entry: Entry) -> None:
    target = folder / f"{entry.sha}{SUFFIX}"
    if target.exists() and target.stat().st_size == entry.nbytes:
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=SUFFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(entry.raw)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def lookup(sha: str, spool: str | os.PathLike | None = None) -> Entry | None:
    """The published dataset with this hash: this worker's, else a spooled file whose bytes hash to it."""
    with _registry_lock:
        entry = _entries.get(sha)
    if entry is not None or spool is None or not NAME.fullmatch(sha + SUFFIX):
        return entry
    path = Path(spool) / f"{sha}{SUFFIX}"
    try:
        data = np.fromfile(path, dtype=DTYPE)
    except (OSError, ValueError):
        return None
    if data.size == 0 or hashlib.sha256(memoryview(data).cast("B")).hexdigest() != sha:
        return None  # a truncated or altered file is never served under the hash
    publish(data.reshape(1, -1))  # the bytes are what count; the shape travels in the page's store
    with _registry_lock:
        return _entries.get(sha)


def url_for(sha: str, requests_prefix: str = "/") -> str:
    """The URL the page fetches: `<requests prefix>tickless/data/<sha>.f32`."""
    return f"{requests_prefix}{PATH}{sha}{SUFFIX}"


def store_payload(
    values: np.ndarray,
    rate: float,
    names: Sequence[str],
    *,
    requests_prefix: str = "/",
    spool=None,
    pin: bool = False,
    **extra,
) -> dict:
    """The dataset store's value: where the samples are and their shape (publishes the data; see publish)."""
    array = as_float32(values)
    if len(names) != array.shape[0]:
        raise DataRouteError(f"{len(names)} names for {array.shape[0]} channels")
    sha = publish(array, spool=spool, pin=pin)
    return {
        "version": PAYLOAD_VERSION,
        "encoding": ENCODING,
        "url": url_for(sha, requests_prefix),
        "sha": sha,
        "bytes": int(array.nbytes),
        "rate": rate,
        "length": int(array.shape[1]),
        "names": [str(n) for n in names],
        **extra,
    }


def store_for(dataset, requests_prefix: str = "/", *, spool=None, pin: bool = False) -> dict:
    """The store's value for a dataset object (app/datafile/ `Dataset`: values, rate, names, start, source)."""
    extra = {k: getattr(dataset, k) for k in ("start", "source") if getattr(dataset, k, None) is not None}
    return store_payload(
        dataset.values,
        dataset.rate,
        list(dataset.names),
        requests_prefix=requests_prefix,
        spool=spool,
        pin=pin,
        **extra,
    )


def _text(status: int, message: str, **headers) -> Response:
    resp = Response(message + "\n", status=status, mimetype="text/plain")
    resp.headers.update(headers)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _chunks(raw: memoryview) -> Iterator[bytes]:
    for start in range(0, len(raw), CHUNK):
        yield bytes(raw[start : start + CHUNK])


def _accepts(header: str, coding: str) -> bool:
    """Whether Accept-Encoding lists `coding` with a q above 0 (bounded: only the first 1,000 characters)."""
    for part in header[:1000].split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() != coding:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "q":
                try:
                    q = float(value[:10])
                except ValueError:
                    q = 0.0
        return q > 0
    return False


def respond(sha: str, spool=None) -> Response:
    """The response to GET/HEAD of one dataset name (already split from the URL)."""
    entry = lookup(sha, spool)
    if entry is None:
        return _text(
            404,
            f"No dataset {sha[:16]}… on this server: the data has changed since this page was loaded. Reload it.",
        )
    headers = {
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
        "Accept-Ranges": "none",
        "X-Tickless-Bytes": str(entry.nbytes),
    }
    tag = f'"{sha}'  # every representation's ETag starts with the hash
    if (
        tag in request.headers.get("If-None-Match", "")
        or request.headers.get("If-None-Match", "").strip() == "*"
    ):
        resp = Response(status=304)
        resp.headers.update(headers)
        resp.headers["ETag"] = f'"{sha}"'
        return resp
    offered = request.headers.get("Accept-Encoding", "")
    for coding in ("br", "gzip"):
        if _accepts(offered, coding):
            body = entry.body(coding)
            if body is not None:
                resp = Response(body, status=200, mimetype=MIMETYPE)
                resp.headers.update(headers, ETag=f'"{sha}-{coding}"')
                resp.headers["Content-Encoding"] = coding
                return resp
    resp = Response(_chunks(entry.raw), status=200, mimetype=MIMETYPE)
    resp.headers.update(headers, ETag=f'"{sha}"')
    resp.headers["Content-Length"] = str(entry.nbytes)
    return resp


def install(server: Flask, routes_prefix: str = "/") -> None:
    """Add `GET/HEAD <routes prefix>tickless/data/<name>` to the Flask server (other methods: 405), and let
    browsers keep the page's versioned assets, so a returning visit transfers almost nothing."""

    def tickless_data(name: str) -> Response:
        match = NAME.fullmatch(name)
        if match is None:
            return _text(
                404, f"Not a dataset name: expected /{PATH}<64 hex digits>{SUFFIX}, got {name[:80]!r}"
            )
        return respond(match.group(1), server.config.get(SPOOL_KEY))

    server.add_url_rule(
        f"{routes_prefix}{PATH}<path:name>", "tickless_data", tickless_data, methods=["GET", "HEAD"]
    )
    assets, favicon = f"{routes_prefix}assets/", f"{routes_prefix}_favicon.ico"

    @server.after_request
    def _cache_versioned(resp: Response) -> Response:
        # Dash names every asset by its mtime (?m=) and the favicon by Dash's version (?v=): a changed file gets
        # a new URL, so the old one may be cached for good. Without this they are `no-cache`, and a reload
        # downloads them all again (flask-compress rewrites the ETag, so revalidation never gets a 304).
        if (
            request.method == "GET"
            and resp.status_code == 200
            and (
                (request.path.startswith(assets) and "m" in request.args)
                or (request.path == favicon and "v" in request.args)
            )
        ):
            resp.headers["Cache-Control"] = CACHE_CONTROL
        return resp
