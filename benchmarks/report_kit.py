"""The one report toolkit: sections, colours, the HTML page and the one PNG renderer of every benchmark.

Section modules (benchmarks/load_report.py, bench_report.py, anydash_report.py, and soak's) import only this
module; benchmarks/report.py (`make report`) imports the section modules. Nothing imports report.py, so there
is no import circle. Every PNG is drawn by `write_pngs` (plotly.js's own Plotly.toImage in headless Chromium,
no kaleido or matplotlib), whichever command asks for it.
"""

from __future__ import annotations

import base64
import html
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import plotly
import plotly.graph_objects as go

from . import chrome
from .launcher import ROOT

RESULTS = ROOT / "benchmarks" / "results"
WIDTH, HEIGHT = 960, 480
COLORS = {  # one colour per strategy across every chart
    "clientside-raf": "#1b9e77",
    "clientside-interval": "#66a61e",
    "component": "#e6ab02",
    "server-extend": "#d95f02",
    "server-patch": "#7570b3",
    "server-figure": "#e7298a",
    "server-push": "#1f78b4",
    "raw extendTraces": "#666666",
}
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@dataclass
class Section:
    """One benchmark's part of a report: a title, a short text, an HTML table and charts (id → figure)."""

    title: str
    intro: str
    table: str = ""
    figures: dict[str, go.Figure] = field(default_factory=dict)
    source: str = ""


def candidates(results_dir: Path, pattern: str) -> Iterator[tuple[Path, dict]]:
    """Results files matching a glob, newest first (names carry a sortable stamp), each with its document;
    unreadable or partial files (.tmp) are passed over."""
    for path in sorted(results_dir.glob(pattern), reverse=True):
        if path.name.endswith(".tmp") or not path.is_file():
            continue
        try:
            doc = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict):
            yield path, doc


def newest(
    results_dir: Path, pattern: str, accept: Callable[[dict], bool] = lambda doc: True
) -> tuple[Path, dict] | None:
    """The newest results file matching `pattern` whose document `accept`s, with its document; else None."""
    return next(((p, d) for p, d in candidates(results_dir, pattern) if accept(d)), None)


def layout(fig: go.Figure, title: str, x: str, y: str, log_x: bool = True) -> go.Figure:
    """The common look of a report chart."""
    fig.update_layout(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        template="plotly_white",
        xaxis={"title": x, "type": "log" if log_x else "linear"},
        yaxis={"title": y},
        legend={"font": {"size": 11}},
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
    )
    return fig


def limit_line(users: list[float], limit: float) -> go.Scatter:
    """The p95 limit as a dashed line across the users axis (a trace: shapes on a log axis take log10)."""
    users = users or [1]
    return go.Scatter(
        x=[min(users), max(users)],
        y=[limit, limit],
        name=f"limit {limit:g} ms",
        mode="lines",
        line={"color": "#999", "dash": "dash"},
    )


def held_text(row: dict) -> str:
    """Users held as text: "476–519 (+9%)" once bracketed (held–first fail), "≥ 1600" as a lower bound."""
    if row.get("fails_at"):
        pct = f" (+{row['bracket_pct']:g}%)" if row.get("bracket_pct") is not None else ""
        return f"{row['max_users']}–{row['fails_at']}{pct}"
    return f"{'≥ ' if row.get('lower_bound') else ''}{row['max_users']}"


def html_table(head: list[str], rows: list[list[str]], bold: list[bool] | None = None) -> str:
    """A plain HTML table (cells escaped); `bold` marks rows shown as headline rows."""
    header = "<tr>" + "".join(f"<th>{html.escape(str(h))}</th>" for h in head) + "</tr>"
    body = []
    for i, row in enumerate(rows):
        style = ' class="headline"' if bold and bold[i] else ""
        body.append(f"<tr{style}>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>")
    return f"<table><thead>{header}</thead><tbody>{''.join(body)}</tbody></table>"


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<script src="plotly.min.js"></script>
<style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}
td:first-child,th:first-child{{text-align:left}}tr.headline{{font-weight:bold}}.src{{color:#777;font-size:90%}}
ul{{margin:0.3em 0}}</style>
</head><body><h1>{title}</h1>{body}</body></html>
"""


def render_page(sections: list[Section], out: Path, title: str = "Tickless benchmarks") -> None:
    """Write one HTML page of sections (plotly.min.js copied beside it, no CDN)."""
    shutil.copyfile(PLOTLY_JS, out.parent / "plotly.min.js")
    parts = []
    for sec in sections:
        parts.append(f"<h2>{html.escape(sec.title)}</h2><p>{html.escape(sec.intro)}</p>{sec.table}")
        for div_id, fig in sec.figures.items():
            parts.append(fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id))
        if sec.source:
            parts.append(f'<p class="src">source: benchmarks/results/{html.escape(sec.source)}</p>')
    out.write_text(PAGE.format(title=html.escape(title), body="\n".join(parts)), encoding="utf-8")


FIGURES_PAGE = """<!doctype html><html><head><meta charset="utf-8"><script src="{plotly}"></script></head>
<body>{body}</body></html>"""

TO_IMAGE = """
const [id, width, height, done] = arguments;
const start = Date.now();
(function poll() {
  const gd = document.getElementById(id);
  if (gd && gd._fullLayout && window.Plotly) {
    Plotly.toImage(gd, {format: "png", width, height, scale: 1}).then(done, (e) => done(String(e)));
  } else if (Date.now() - start > 30000) {
    done("timeout");
  } else {
    setTimeout(poll, 100);
  }
})();
"""


def write_pngs(figures: dict[str, go.Figure], out_dir: Path) -> list[Path]:
    """out_dir/<id>.png for every figure, drawn by plotly.js itself (Plotly.toImage) in headless Chromium."""
    from selenium import webdriver

    if not figures:
        return []
    parts = [
        fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id) for div_id, fig in figures.items()
    ]
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "figures.html"
        page.write_text(
            FIGURES_PAGE.format(plotly=PLOTLY_JS.as_uri(), body="\n".join(parts)), encoding="utf-8"
        )
        driver = webdriver.Chrome(options=chrome.options(window=(WIDTH + 140, 900)))
        try:
            driver.set_script_timeout(60)
            driver.get(page.as_uri())
            for div_id, fig in figures.items():
                width, height = fig.layout.width or WIDTH, fig.layout.height or HEIGHT
                url = driver.execute_async_script(TO_IMAGE, div_id, width, height)
                if not isinstance(url, str) or not url.startswith("data:image/png;base64,"):
                    raise RuntimeError(f"chart {div_id} did not render: {str(url)[:200]}")
                path = out_dir / f"{div_id}.png"
                path.write_bytes(base64.b64decode(url.split(",", 1)[1]))
                written.append(path)
        finally:
            driver.quit()
    return written
