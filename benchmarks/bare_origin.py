"""A same-origin home for the bare ceiling pages: a blank page and the datasets the measured pages draw.

A ceiling that draws "the same points" should draw the same picture: a decimated page draws the min/max envelope
of its dataset, whose strokes are far longer than a smooth synthetic line's (5-25 px a point against 3.3 on this
machine's 10k-1M × 4 cells), and plotly's draw costs more for them. So the adjacent ceiling can draw the page's own
dataset, decimated on the bare page by the engine's own 35_decimate.js. about:blank cannot fetch from the app
(an opaque origin), so the bare page is this server's blank page, and the dataset comes from the same origin as
raw little-endian float32, channel after channel.

Serves only what was registered (GET "/" and "/data/<name>.f32"), on 127.0.0.1, from a daemon thread.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np

BLANK = b"<!doctype html><html><head><meta charset='utf-8'><title>bare</title></head><body></body></html>"
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class BareOrigin:
    """Start with `start()` (or as a context manager); `add(name, array)` registers a (channels, samples) array."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The blank page's URL (http://127.0.0.1:PORT/)."""
        if self._server is None:
            raise RuntimeError("BareOrigin is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def add(self, name: str, array: np.ndarray) -> str:
        """Serve `array` (channels × samples) as /data/<name>.f32; returns that URL."""
        if not NAME.match(name):
            raise ValueError(f"bare origin: bad dataset name {name!r} (a-z, 0-9, '.', '_', '-'; at most 64)")
        if array.ndim != 2:
            raise ValueError(f"bare origin: a dataset is channels × samples, got shape {array.shape}")
        self._data[name] = np.ascontiguousarray(array, dtype="<f4").tobytes()
        return f"{self.url}data/{name}.f32"

    def start(self) -> BareOrigin:
        data = self._data

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path == "/":
                    body, kind = BLANK, "text/html; charset=utf-8"
                else:
                    m = re.fullmatch(r"/data/([^/]+)\.f32", self.path)
                    body = data.get(m.group(1)) if m else None
                    kind = "application/octet-stream"
                    if body is None:
                        self.send_error(404, "not a registered dataset")
                        return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "max-age=3600")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # quiet: the bench prints its own progress
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="bare-origin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> BareOrigin:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
