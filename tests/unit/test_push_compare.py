"""server-push beside the HTTP strategies in one run (benchmarks/push_compare.py): the search, rows, ratios, table."""

from __future__ import annotations

from benchmarks import push_compare as pc


def push_step(users: int, capacity: int, client_bound: bool = False) -> dict:
    """A bench_push load step from a server that holds `capacity` tabs (CPU 6 ms per tab-second)."""
    held = users <= capacity and not client_bound
    return {
        "users": users,
        "latency_p95_ms": 40.0 if users <= capacity else 150.0,
        "server_cpu_ms_per_tab_s": 6.0,
        "client_bound": client_bound,
        "held": held,
    }


def http_step(users: int, capacity: int, cpu_percent: float) -> dict:
    """A loadtest.run step record (as loadtest/steps.py writes it)."""
    return {
        "users": users,
        "ok": users <= capacity,
        "server": {"cpu_percent": cpu_percent, "rss_mb": 100.0},
        "client": {"cpu_percent": 40.0, "bound": False},
    }


def test_search_steps_then_bisects_to_within_ten_percent():
    steps, why = pc.search([50, 100, 200, 400], lambda u: push_step(u, 170))
    seen = [s["users"] for s in steps]
    assert seen[:3] == [50, 100, 200] and 400 not in seen
    assert [s["phase"] for s in steps[:3]] == ["steps"] * 3
    assert all(s["phase"] == "bisect" for s in steps[3:]) and len(steps) > 3
    row = pc.push_row(steps, why)
    assert row["held"] <= 170 < row["fails_at"] and row["within"], row
    assert row["fails_at"] <= row["held"] * 1.1 and "within 10%" in why
    assert row["server_cpu_ms_per_tab_s"] == 6.0 and not row["lower_bound"]


def test_search_stops_before_a_step_that_does_not_fit_the_budget():
    left = iter([100.0, 100.0, 5.0])
    steps, why = pc.search([50, 100, 200], lambda u: push_step(u, 1000), time_left=lambda: next(left),
                           step_cost=lambda users: 30.0)  # fmt: skip
    assert [s["users"] for s in steps] == [50, 100]
    assert why == "time budget: 200 users not measured"
    row = pc.push_row(steps, why)
    assert row["held"] == 100 and row["lower_bound"] and row["fails_at"] is None


def test_a_client_bound_step_ends_the_search_as_a_lower_bound():
    steps, _ = pc.search([50, 100, 200], lambda u: push_step(u, 1000, client_bound=u >= 100))
    assert [s["users"] for s in steps] == [50, 100]
    row = pc.push_row(steps)
    assert row["held"] == 50 and row["lower_bound"] and row["client_bound"]
    assert pc.held_text(row) == "≥ 50 (client-bound)"


def test_http_row_takes_cpu_per_tab_second_at_the_held_count():
    steps = [http_step(25, 64, 30.0), http_step(50, 64, 75.0), http_step(100, 64, 99.0)]
    steps += [{**http_step(71, 64, 95.0), "phase": "bisect"}, {**http_step(60, 64, 90.0), "phase": "bisect"}]
    steps += [{**http_step(65, 64, 93.0), "phase": "bisect"}]
    row = pc.http_row("server-extend", steps, "done")
    assert (row["held"], row["fails_at"], row["probes"]) == (60, 65, 3)
    assert row["server_cpu_ms_per_tab_s"] == 15.0  # 90% of a core over 60 tabs = 15 ms per tab-second
    assert pc.http_cpu_ms_per_tab_s({"users": 10, "server": None}) is None


def test_ratios_and_their_range_from_the_brackets():
    rows = {
        "server-push": {"held": 150, "fails_at": 165, "server_cpu_ms_per_tab_s": 6.0},
        "server-extend": {"held": 60, "fails_at": 65, "server_cpu_ms_per_tab_s": 15.0},
        "clientside-raf": {"held": 480, "fails_at": 520, "server_cpu_ms_per_tab_s": 1.5},
    }
    r = pc.ratios(rows)
    assert r["server-push / server-extend"] == {"held": 2.5, "range": [2.31, 2.75], "cpu_per_tab": 0.4}
    assert r["clientside-raf / server-push"]["held"] == 3.2
    assert r["clientside-raf / server-push"]["range"] == [2.91, 3.47]
    assert r["clientside-raf / server-extend"]["held"] == 8.0
    rows["clientside-raf"]["fails_at"] = None  # every step passed: no upper end
    assert pc.ratios(rows)["clientside-raf / server-push"]["range"] == [2.91, None]
    rows["server-extend"] = {"held": 0, "fails_at": 10, "server_cpu_ms_per_tab_s": None}
    assert pc.ratios(rows)["server-push / server-extend"] is None


def test_table_rows_in_order_with_ratios_to_push():
    rows = {
        "server-push": pc.push_row(pc.search([100, 200], lambda u: push_step(u, 150))[0]),
        "server-extend": pc.http_row("server-extend", [http_step(50, 60, 80.0), http_step(100, 60, 99.0)]),
    }
    lines = pc.table(rows)
    push = rows["server-push"]
    assert lines[0].startswith("| strategy") and len(lines) == 4
    assert (
        lines[2]
        == f"| server-push | {push['held']}–{push['fails_at']} (+{push['bracket_pct']:g}%) | 6.0 ms/s | 1× |"
    )
    assert lines[3] == f"| server-extend | 50–100 (+100%) | 16.0 ms/s | {50 / push['held']:.2g}× |"
    assert 141 <= push["held"] <= 150 < push["fails_at"]
