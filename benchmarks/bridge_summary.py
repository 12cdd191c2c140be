"""The bridge benchmark's goal and its summary table (benchmarks/bench_bridge.py writes the JSON they read)."""

from __future__ import annotations

from app import contract

GOAL_RATIO = 1.3  # issue #13: a bridge call costs at most 1.3x a no-op callback, at the default window


def goal(result: dict) -> dict | None:
    """The goal's figures from a run with a gunicorn part: the default window's cold ratio (a window no call
    asked for before) and warm ratio (one a tab of the crowd asked for before); None without that row."""
    default = next(
        (
            r
            for r in (result.get("server") or {}).get("rows", [])
            if r["window"] == contract.DEFAULTS["window"]
        ),
        None,
    )
    if default is None:
        return None
    warm = (result["server"].get("warm_rows") or [None])[0]
    return {
        "ratio_max": GOAL_RATIO,
        "ratio": default["ratio"],
        "met": default["ratio"] <= GOAL_RATIO,
        "warm_ratio": warm["ratio"] if warm else None,
        "warm_met": warm is not None and warm["ratio"] <= GOAL_RATIO,
    }


def summary_lines(result: dict) -> list[str]:
    """A short table: per window, bridge ms per call and the ratio to the no-op, for each way of measuring."""
    lines = []
    for kind in ("server", "inprocess"):
        part = result.get(kind)
        if not part:
            continue
        label = "gunicorn worker CPU" if kind == "server" else "in-process (Flask test client)"
        lines.append(f"{label}: no-op {part['noop_ms']:.3f} ms per call")
        lines.extend(
            f"  bridge, window {row['window']:>9,}: {row['bridge_ms']:.3f} ms  = {row['ratio']:.2f}x no-op"
            for row in part["rows"]
        )
        lines.extend(
            f"  bridge, window {row['window']:>9,}, warm (a window another tab asked for): {row['bridge_ms']:.3f} ms"
            f"  = {row['ratio']:.2f}x no-op"
            for row in part.get("warm_rows", [])
        )
    for kind, row in (result.get("page_loads") or {}).items():
        lines.append(
            f"page load, {kind} visit: {row['bytes'] / 1000:,.1f} kB on the wire in {row['requests']:g} requests, "
            f"server {row['server_cpu_ms']:.1f} ms CPU ({row['failures']} failed of {row['loads']})"
        )
    if result.get("probe"):
        lines.insert(
            0, f"probe {result['probe']}: one part of the bridge call replaced (benchmarks/bridge_probe.py)"
        )
    goal = result.get("goal")
    if goal:
        lines.append(
            f"goal: bridge at the default window <= {goal['ratio_max']}x no-op (gunicorn): "
            f"cold {goal['ratio']:.2f}x, {'met' if goal['met'] else 'missed'}"
            + (
                f"; warm {goal['warm_ratio']:.2f}x, {'met' if goal['warm_met'] else 'missed'}"
                if goal.get("warm_ratio") is not None
                else ""
            )
        )
    return lines
