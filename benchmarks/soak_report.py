"""The soak run's part of `make report`: the newest benchmarks/results/soak-*.json as a table and three charts.

Charts: each window's JS heap (after a forced GC) and DOM nodes over time, gunicorn's worker RSS and open file
descriptors over time, with the faults marked. Table: each series after warm-up (flat: its Theil–Sen trend over
the run and its 1-minute rolling median within ±10%, benchmarks/soak_stats.py) and each fault's figures. Only
report_kit is imported (no import circle); `python -m benchmarks.soak_report` prints the table as text for the
README.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import plotly.graph_objects as go

from .report_kit import RESULTS, Section, html_table, layout, newest

COLORS = {"clientside": "#1b9e77", "server": "#d95f02"}


def select(results_dir: Path) -> tuple[Path, dict] | None:
    return newest(results_dir, "soak-*.json", lambda d: d.get("kind") == "soak" and bool(d.get("samples")))


def _t(doc: dict, sample: dict) -> float:
    return (sample["t"] - doc["samples"][0]["t"]) / 1000


def _fault_marks(doc: dict, fig: go.Figure) -> None:
    t0 = doc["samples"][0]["t"]
    for f in doc.get("faults", []):
        x = (f["at_ms"] - t0) / 1000
        fig.add_vline(x=x, line={"color": "#b3261e", "dash": "dot", "width": 1})
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            text=f["kind"],
            showarrow=False,
            textangle=-90,
            xanchor="left",
            yanchor="top",
            font={"size": 10, "color": "#b3261e"},
        )


def figures(doc: dict) -> dict[str, go.Figure]:
    """Browser memory, DOM and server charts, faults marked."""
    xs = [_t(doc, s) for s in doc["samples"]]
    attached = " (attached)" if doc.get("version", 1) >= 2 else ""  # version 1 judged the renderer's counter
    heap, dom, server = go.Figure(), go.Figure(), go.Figure()
    for tab in doc["settings"]["tabs"]:
        heap.add_trace(
            go.Scatter(
                x=xs,
                y=[s["tabs"][tab]["heap_mb"] for s in doc["samples"]],
                name=f"{tab} window",
                line={"color": COLORS.get(tab)},
            )
        )
        dom.add_trace(
            go.Scatter(
                x=xs,
                y=[s["tabs"][tab]["nodes"] for s in doc["samples"]],
                name=f"{tab}: DOM nodes{attached}",
                line={"color": COLORS.get(tab)},
            )
        )
        dom.add_trace(
            go.Scatter(
                x=xs,
                y=[s["tabs"][tab]["listeners"] for s in doc["samples"]],
                name=f"{tab}: listeners",
                line={"color": COLORS.get(tab), "dash": "dash"},
            )
        )
    rss = [
        statistics.mean(w["rss_mb"] for w in s["server"]["workers"]) if s["server"]["workers"] else None
        for s in doc["samples"]
    ]
    fds = [
        (s["server"]["master"]["fds"] + sum(w["fds"] for w in s["server"]["workers"]))
        if s["server"].get("master")
        else None
        for s in doc["samples"]
    ]
    server.add_trace(
        go.Scatter(x=xs, y=rss, name="worker RSS (MB, mean of workers)", line={"color": "#7570b3"})
    )
    server.add_trace(
        go.Scatter(
            x=xs,
            y=fds,
            name="open fds (master + workers)",
            yaxis="y2",
            line={"color": "#666", "dash": "dash"},
        )
    )
    heap_title = (
        "JS heap right after gc(), typed arrays included" if attached else "JS heap after a forced GC"
    )
    layout(heap, f"Soak: {heap_title}", "seconds", "MB", log_x=False)
    layout(dom, "Soak: DOM nodes and event listeners", "seconds", "count", log_x=False)
    layout(server, "Soak: gunicorn worker memory and open files", "seconds", "MB", log_x=False)
    server.update_layout(yaxis2={"title": "fds", "overlaying": "y", "side": "right", "rangemode": "tozero"})
    for fig in (heap, dom, server):
        _fault_marks(doc, fig)
    return {"soak-heap": heap, "soak-dom": dom, "soak-server": server}


def _ms(v) -> str:
    return "–" if v is None else f"{v / 1000:.2f} s"


def fault_lines(doc: dict) -> list[list[str]]:
    """One row per fault: what happened and how the page came back."""
    rows = []
    for f in doc.get("faults", []):
        rec = f.get("recovery_ms") or {}
        if "outage_ms" in f:
            painting = f["clientside_kept_painting"]
            what = (
                f"clientside kept painting: {'yes' if painting['painted'] else 'NO'} "
                f"({painting['stalls']} stalls in {painting['checks']} checks); "
                f"{f['callback_requests_during']} callback requests and {f['probes_during']} probes while down "
                f"({f['probes_per_s_per_tab']:g} probes/s per tab); server boot {_ms(f['boot_ms'])}"
            )
        elif "victim" in f:
            what = f"worker replaced in {_ms(f['replaced_ms'])}; {f['failed_requests']} requests failed"
        else:
            edge = f.get("live_edge_ms") or {}
            what = (
                f"{f['frames_while_hidden']} frames and {f['requests_while_hidden']} requests while hidden; "
                f"server panels within 0.5 s of the clock {', '.join(_ms(v) for v in edge.values())} after shown; "
                f"requests in the first second per panel: {list((f.get('requests_first_second_per_panel') or {}).values())}"
            )
            if "steady_ms" in f:
                before = ", ".join(_ms(v) for v in f["lag_before_ms"].values())
                what += (
                    f"; lag before hiding {before}; back within twice that (≥ 0.5 s) "
                    f"{', '.join(_ms(v) for v in f['steady_ms'].values())}; first request "
                    f"{', '.join(_ms(v) for v in f['first_request_ms'].values())} after shown"
                )
        back = ", ".join(f"{k.split(':', 1)[1].replace('-graph', '')} {_ms(v)}" for k, v in rec.items())
        rows.append([f["kind"], what, back or "–"])
    return rows


def _pct(v, fmt: str = "+.1f") -> str:
    return "–" if v is None else f"{v:{fmt}}%"


def summary_rows(doc: dict) -> list[list[str]]:
    """One row per series: first → last after warm-up and the raw change, the Theil–Sen trend over the run (and
    per hour), the 1-minute rolling median's band, one sample's widest swing, and the verdict (trend and band
    within ±flat_pct; runs from before the trend was recorded show "–" there)."""
    rows = []
    for name, s in doc.get("summary", {}).items():
        if s.get("flat") is None:
            continue
        band = s.get("rolling_band_pct")
        rows.append(
            [
                name,
                f"{s['first']:.4g} → {s['last']:.4g}",
                _pct(s["change_pct"]),
                f"{_pct(s.get('trend_pct'))} ({_pct(s.get('trend_pct_per_hour'), '+.0f')}/h)",
                "–" if band is None else f"{band[0]:+.1f}% … {band[1]:+.1f}%",
                _pct(s["max_dev_pct"], ".1f"),
                "flat" if s["flat"] else "not flat",
            ]
        )
    return rows


SUMMARY_HEADER = [
    "series (after warm-up)",
    "first → last",
    "change",
    "trend over the run (per hour)",
    "1-min rolling median",
    "widest single swing",
    "",
]


def soak_section(results_dir: Path) -> Section | None:
    found = select(results_dir)
    if found is None:
        return None
    path, doc = found
    st = doc["settings"]
    intro = (
        f"{st['minutes']:g} minutes, every strategy streaming in two headless Chromium windows against gunicorn "
        f"({st['workers']} workers) under {st['locust_users']} locust users; sampled every "
        f"{st['sample_seconds']:g} s; goal (reported): each series flat within ±{st['flat_pct']:g}% after "
        f"{st['warmup_seconds']:g} s of warm-up (server series from the restart's warm-up on): its Theil–Sen trend "
        "projected over the run and its 1-minute rolling median both within the band of its median (one sample "
        "catches a live page anywhere between renders, so single samples' swings are shown, not judged)."
    )
    table = html_table(SUMMARY_HEADER, summary_rows(doc))
    table += html_table(
        ["fault", "during", "back after (bridge per window, server panels)"], fault_lines(doc)
    )
    return Section("Soak and faults", intro, table, figures(doc), path.name)


def main(argv: list[str] | None = None) -> int:
    found = select(Path(argv[0]) if argv else RESULTS)
    if found is None:
        print("soak_report: no soak-*.json; run `make soak` first", file=sys.stderr)
        return 1
    path, doc = found
    print(f"{path.name}")
    print("  " + " | ".join(SUMMARY_HEADER[:-1]))
    for row in summary_rows(doc):
        print("  " + " | ".join(row))
    for row in fault_lines(doc):
        print("  " + " | ".join(row))
    print(f"  console: {doc.get('console')}")
    print(f"  locust: {doc.get('locust')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
