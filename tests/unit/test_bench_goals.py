"""The browser benchmark's goals per cell: met, missed, or not applicable (with the reason), and the default page
judged against the ceiling that draws what it draws."""

from __future__ import annotations

from benchmarks import bench_goals


def ceiling(traces: int, points: int, frame_p95: float, fps: float = 59.0) -> dict:
    return {
        "traces": traces,
        "trace": "scatter",
        "points": points,
        "status": "ok",
        "fps": fps,
        "frame_ms_p95": frame_p95,
        "breakdown": {"frames": 100, "plotly_ms_p95": frame_p95 - 5},
    }


def cell(strategy: str, channels: int, latency_p95: float, points: int = 2300, **more) -> dict:
    return {
        "id": f"{strategy} w=10k ch={channels} scatter dec=auto",
        "strategy": strategy,
        "kind": "clientside",
        "window": 10_000,
        "channels": channels,
        "trace": "scatter",
        "decimate": "auto",
        "status": "ok",
        "fps": 58.0,
        "points": points * channels,
        "latency_ms_p95": latency_p95,
        "ratio_react_ceiling": 0.98,
        **more,
    }


def latency_rows(rows: list[dict]) -> dict[str, dict]:
    return {r["cell"]: r for r in rows if r["goal"] == "latency_p95"}


def test_latency_goal_is_two_frames_where_plotly_fits_in_a_frame_else_not_applicable():
    ceilings = {"react": [ceiling(1, 2322, 16.8), ceiling(4, 2322, 33.3, fps=54.5)]}
    cells = [
        cell("clientside-raf", 1, 33.3),  # exactly two frames: met
        cell("clientside-raf", 1, 50.0, id="late"),  # three frames where plotly fits: missed
        cell("clientside-raf", 4, 66.5),  # plotly alone misses frames with 4 traces: n/a
        cell("component", 4, 33.3),  # its own canvas: the goal applies whatever plotly does
    ]
    rows = latency_rows(bench_goals.goals(cells, ceilings))
    assert bench_goals.LATENCY_TARGET_MS == 33.8
    assert rows[cells[0]["id"]]["met"] is True
    assert rows["late"]["met"] is False
    na = rows[cells[2]["id"]]
    assert na["met"] is None and "does not fit in a frame" in na["note"] and "33.3 ms" in na["note"]
    assert rows[cells[3]["id"]]["met"] is True and rows[cells[3]["id"]]["note"] == "draws its own canvas"

    text = bench_goals.goals_text(bench_goals.goals(cells, ceilings))
    line = next(t for t in text.splitlines() if "latency" in t)
    assert "2/3 cells" in line and "missed: late 50" in line and "n/a (plotly's draw does not fit" in line


def test_a_cell_is_judged_against_the_ceiling_with_its_traces_and_the_nearest_points():
    react = [ceiling(4, 2322, 33.3), ceiling(4, 2000, 16.7), ceiling(1, 2000, 16.7)]
    assert bench_goals.react_ceiling_for(cell("clientside-raf", 4, 30, points=2010), react)["points"] == 2000
    assert bench_goals.react_ceiling_for(cell("clientside-raf", 4, 30, points=2300), react)["points"] == 2322
    assert bench_goals.react_ceiling_for(cell("clientside-raf", 2, 30), react) is None
    fits, why = bench_goals.plotly_fits(None)
    assert not fits and "no react ceiling" in why
    # a ceiling that timed its own latency is judged by it: plotly alone meets 2 frames, or it does not
    fits, why = bench_goals.plotly_fits({**ceiling(1, 2322, 16.8), "latency_ms_p95": 49.9})
    assert not fits and "latency p95 49.9 ms" in why
    assert bench_goals.plotly_fits({**ceiling(4, 2322, 33.4), "latency_ms_p95": 33.4})[0]


def test_the_default_page_is_judged_against_its_own_ceiling_and_reported():
    landing = cell("clientside-raf", 4, 33.3, points=2000, id="default page /", window=2000, page="/")
    landing["ceiling"] = ceiling(4, 2000, 16.8, fps=57.0)
    landing["ratio_react_ceiling"] = 0.87
    landing["points_per_trace"] = 2000
    # the matrix's 4-trace ceiling does not fit a frame, but the page's own ceiling (its points) does
    rows = bench_goals.goals([], {"react": [ceiling(4, 2322, 33.3)]}, landing)
    by_goal = {r["goal"]: r for r in rows}
    assert by_goal["ceiling_ratio"]["met"] is False and by_goal["ceiling_ratio"]["value"] == 0.87
    assert by_goal["latency_p95"]["met"] is True
    text = bench_goals.landing_text(landing)
    assert "0.87× its ceiling" in text and "4 × 2,000 scatter points: 57.0 fps" in text
    markdown = bench_goals.goals_markdown({"landing": landing, "goals": rows})
    assert "Default page `/`" in markdown and "| default page / | 33.3 met | 0.87 missed |" in markdown
    ceilings = {"react": [ceiling(4, 2322, 33.3)]}
    rows = bench_goals.goals([cell("clientside-raf", 4, 66.5, heap_growth_pct=1.0)], ceilings)
    markdown = bench_goals.goals_markdown({"goals": rows})
    assert "| 66.5 n/a [1] |" in markdown and "[1] plotly's draw does not fit in a frame" in markdown
    broken = bench_goals.landing_text({"status": "failed", "reason": "not drawn after 20 s"})
    assert broken == "default page /: failed: not drawn after 20 s"


def test_a_cell_with_its_own_adjacent_ceiling_is_judged_against_it():
    run_start = {"react": [ceiling(4, 2322, 33.4, fps=38.0)]}  # measured minutes earlier, on a busier machine
    c = cell("clientside-raf", 4, 33.3, ratio_react_ceiling=0.82, ratio_adjacent_ceiling=0.95)
    c["ceiling"] = {**ceiling(4, 2300, 16.8, fps=50.0), "latency_ms_p95": 33.4}
    rows = {r["goal"]: r for r in bench_goals.goals([c], run_start)}
    assert rows["ceiling_ratio"]["value"] == 0.95 and rows["ceiling_ratio"]["met"] is True
    assert rows["latency_p95"]["met"] is True, "the adjacent ceiling meets 2 frames: the goal applies"
