"""Smoke test of the browser benchmark: a tiny matrix writes a complete, valid JSON (figures not judged)."""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench_report, chrome
from tests.conftest import require_browser

ROOT = Path(__file__).resolve().parents[2]
CELL_FIELDS = {
    "fps", "painted_frames", "raf_hz", "frame_ms_p50", "frame_ms_p95", "latency_ms_p50", "latency_ms_p95",
    "update_ms_p50", "update_ms_p95", "plotly_call_ms_p50", "long_tasks", "long_task_ms", "heap_start_mb",
    "heap_end_mb", "heap_start_gc_mb", "heap_end_gc_mb", "heap_growth_pct", "requests_per_s",
    "request_bytes_per_s", "tab_requests_per_s", "tab_bytes_per_s", "load_layout_bytes", "decode_ms",
    "ready_ms", "points", "ratio_react_ceiling", "ratio_server_extend", "ratio_raw_extend", "series",
}  # fmt: skip


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def _paired(entry: dict, ceiling: dict, ratio_key: str = "ratio_adjacent_ceiling") -> None:
    """Two pairs, cell first then ceiling first; figures are the pairs' medians, the ratio the median of theirs."""
    pairs = entry["pairs"]
    assert [p["order"] for p in pairs] == ["cell, ceiling", "ceiling, cell"], pairs
    for p in pairs:
        assert p["fps"] > 0 and p["ceiling_fps"] > 0 and _finite(p["latency_ms_p95"]), p
        assert p["ratio"] == pytest.approx(p["fps"] / p["ceiling_fps"], rel=0.01)
    assert entry["fps"] == pytest.approx(statistics.median(p["fps"] for p in pairs), abs=0.01)
    assert ceiling["fps"] == pytest.approx(statistics.median(p["ceiling_fps"] for p in pairs), abs=0.01)
    assert ceiling["merged_pairs"] == 2
    assert entry[ratio_key] == pytest.approx(statistics.median(p["ratio"] for p in pairs), abs=0.002)


@pytest.mark.browser
def test_bench001_quick_tiny_matrix_writes_complete_json(tmp_path):
    # the harness starts chrome.CHROMIUM whatever DASH_TEST_CHROMEPATH says: check that binary
    require_browser(Path(chrome.CHROMIUM))
    strategies = ["clientside-raf", "component"]  # a plotly panel and the LiveChart: both probes
    cmd = [sys.executable, "-m", "benchmarks.bench", "--quick", "--strategies", ",".join(strategies)]
    cmd += [
        "--windows",
        "1000",
        "--channels",
        "1",
        "--warmup",
        "0.5",
        "--duration",
        "2",
        "--pairs",
        "2",  # the goal cell and the default page each measured twice with their ceiling (bench_pairs.py)
        "--out",
        str(tmp_path),
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "[1/2] clientside-raf w=1k ch=1 scatter" in done.stdout, done.stdout
    assert "[2/2] component w=1k ch=1 scatter" in done.stdout, done.stdout

    files = list(tmp_path.glob("browser-*.json"))
    assert len(files) == 1 and not list(tmp_path.glob("*.tmp"))
    doc = json.loads(files[0].read_text(), parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert doc["kind"] == "tickless-browser-bench" and doc["schema"] == 1
    assert {"machine", "browser", "settings", "ceilings", "cells", "goals", "elapsed_s"} <= doc.keys()
    assert doc["browser"]["idle_raf_hz"] > 20 and doc["browser"]["graph_size"]["plotWidth"] > 100
    assert doc["settings"]["windows"] == [1000] and doc["settings"]["strategies"] == strategies

    (react,) = doc["ceilings"]["react"]
    (extend,) = doc["ceilings"]["extend"]
    for ceiling in (react, extend):
        assert ceiling["status"] == "ok" and ceiling["fps"] > 0, ceiling
        assert _finite(ceiling["latency_ms_p95"]), "bare pages time data-to-paint like the probe"

    # one cell each (decimate=auto, if the router knows it; off draws the same path at this window)
    raf, component = [c for c in doc["cells"] if c["status"] != "skipped"]
    for cell in (raf, component):
        assert cell["status"] == "ok", cell
        assert cell.keys() >= CELL_FIELDS, CELL_FIELDS - cell.keys()
        assert cell["fps"] > 0 and cell["points"] == 1000 and cell["requests_per_s"] == 0
        assert all(
            _finite(cell[k]) for k in ("raf_hz", "frame_ms_p95", "heap_start_gc_mb", "load_layout_bytes")
        )
        assert cell["ratio_react_ceiling"] == pytest.approx(cell["fps"] / react["fps"], rel=0.01)
        assert cell["ratio_raw_extend"] == pytest.approx(cell["fps"] / extend["fps"], rel=0.01)
        assert cell["ratio_server_extend"] is None  # server-extend was not in this run
        assert cell["ratio_idle_raf"] == pytest.approx(cell["fps"] / doc["browser"]["idle_raf_hz"], rel=0.01)
    assert component["ratio_clientside_raf"] == pytest.approx(component["fps"] / raf["fps"], rel=0.01)
    # the ceiling-goal cell gets its own react ceiling (its traces and points per trace) in alternating pairs
    own = raf["ceiling"]
    assert own["status"] == "ok" and (own["traces"], own["points"]) == (1, raf["points"]), own
    # ... drawing the page's own picture: its dataset, window and bucket (bare_origin.py, bench_bare.js dataReact)
    assert doc["settings"]["ceiling_data"] == "page"
    assert (own["source"], own["window"], own["bucket"]) == (
        "page data",
        1000,
        raf.get("decimated_bucket") or 1,
    )
    assert own["drawn_points"] == pytest.approx(raf["points"], rel=0.01), own
    _paired(raf, own)
    assert "ceiling" not in component and "pairs" not in component
    assert _finite(component["latency_ms_p50"]) and _finite(component["update_ms_p50"]), "the probe times it"
    assert {g["goal"] for g in doc["goals"]} >= {"latency_p95", "heap_flat", "ceiling_ratio"}
    assert all(g["met"] in (True, False) or g["note"] for g in doc["goals"]), "n/a goals say why"

    # the default page, on the default dataset, against a ceiling drawing its traces x points in the same run
    landing = doc["landing"]
    assert landing["status"] == "ok" and landing["page"] == "/" and landing["fps"] > 0, landing
    assert landing["channels"] == 4 and landing["window"] == 2000 and landing["dataset"]["rate"] == 1000
    ceiling = landing["ceiling"]
    assert ceiling["status"] == "ok" and ceiling["traces"] == 4, ceiling
    assert ceiling["points"] == landing["points_per_trace"] == round(landing["points"] / 4)
    assert (ceiling["source"], ceiling["window"]) == ("page data", 2000)
    assert ceiling["bucket"] == (landing.get("decimated_bucket") or 1)
    assert ceiling["drawn_points"] == pytest.approx(landing["points_per_trace"], rel=0.01), ceiling
    _paired(landing, ceiling, "ratio_react_ceiling")
    assert any(g["cell"] == "default page /" for g in doc["goals"])

    markdown = bench_report.browser_markdown(doc)
    assert (
        "clientside-raf, 1 ch" in markdown
        and "component, 1 ch" in markdown
        and "raw extendTraces" in markdown
        and "Default page `/`" in markdown
        and "alternating pairs" in markdown
    )
    figures = set(bench_report.browser_figures(doc))
    assert figures >= {"browser-fps", "browser-latency", "browser-heap"}
    assert ("browser-breakdown" in figures) == any(c.get("breakdown") for c in doc["cells"])
