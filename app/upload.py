"""The upload route: `POST /_tickless/upload?name=FILE[&rate=HZ]` with the file's bytes as the body.

Dash callbacks are capped at 64 KB (app/guard.py), so a file cannot travel through dcc.Upload's `contents` to a
Python callback. The page reads the file with dcc.Upload, posts its bytes here (assets/js/52_upload.js) and gets
back the dataset store's value for it: the samples published under their content hash (app/dataroute.py, the
same path the server's own dataset takes), or one message naming the problem. The page swaps its dataset only
on success, so a failed upload keeps the current data.

Bounded cost per request, whatever it says:
- the body is at most `contract.UPLOAD_MAX_BYTES` (413 from Content-Length, before a byte is read; a body that
  turns out longer than it said is cut at the cap), and a Content-Length is required (411);
- it is streamed to a temporary file 1 MB at a time, parsed by the loaders with their memory bounds, and the
  float32 result is at most `contract.UPLOAD_MAX_SAMPLES`;
- one upload is parsed at a time per worker: another one meanwhile gets 503 with Retry-After, never a queue;
- the published dataset is kept per worker among the few dataroute keeps, and in a spool folder every worker
  reads, pruned to the newest `SPOOL_KEEP` files.
Every refusal is JSON `{"error": "..."}` with a 4xx/503 status; never a 500.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import threading
from pathlib import Path

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import ClientDisconnected

from . import contract, datafile, dataroute

log = logging.getLogger("tickless")

READ_BYTES = 1 << 20
SPOOL_KEEP = 8  # spooled uploads kept (newest first); each is at most UPLOAD_MAX_SAMPLES x 4 bytes
_parsing = threading.BoundedSemaphore(1)  # one parse at a time per worker (not per-user state: a CPU bound)


def spool_dir() -> str:
    """Where every worker of this server finds the uploads one of them published (TICKLESS_DATA_SPOOL)."""
    folder = os.environ.get("TICKLESS_DATA_SPOOL") or os.path.join(
        tempfile.gettempdir(), f"tickless-spool-{os.getuid()}"
    )
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return folder


def _refuse(status: int, message: str, **headers) -> Response:
    log.warning("upload refused (%d): %s", status, message)
    resp = jsonify(error=message)
    resp.status_code = status
    for key, value in headers.items():
        resp.headers[key.replace("_", "-")] = value
    return resp


def clean_name(raw: str | None) -> str:
    """The file's name as messages show it: its last path part, printable, at most contract.MAX_TEXT chars."""
    name = re.split(r"[\\/]", str(raw or ""))[-1]
    name = "".join(ch for ch in name if ch.isprintable())[: contract.MAX_TEXT].strip()
    return name or "upload"


def read_rate(raw: str | None) -> int | None:
    """The rate the page asks for (empty: the file's own); ValueError names what is allowed."""
    text = str(raw or "").strip()
    if not text:
        return None
    lo, hi = contract.RATE
    if not re.fullmatch(r"\d{1,7}", text) or not lo <= int(text) <= hi:
        raise ValueError(f"rate {text[:20]!r} is not allowed: use a whole number of Hz from {lo} to {hi:,}")
    return int(text)


def _prune(folder: str) -> None:
    files = sorted(Path(folder).glob(f"*{dataroute.SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[SPOOL_KEEP:]:
        with contextlib.suppress(OSError):  # another worker pruned it first
            old.unlink()


def receive(requests_prefix: str = "/") -> Response:
    """Check, stream, parse and publish one upload; the store's value, or one message."""
    size = request.content_length
    cap = contract.UPLOAD_MAX_BYTES
    if size is None:
        return _refuse(411, "the upload needs a Content-Length")
    if size > cap:
        return _refuse(413, f"the file is {size:,} bytes; uploads are at most {cap:,} bytes")
    if size == 0:
        return _refuse(400, f"{clean_name(request.args.get('name'))}: the file is empty")
    name = clean_name(request.args.get("name"))
    try:
        rate = read_rate(request.args.get("rate"))
    except ValueError as err:
        return _refuse(400, str(err))
    if not _parsing.acquire(blocking=False):
        return _refuse(503, "another upload is being read: try again in a moment", Retry_After="2")
    try:
        request.max_content_length = cap  # this route's own cap (callbacks keep app/guard.py's 64 KB)
        suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in datafile.EXTENSIONS else ""
        with tempfile.NamedTemporaryFile(prefix="tickless-upload-", suffix=suffix) as tmp:
            got = 0
            stream = request.stream
            while got < size:
                try:
                    block = stream.read(min(READ_BYTES, size - got))
                except ClientDisconnected:  # the body ended before its Content-Length
                    break
                if not block:
                    break
                tmp.write(block)
                got += len(block)
            tmp.flush()
            if got < size:
                return _refuse(400, f"{name}: the upload was cut short ({got:,} of {size:,} bytes)")
            try:
                ds = datafile.load(tmp.name, rate, name=name)
            except datafile.DataError as err:
                return _refuse(422, str(err))
        total = ds.channels * ds.length
        if total > contract.UPLOAD_MAX_SAMPLES:
            return _refuse(
                413, f"{name}: {total:,} samples; an upload holds at most {contract.UPLOAD_MAX_SAMPLES:,}"
            )
        folder = spool_dir()
        payload = dataroute.store_for(ds, requests_prefix, spool=folder)
        _prune(folder)
        ranges = [[float(lo), float(hi)] for lo, hi in zip(*_extents(ds), strict=True)]
        payload.update(
            ranges=ranges,
            describe=datafile.describe(ds),
            notes=list(ds.notes),
            window=ds.default_window(),
            windowMax=ds.window_max(),
        )
        log.info("upload: %s", payload["describe"])
        return jsonify(payload)
    finally:
        _parsing.release()


def _extents(ds: datafile.Dataset):
    import numpy as np

    return np.nanmin(ds.values, axis=1), np.nanmax(ds.values, axis=1)


def install(server: Flask, routes_prefix: str = "/", requests_prefix: str = "/") -> None:
    """Add `POST <routes prefix>_tickless/upload` (other methods: 405), and the dataset route if not there."""
    server.config.setdefault(dataroute.SPOOL_KEY, spool_dir())
    if "tickless_data" not in server.view_functions:  # uploads are fetched from the dataset route
        dataroute.install(server, routes_prefix)

    def tickless_upload() -> Response:
        if request.method != "POST":
            return _refuse(405, "POST the file's bytes to this address", Allow="POST")
        return receive(requests_prefix)

    path = routes_prefix.rstrip("/") + contract.UPLOAD_PATH
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
    server.add_url_rule(path, "tickless_upload", tickless_upload, methods=methods)
