"""The default page, measured as `make run` serves it, against a bare-plotly ceiling drawing what it draws.

`/` shows the landing strategy (contract.LANDING) with the app's defaults: every channel of the built-in
dataset (4 × 300 s at 1 kHz), a 2,000-point window, decimate=auto, the bridge at 1 Hz. The matrix cells run on
a 10 kHz dataset, so this page gets its own gunicorn with the app's default dataset. After the page is
measured like any cell, a bare page calls `Plotly.react` every frame on the same number of traces, of the same
type, with the same points per trace as the page drew (read from its snapshot), x values at the dataset's rate
sliding as fast, in the same graph size (with a BareOrigin, the default dataset itself, decimated in the page's
window and bucket, as the page draws it): the ceiling its ratio is taken against, measured in the same run, in
alternating pairs with the page (bench_pairs.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from app import contract
from app import data as app_data
from app.settings import Settings

from .bare_origin import BareOrigin
from .bench_browser import BROKEN, Browser, Cell, CellError
from .bench_ceiling import data_source, page_picture, react_ceiling, slide_shift
from .bench_pairs import measure_pairs
from .launcher import Gunicorn, dataset_env

PATH = "/"
LABEL = "default page /"


@dataclass
class PageCell(Cell):
    """A page of the app at its own URL (no view parameters: the app's defaults apply)."""

    page: str = PATH

    def path(self, speed: float, extra: dict | None = None) -> str:
        """The page's path, with only the run's extra parameters (e.g. bridge) when given."""
        query = dict(extra or {})
        if speed != 1:
            query["speed"] = f"{speed:g}"
        return self.page + (f"?{urlencode(query)}" if query else "")

    def label(self) -> str:
        """The label of the default page in progress lines and tables."""
        return LABEL


def default_cell() -> PageCell:
    """The landing panel as `/` shows it on the default dataset: every channel, the default window."""
    s = Settings()
    return PageCell(contract.LANDING, s.window, s.channels, contract.DEFAULTS["trace"], "auto")


def measure_landing(
    browser: Browser,
    args,
    measure: Callable[[Browser, Gunicorn, Cell, object], dict],
    size: dict,
    log: Callable[[str], None],
    origin: BareOrigin | None = None,
) -> dict:
    """Serve the default dataset, measure `/` with `measure` (bench.measure_cell) and its matched ceiling in
    `args.pairs` alternating pairs (bench_pairs.py); with `origin` (the bare pages' BareOrigin) the ceiling
    draws the page's own dataset in its window and bucket.

    Returns the entry for the results file: the page's figures, `ceiling` (the bare page), `pairs` and
    `ratio_react_ceiling`; status "failed"/"error" with a reason when the page or the ceiling broke.
    """
    settings = Settings()
    cell = default_cell()
    entry = {
        "id": LABEL,
        "page": PATH,
        "strategy": cell.strategy,
        "kind": "clientside",
        "window": cell.window,
        "channels": cell.channels,
        "trace": cell.trace,
        "decimate": cell.decimate,
        "dataset": {"channels": settings.channels, "rate": settings.rate, "seconds": settings.seconds},
    }
    traces = cell.channels  # every channel of the default dataset is shown
    source = None
    if origin is not None:
        array = app_data.dataset(settings.channels, settings.rate, settings.seconds)
        source = data_source(origin.add("default", array), array, traces)

    def ceiling(page: dict) -> dict:
        # points per trace on screen (an envelope's, when decimated), as the page's snapshot counted them
        per_trace = round((page.get("points") or 0) / traces) or cell.window
        log(f"  {LABEL}: {page['fps']:.1f} fps, {traces} traces × {per_trace:,} points; its ceiling:")
        return react_ceiling(
            browser,
            traces=traces,
            trace=cell.trace,
            points=per_trace,
            rate=settings.rate,
            shift=slide_shift(per_trace, cell.window, settings.rate * args.speed),  # as fast as it slides
            size=size,
            warmup_s=min(args.warmup, 1.5),
            duration_s=min(args.duration, 3.0),
            log=log,
            data=page_picture(source, cell.window, page.get("decimated_bucket")) if source else None,
        )

    log_path = Path(tempfile.gettempdir()) / "tickless-bench-landing-gunicorn.log"
    server = Gunicorn(log_path, workers=args.workers, env=dataset_env())
    try:
        server.start()
        entry.update(
            measure_pairs(
                lambda: measure(browser, server, cell, args), ceiling, args.pairs, log, browser.recover
            )
        )
    except CellError as exc:
        entry.update(status="failed", reason=str(exc).splitlines()[0][:300])
    except (RuntimeError, *BROKEN) as exc:
        entry.update(status="error", reason=f"{type(exc).__name__}: {str(exc).strip()[:300]}")
        browser.restart()
    finally:
        server.stop()
    if entry.get("status") == "ok":
        log_path.unlink(missing_ok=True)  # kept only when the page broke
    if entry.get("status") != "ok":
        log(f"  {LABEL}: {entry['status']}: {entry['reason']}")
        return entry
    entry["traces_drawn"] = traces
    entry["points_per_trace"] = round((entry.get("points") or 0) / traces) or cell.window
    # the same figure as a cell's ratio_adjacent_ceiling: the median of the pairs' own ratios
    entry["ratio_react_ceiling"] = entry.pop("ratio_adjacent_ceiling", None)
    return entry
