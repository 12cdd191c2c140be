"""The browser benchmark's plan follows the contract: server cells wider than one reply are skipped, not failed."""

from __future__ import annotations

from app import contract
from benchmarks import bench_plan
from benchmarks.bench import parse_args


def test_server_cells_beyond_the_reply_cap_are_skipped_with_what_they_would_draw():
    windows = "10000,100000,1000000"
    args = parse_args(
        ["--strategies", "server-figure,clientside-raf", "--windows", windows, "--channels", "4"]
    )
    plan = {(c.strategy, c.window, c.decimate): (c, r) for c, r in bench_plan.plan(args, False, 1000, True)}
    per_trace = contract.SERVER_MAX_POINTS["server-figure"] // 4  # 50k: 10k fits one reply, 100k does not
    assert plan[("server-figure", 10_000, None)][0].drawn is None
    assert plan[("server-figure", 10_000, None)][1] is None
    for window in (100_000, 1_000_000):
        cell, reason = plan[("server-figure", window, None)]
        assert cell.drawn == per_trace
        assert f"only the newest {bench_plan.human(per_trace)} of {bench_plan.human(window)}" in reason
    clientside = [r for (sid, *_), (_, r) in plan.items() if sid == "clientside-raf"]
    assert all(r is None or r.startswith("same render path") for r in clientside)
    assert bench_plan.router_knows_decimate()


def test_component_cells_run_once_per_view_and_skip_the_trace_type():
    args = parse_args(["--strategies", "component", "--windows", "1000,1000000", "--channels", "1,4"])
    plan = bench_plan.plan(args, False, 1000, True)
    ran = {(c.window, c.channels, c.decimate) for c, r in plan if r is None}
    assert {c.trace for c, r in plan if r is None} == {"scatter"}
    assert {(w, n) for w, n, _ in ran} == {(1000, 1), (1000, 4), (1_000_000, 1), (1_000_000, 4)}
    for cell, reason in plan:
        if cell.trace == "scattergl":
            assert reason.startswith("component draws its own canvas, not plotly traces"), reason


def test_server_push_is_in_the_quick_matrix_with_time_to_fill_its_window():
    from benchmarks.bench import ready_seconds

    args = parse_args(["--quick"])
    plan = bench_plan.plan(args, False, 1000, True)
    push = [(c, r) for c, r in plan if c.strategy == "server-push"]
    assert push and all(r is None for _, r in push), "measured on the push server, in the same run"
    assert {c.strategy for c, r in plan if r is None} >= {"server-push", "server-extend", "clientside-raf"}
    cell = next(c for c, _ in push if c.window == 100_000)
    # a live source fills the window in real time: 100k samples at 10 kHz x speed 1 take 10 s
    assert ready_seconds(cell, args) == args.ready_timeout + 10
