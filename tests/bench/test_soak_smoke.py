"""Smoke test of `make soak`: a few seconds, no load and no faults, writes a complete, valid JSON that the report
section reads (figures not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import chrome, soak, soak_report
from tests.conftest import require_browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.browser
def test_soak001_a_few_seconds_write_complete_json(tmp_path):
    require_browser(Path(chrome.CHROMIUM))
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.soak",
        "--minutes",
        "0.2",
        "--sample-seconds",
        "2",
    ]  # 12 s: 3 rounds even at ~4 s a round
    cmd += ["--no-locust", "--out", str(tmp_path)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (path,) = tmp_path.glob("soak-*.json")
    doc = json.loads(path.read_text(), parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert (
        doc["kind"] == "soak"
        and doc["version"] == 2
        and doc["faults"] == []
        and doc["settings"]["locust_users"] == 0
    )
    assert len(doc["samples"]) >= 3
    for sample in doc["samples"]:
        assert set(sample["tabs"]) == set(soak.TABS)
        for tab in sample["tabs"].values():
            assert (
                tab["heap_mb"] > 0 and tab["nodes"] > 100 and tab["listeners"] > 0 and tab["documents"] >= 1
            )
            assert tab["frames"] > 0 and tab["errors"] == 0 and tab["csp"] == 0
            # the renderer's counter counts every node alive, the attached ones (judged) among them
            assert tab["nodes_counter"] >= tab["nodes"] and tab["heap_cdp_mb"] > 0
        workers = sample["server"]["workers"]
        assert len(workers) == 2 and all(w["rss_mb"] > 10 and w["fds"] > 3 for w in workers)
    # the clientside window painted and every server panel drew by the last sample
    last = doc["samples"][-1]["tabs"]
    assert all(fps > 0 for fps in last["clientside"]["fps"].values()), last["clientside"]["fps"]
    assert set(doc["summary"]) >= {
        "clientside window.heap_mb",
        "server window.nodes",
        "gunicorn.worker_rss_mb",
        "gunicorn.fds",
    }
    assert all(c["severe"] == 0 and c["uncaught_errors"] == 0 for c in doc["console"].values()), doc[
        "console"
    ]
    section = soak_report.soak_section(tmp_path)
    assert section is not None and set(section.figures) == {"soak-heap", "soak-dom", "soak-server"}
