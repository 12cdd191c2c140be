"""Response compression: brotli/gzip by flask-compress, with the layout (the dataset) compressed once.

Every page load fetches `/_dash-layout`, which carries the whole dataset (6.4 MB of base64url for the default
one). Its bytes are the same for every tab of a process, so each worker compresses them once per encoding and
keeps the result, read-only, instead of spending ~80 ms of CPU (brotli) on every page load. Callback replies
of more than MIN_SIZE bytes are compressed per response as usual: the cache stores nothing else.
"""

from __future__ import annotations

from flask import Flask, Request
from flask_compress import Compress

LAYOUT_KEY = "GET /_dash-layout"
# replies smaller than one TCP segment (~1,460 bytes of payload) go out in one packet compressed or not: compressing
# them costs the server CPU (a bridge reply of ~900 bytes: ~0.15 ms, flask-compress's work included, a quarter of a
# whole no-op callback) and saves the wire nothing that matters
MIN_SIZE = 1400


class LayoutCache:
    """A flask-compress cache backend that keeps only the layout's compressed bytes (one per encoding)."""

    def __init__(self) -> None:
        self._entries: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        """The compressed layout for this encoding, once made; None for anything else."""
        return self._entries.get(key)

    def set(self, key: str, value: bytes) -> None:
        """Keep the layout's compressed bytes; ignore every other response."""
        if key.endswith(";" + LAYOUT_KEY):
            self._entries[key] = value


def cache_key(request: Request) -> str:
    """The layout's key, or a key nothing is ever stored under (so other responses are never reused)."""
    if request.method == "GET" and request.path.endswith("/_dash-layout"):
        return LAYOUT_KEY
    return f"{request.method} {request.full_path} (not cached)"


def setup(server: Flask) -> None:
    """brotli (quality 4) for browsers, gzip for the rest, the layout compressed once per process."""
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=4,
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=MIN_SIZE,
        COMPRESS_CACHE_BACKEND=LayoutCache,
        COMPRESS_CACHE_KEY=cache_key,
    )
    Compress(server)
