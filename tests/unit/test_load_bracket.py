"""Exact limits: the stepped run, then bisection between the last pass and the first fail (loadtest/bracket.py)."""

from __future__ import annotations

import pytest

from loadtest import bracket

STEPS = [10, 25, 50, 100, 200, 400, 800, 1600]


def run(capacity: int, steps=STEPS, **kw) -> tuple[bracket.Search, list[int]]:
    """Drive a search against a server that holds exactly `capacity` users."""
    search, seen = bracket.Search(steps, **kw), []
    users = search.target
    while users is not None:
        seen.append(users)
        users = search.after("pass" if users <= capacity else "fail", "p95 too high")
    return search, seen


@pytest.mark.parametrize("capacity", [11, 24, 99, 100, 101, 137, 430, 799, 1234])
def test_bisection_brackets_the_true_limit_within_ten_percent(capacity):
    search, seen = run(capacity)
    lo, hi = search.bracket
    assert lo <= capacity < hi, (lo, hi, seen)
    assert hi <= lo * 1.1 or hi - lo <= 1, (lo, hi)
    assert search.probes <= bracket.MAX_PROBES and "within 10%" in search.reason
    stepped = len(seen) - search.probes
    assert seen[:stepped] == STEPS[:stepped]  # the steps first, in order, up to the first failure


def test_a_doubling_bracket_takes_three_probes():
    search, seen = run(500)
    assert seen == [10, 25, 50, 100, 200, 400, 800, 566, 476, 519]
    assert search.bracket == [476, 519] and search.probes == 3


def test_every_step_passing_is_a_lower_bound_without_probes():
    search, seen = run(10_000)
    assert seen == STEPS and search.bracket is None and search.reason == "all steps passed"


def test_the_first_step_failing_bisects_down_from_zero():
    search, seen = run(3)
    assert seen[0] == 10 and search.bracket[0] <= 3 < search.bracket[1]
    assert search.probes <= bracket.MAX_PROBES


def test_probes_are_bounded():
    search, seen = run(430, max_probes=1)
    assert search.probes == 1 and len(seen) == 8 and "not within 10%" in search.reason


def test_a_client_bound_failure_stops_without_bisecting():
    search = bracket.Search([10, 20])
    assert search.after("pass") == 20
    assert search.after("fail", "client-bound: locust at 95% CPU", client_bound=True) is None
    assert search.probes == 0 and "client-bound" in search.reason


def test_next_probe_is_the_geometric_midpoint_and_stops_when_tight():
    assert bracket.next_probe(400, 800, 0) == 566
    assert bracket.next_probe(100, 109, 0) is None  # within 10%
    assert bracket.next_probe(1, 2, 0) is None  # no integer between
    assert bracket.next_probe(0, 10, 0) == 5
    assert bracket.next_probe(100, 200, 6) is None  # probes used up


def test_bracket_of_step_records():
    steps = [
        {"users": 100, "ok": True},
        {"users": 200, "ok": False, "client": {"bound": False}},
        {"users": 141, "ok": True, "phase": "bisect"},
        {"users": 168, "ok": False, "phase": "bisect"},
        {"users": 154, "ok": True, "phase": "bisect"},
    ]
    b = bracket.bracket(steps)
    assert b["users"] == 154 and b["fails_at"] == 168 and b["bracket"] == [154, 168]
    assert b["bracket_pct"] == 9.1 and b["within"] and not b["lower_bound"] and b["probes"] == 3
    # noise: a count that failed below one that passed is flagged, the bracket uses the highest pass
    noisy = bracket.bracket([*steps, {"users": 120, "ok": False}])
    assert noisy["non_monotonic"] and noisy["bracket"] == [154, 168]
    # only client-bound failures: a lower bound, no bracket
    bound = bracket.bracket(
        [{"users": 10, "ok": True}, {"users": 20, "ok": False, "client": {"bound": True}}]
    )
    assert bound["lower_bound"] and bound["bracket"] is None and bound["client_bound"]


def row(users, fails_at, within=True):
    return {"max_users": users, "fails_at": fails_at, "lower_bound": fails_at is None, "within": within}


def test_goal_is_ten_times_the_tabs_with_both_brackets_tight():
    from loadtest import scenarios

    met = scenarios.goal_check(row(1000, 1080), row(95, 100))
    assert met["met"] and met["ratio"] == 10.53 and met["range"] == [10.0, 11.37]
    assert "met" in met["text"] and "1000–1080" in met["text"]
    short = scenarios.goal_check(row(600, 650), row(95, 100))
    assert not short["met"] and short["ratio"] == 6.32 and "missed" in short["text"]
    loose = scenarios.goal_check(row(1600, None, within=False), row(95, 100))  # clientside never failed
    assert not loose["met"] and "≥ 1600" in loose["text"] and "open or wider" in loose["text"]
    assert scenarios.goal_check(None, row(95, 100)) is None
