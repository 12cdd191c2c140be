"""The browser benchmark's summary as text: the fps grid (markdown and HTML), where each frame's time goes, and the
goals per cell (bench_goals.py). bench_report.py draws the figures and writes the files.
"""

from __future__ import annotations

import html

from . import bench_goals
from . import bench_results as res
from .bench_browser import human
from .bench_pairs import pairs_markdown


def _ok(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e.get("status") == "ok"]


def _series_key(c: dict) -> tuple:
    return (c["strategy"], c["channels"], c["trace"], c.get("decimate") or "")


def _name(c: dict) -> str:
    dec = f", decimate={c['decimate']}" if c.get("decimate") else ""
    gl = ", scattergl" if c["trace"] == "scattergl" else ""
    gl += " (software WebGL)" if gl and c.get("software_webgl") else ""
    return f"{c['strategy']}, {c['channels']} ch{gl}{dec}"


def breakdown_rows(doc: dict) -> list[tuple[str, dict, dict]]:
    """(name, breakdown, entry) of every measured cell and ceiling page that recorded a frame breakdown."""
    rows = [(c["id"], res.breakdown_of(c), c) for c in _ok(doc["cells"])]
    for r in _ok(doc["ceilings"].get("react", [])):
        rows.append(
            (f"react ceiling (bare page), {r['traces']} × {r['points']:,} pts", res.breakdown_of(r), r)
        )
    for e in _ok(doc["ceilings"].get("extend", [])):
        name = f"raw extendTraces (bare page), w={human(e['window'])} ch={e['channels']} {e['trace']}"
        rows.append((name, res.breakdown_of(e), e))
    return [(name, b, entry) for name, b, entry in rows if b]


def _ms(value, share=None) -> str:
    if not isinstance(value, (int, float)):
        return "–"
    return f"{value:.1f}" + (f" ({100 * share:.0f}%)" if isinstance(share, (int, float)) else "")


def breakdown_table(doc: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the frame breakdown table (empty when no cell recorded one)."""
    budget = {r["cell"]: r for r in res.frame_budget(doc["cells"])}
    head = ["cell", "frame p50 / p95 ms"]
    head += [f"{res.BREAKDOWN_NAMES[c]} ms/frame" for c in res.BREAKDOWN]
    head += ["engine p95 ms", f"engine budget ≤ {res.BUDGET[3]:g} ms"]
    rows = []
    for name, b, entry in breakdown_rows(doc):
        check = budget.get(entry.get("id")) if "id" in entry else None
        row = [name, f"{_ms(b.get('frame_ms_p50'))} / {_ms(b.get('frame_ms_p95'))}"]
        row += [_ms(b.get(f"{c}_ms_mean"), b.get(f"{c}_share")) for c in res.BREAKDOWN]
        row += [_ms(b.get("engine_ms_p95")), ("met" if check["met"] else "**over**") if check else "–"]
        rows.append(row)
    return head, rows


def breakdown_markdown(doc: dict) -> str:
    """The frame breakdown as markdown, with the budget line; "" when no cell recorded a breakdown."""
    head, rows = breakdown_table(doc)
    if not rows:
        return ""
    lines = [
        "",
        "Where each frame's main-thread time goes (mean ms per animation frame, share of the wall time):",
        "",
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * (len(head) - 1),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    text = res.budget_text(res.frame_budget(doc["cells"])).strip()
    lines += ["", f"Frame budget: {text}." if text else "Frame budget: no cell recorded the engine's JS."]
    return "\n".join(lines) + "\n"


def breakdown_table_html(doc: dict) -> str:
    """The frame breakdown as an HTML table with the budget line ("" when no cell recorded a breakdown)."""
    head, rows = breakdown_table(doc)
    if not rows:
        return ""
    header = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v.replace('**', ''))}</td>" for v in row) + "</tr>"
        for row in rows
    )
    text = res.budget_text(res.frame_budget(doc["cells"])).strip()
    return (
        "<h3>Where each frame's main-thread time goes</h3>"
        f"<table><thead>{header}</thead><tbody>{body}</tbody></table>"
        f"<p>Frame budget: {html.escape(text or 'no cell recorded the engine JS')}.</p>"
    )


def _cell_text(c: dict | None) -> str:
    if c is None:
        return ""
    if c["status"] != "ok":
        return c["status"]
    lat = c.get("latency_ms_p95")
    ratio = c.get("ratio_adjacent_ceiling") or c.get(
        "ratio_react_ceiling"
    )  # its own ceiling, when it has one
    text = f"{c['fps']:.1f}"
    if ratio is not None:
        text += f" ({ratio:.2f}×)"
    if lat is not None:
        text += f" · {lat:.0f} ms"
    return text


def _grid(doc: dict) -> tuple[list[int], list[tuple[str, dict[int, dict]]]]:
    windows = sorted({c["window"] for c in doc["cells"]})
    rows: dict[tuple, dict[int, dict]] = {}
    for c in doc["cells"]:
        rows.setdefault(_series_key(c), {})[c["window"]] = c
    named = []
    for cells in rows.values():
        first = next(iter(cells.values()))
        named.append((_name(first), cells))
    for e in doc["ceilings"].get("extend", []):
        key = f"raw extendTraces (bare page), {e['channels']} ch" + (
            ", scattergl" if e["trace"] == "scattergl" else ""
        )
        found = next((cells for name, cells in named if name == key), None)
        if found is None:
            found = {}
            named.append((key, found))
        found[e["window"]] = {**e, "ratio_react_ceiling": None}
    return windows, named


def browser_markdown(doc: dict) -> str:
    """A markdown summary: fps (ratio to the react ceiling) · latency p95 per strategy and window."""
    windows, named = _grid(doc)
    head = "| strategy | " + " | ".join(human(w) for w in windows) + " |"
    lines = [head, "|---|" + "---:|" * len(windows)]
    for name, cells in named:
        lines.append(f"| {name} | " + " | ".join(_cell_text(cells.get(w)) for w in windows) + " |")
    react = ", ".join(
        f"{r['traces']} × {r['points']:,} pts {r['trace']}: **{r['fps']:.1f} fps**"
        for r in _ok(doc["ceilings"].get("react", []))
    )
    applies = [g for g in doc.get("goals", []) if g.get("met") is not None]  # n/a: bench_goals.py
    met = sum(1 for g in applies if g["met"])
    b = doc.get("browser", {})
    lines += [
        "",
        "Cells: painted frames/s (× the react ceiling of the same trace count; clientside-raf: its own, run right after it) · data-to-paint latency p95.",
        f"React ceiling (bare page, Plotly.react every frame, fixed ranges): {react or 'not measured'}.",
        f"Goals met: {met}/{len(applies)} (clientside cells and the default page; per cell below). "
        f"{doc.get('machine', {}).get('cores')} cores, {b.get('browser')} {b.get('browser_version')}, "
        f"WebGL: {b.get('webgl_renderer')}; source: `benchmarks/results/browser-{doc['stamp']}.json`.",
    ]
    return (
        "\n".join(lines)
        + "\n"
        + breakdown_markdown(doc)
        + pairs_markdown(doc)
        + bench_goals.goals_markdown(doc)
    )


def browser_table_html(doc: dict) -> str:
    """The same summary as an HTML table (for report.html)."""
    windows, named = _grid(doc)
    header = "<tr><th>strategy</th>" + "".join(f"<th>{human(w)}</th>" for w in windows) + "</tr>"
    body = "".join(
        f"<tr><td>{html.escape(name)}</td>"
        + "".join(f"<td>{html.escape(_cell_text(cells.get(w)))}</td>" for w in windows)
        + "</tr>"
        for name, cells in named
    )
    return f"<table><thead>{header}</thead><tbody>{body}</tbody></table>"
