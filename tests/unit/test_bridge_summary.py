"""The bridge benchmark's goal and summary (benchmarks/bridge_summary.py) from a results dict."""

from __future__ import annotations

from app import contract
from benchmarks import bridge_summary

W = contract.DEFAULTS["window"]


def _result(cold: float, warm: float | None) -> dict:
    server = {
        "noop_ms": 0.3,
        "rows": [
            {"window": W, "bridge_ms": 0.3 * cold, "ratio": cold},
            {"window": 1_000_000, "bridge_ms": 3.0, "ratio": 10.0},
        ],
    }
    if warm is not None:
        server["warm_rows"] = [{"window": W, "bridge_ms": 0.3 * warm, "ratio": warm}]
    return {"server": server}


def test_goal_reads_the_default_window_cold_and_warm():
    goal = bridge_summary.goal(_result(1.2, 1.4))
    assert goal == {"ratio_max": 1.3, "ratio": 1.2, "met": True, "warm_ratio": 1.4, "warm_met": False}
    assert bridge_summary.goal(_result(1.31, None))["met"] is False  # the wide window's 10x does not count
    assert bridge_summary.goal(_result(1.31, None))["warm_ratio"] is None


def test_no_server_part_no_goal_and_the_summary_says_so():
    assert bridge_summary.goal({"inprocess": {"noop_ms": 0.3, "rows": []}}) is None
    result = _result(1.2, 1.25)
    result["goal"] = bridge_summary.goal(result)
    lines = bridge_summary.summary_lines(result)
    assert (
        lines[-1]
        == "goal: bridge at the default window <= 1.3x no-op (gunicorn): cold 1.20x, met; warm 1.25x, met"
    )
    assert any(f"window {W:>9,}: 0.360 ms  = 1.20x no-op" in line for line in lines)
