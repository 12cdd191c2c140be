"""The tab's dataset on the server: the samples a server panel or the bridge reads for this request.

A tab plays the server's own dataset (the built-in signal, or the --data file) until its user uploads a file;
then its dataset store (app/shell.py, assets/js/52_upload.js) names the upload by its content hash, and the
server callbacks take that store as State. `resolve(settings, store)` turns it into a `TabData`: the server's
own data when the store names it (or names nothing), else the published upload with that hash
(app/dataroute.py `lookup`: this worker's registry, then the spool every worker of the server reads), shaped
as the store says and checked against the bytes.

The store comes from the browser, so it may be forged. Every check is bounded (a 64-hex hash, a shape that
must match the bytes exactly, at most contract.CHANNELS names of at most contract.MAX_NAME characters); a hash
this server does not hold costs one file lookup. Whatever is wrong, the answer is the server's own data with
`note` saying why, which the panels show on the chart and the bridge in its notes: never an exception.
Nothing here is per user: the cache is keyed by the data's content hash, and holds at most CACHE entries.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from . import contract, datafile, dataroute, summary, untrusted
from .settings import Settings

log = logging.getLogger("tickless")

SHA = re.compile(r"[0-9a-f]{64}")
CACHE = 4  # uploads whose shaped view (and ranges, block summaries) a worker keeps


@dataclass(frozen=True)
class TabData(datafile.Shaped):
    """The samples one request reads: float32 (channels x length), rate, names, start time, content hash."""

    key: str  # the content hash of the float32 bytes (the page's store `sha`)
    values: np.ndarray = field(compare=False, repr=False)
    rate: int = 1000
    names: tuple[str, ...] = ()
    start: float | None = None  # epoch seconds of sample 0, when the data has timestamps
    source: str = ""
    note: str = ""  # why this is not the dataset the tab asked for ("" when it is)

    @cached_property
    def ranges(self) -> tuple[tuple[float, float], ...]:
        """Smallest and largest value of each channel (gaps are NaN), computed once per cached dataset."""
        return tuple((float(np.nanmin(row)), float(np.nanmax(row))) for row in self.values)

    @cached_property
    def blocks(self) -> summary.Blocks:
        """Per-block summaries for bounded-cost analytics, computed once per cached dataset."""
        return summary.build(self.values)

    def with_note(self, note: str) -> TabData:
        """The same data, saying why the tab's own choice was not used."""
        return TabData(self.key, self.values, self.rate, self.names, self.start, self.source, note)


@lru_cache(maxsize=8)
def own(settings: Settings) -> TabData:
    """The server's own dataset for these settings (the --data file, or the built-in signal)."""
    ds = datafile.current(settings)
    return TabData(
        dataroute.digest(ds.values), ds.values, ds.rate, tuple(ds.names), ds.start, ds.source or "built-in"
    )


def _spool() -> str | None:
    """The spool folder of the server answering this request (None outside a request: this worker only)."""
    try:
        from flask import current_app

        return current_app.config.get(dataroute.SPOOL_KEY)
    except RuntimeError:
        return None


class _Refused(ValueError):
    pass


def _shape(store: dict) -> tuple[int, int, tuple[str, ...], float | None]:
    """(rate, length, names, start) from the store, each checked; _Refused names the first bad one."""
    try:
        rate = untrusted.integer(store.get("rate"), "dataset 'rate'", *contract.RATE)
        length = untrusted.integer(store.get("length"), "dataset 'length'", 1, contract.UPLOAD_MAX_SAMPLES)
        names = untrusted.items(store.get("names"), "dataset 'names'", contract.CHANNELS[1], "names")
        names = tuple(
            untrusted.text(n, f"dataset 'names[{i}]'", contract.MAX_NAME) for i, n in enumerate(names)
        )
        start = store.get("start")
        if start is not None:
            start = untrusted.number(start, "dataset 'start'", -1e11, 1e11)
    except untrusted.Rejected as exc:
        raise _Refused(str(exc)) from None
    if not names:
        raise _Refused("dataset 'names' is empty")
    return rate, length, names, start


_cache: OrderedDict[tuple, TabData] = OrderedDict()  # content hash + shape -> shaped data; never a refusal
_cache_lock = threading.Lock()


def _uploaded(sha: str, rate: int, length: int, names: tuple[str, ...], start, source: str) -> TabData | str:
    """The published dataset `sha` shaped (len(names), length); a message when the server cannot give it.

    Found datasets are kept (at most CACHE, the least recently used dropped first); refusals are not, so a
    forged hash never pushes a real one out, and an upload another worker spools later is found then.
    """
    key = (sha, rate, length, names, start, source)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    entry = dataroute.lookup(sha, _spool())
    if entry is None:
        return (
            f"this server does not hold the uploaded data {sha[:12]}… (the server restarted, or too many "
            "uploads since): upload the file again"
        )
    if entry.array.size != len(names) * length:
        return (
            f"the uploaded data {sha[:12]}… holds {entry.array.size:,} samples, not {len(names)} x {length:,} "
            "as the page says"
        )
    values = entry.array.reshape(len(names), length)  # a view of the published, read-only bytes
    data = TabData(sha, values, rate, names, start, source)
    with _cache_lock:
        _cache[key] = data
        while len(_cache) > CACHE:
            _cache.popitem(last=False)
    return data


def resolve(settings: Settings, store) -> TabData:
    """The dataset a server callback reads for a tab whose dataset store is `store` (see the module's doc)."""
    mine = own(settings)
    if store is None:
        return mine
    if not isinstance(store, dict):
        return _fallback(mine, f"the page's dataset is {untrusted.show(store)}, not an object")
    sha = store.get("sha")
    if sha == mine.key:
        return mine
    if not (isinstance(sha, str) and SHA.fullmatch(sha)):
        return _fallback(mine, f"the page's dataset 'sha' {untrusted.show(sha)} is not a content hash")
    try:
        rate, length, names, start = _shape(store)
    except _Refused as exc:
        return _fallback(mine, str(exc))
    source = store.get("source")
    source = source[: contract.MAX_TEXT] if isinstance(source, str) else "upload"
    got = _uploaded(sha, rate, length, names, start, source)
    if isinstance(got, str):
        return _fallback(mine, got)
    return got


def _fallback(mine: TabData, why: str) -> TabData:
    log.warning("tab data: %s; using the server's own dataset", why)
    return mine.with_note(f"{why}; showing {mine.source} instead")
