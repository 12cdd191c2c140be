"""The browser benchmark's summary: the frame breakdown columns when cells have them (older results have none),
and the frame budget check (the Tickless engine's JS per frame, p95 <= 2 ms)."""

from __future__ import annotations

import copy

from benchmarks import bench_report, bench_results

SPLIT = {
    "frames": 120,
    "frame_ms_p50": 16.7,
    "frame_ms_p95": 33.4,
    **{
        f"{cat}_ms_{q}": v
        for cat, v in {"plotly": 9.0, "engine": 0.4, "dash": 3.0, "other": 2.0, "idle": 2.3}.items()
        for q in ("p50", "mean")
    },
    **{
        f"{cat}_ms_p95": v
        for cat, v in {"plotly": 14.0, "engine": 1.2, "dash": 9.0, "other": 5.0, "idle": 4.0}.items()
    },
    **{
        f"{cat}_share": v
        for cat, v in {"plotly": 0.54, "engine": 0.02, "dash": 0.18, "other": 0.12, "idle": 0.14}.items()
    },
    "parts": {"plotly.update": 9.0, "engine.bookkeeping": 0.4},
    "spans": 600,
    "source": "performance.measure spans + requestIdleCallback",
}


def cell(strategy: str, fps: float, breakdown: dict | None) -> dict:
    c = {
        "id": f"{strategy} w=10k ch=1 scatter",
        "strategy": strategy,
        "kind": "server" if strategy.startswith("server") else "clientside",
        "window": 10_000,
        "channels": 1,
        "trace": "scatter",
        "decimate": None,
        "status": "ok",
        "fps": fps,
        "latency_ms_p95": 50.0,
        "notes": [],
    }
    if breakdown is not None:
        c["breakdown"] = breakdown
    return c


def doc(cells: list[dict]) -> dict:
    react = {"traces": 1, "trace": "scatter", "points": 2322, "status": "ok", "fps": 55.0, "breakdown": SPLIT}
    return {
        "stamp": "20261203-120000",
        "cells": cells,
        "ceilings": {"react": [react], "extend": []},
        "goals": [],
        "machine": {"cores": 2},
        "browser": {},
    }


def test_budget_checks_every_cell_with_a_breakdown_and_skips_the_others():
    over = {**SPLIT, "engine_ms_p95": 3.5}
    cells = [cell("clientside-raf", 50, SPLIT), cell("server-extend", 9, over), cell("component", 55, None)]
    rows = bench_results.frame_budget(cells)
    assert [(r["cell"], r["value"], r["met"]) for r in rows] == [
        ("clientside-raf w=10k ch=1 scatter", 1.2, True),
        ("server-extend w=10k ch=1 scatter", 3.5, False),
    ]
    text = bench_results.budget_text(rows)
    assert "p95 (ms) <= 2: 1/2 cells; over: server-extend w=10k ch=1 scatter 3.5" in text
    assert bench_results.frame_budget([{**cells[0], "status": "failed"}]) == []
    assert bench_results.budget_text([]) == ""


def test_table_and_summary_show_the_breakdown_when_present():
    d = doc([cell("clientside-raf", 50, SPLIT), cell("component", 55, None)])
    table = bench_results.table(d["cells"])
    head, first, second = table.splitlines()[0], table.splitlines()[2], table.splitlines()[3]
    assert head.split()[-6:] == ["plot", "eng", "dash", "rest", "eng95", "status"]
    assert first.split()[-6:] == ["9.0", "0.4", "3.0", "2.0", "1.2", "ok"]
    assert second.split()[-6:] == ["–", "–", "–", "–", "–", "ok"], "a cell without a breakdown shows dashes"
    markdown = bench_report.browser_markdown(d)
    assert (
        "| clientside-raf w=10k ch=1 scatter | 16.7 / 33.4 | 9.0 (54%) | 0.4 (2%) | 3.0 (18%) |" in markdown
    )
    assert "| react ceiling (bare page), 1 × 2,322 pts |" in markdown
    assert "Frame budget: Tickless engine JS per frame, p95 (ms) <= 2: 1/1 cells." in markdown
    assert "browser-breakdown" in bench_report.browser_figures(d)
    assert "Where each frame" in bench_report.breakdown_table_html(d)


def test_results_without_a_breakdown_keep_the_old_summary():
    d = doc([cell("clientside-raf", 50, None)])
    d["ceilings"]["react"][0].pop("breakdown")
    old = copy.deepcopy(d)
    assert "eng95" not in bench_results.table(d["cells"])
    markdown = bench_report.browser_markdown(d)
    assert "Where each frame" not in markdown and "Frame budget" not in markdown
    assert set(bench_report.browser_figures(d)) == {"browser-fps", "browser-latency", "browser-heap"}
    assert bench_report.breakdown_table_html(d) == ""
    assert d == old, "nothing is written into the results"
