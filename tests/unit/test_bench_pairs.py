"""Goal cells measured in alternating pairs with their ceiling: order, medians, broken pairs, the report table,
and the medians of nested figures (bench_results.merge_repeats)."""

from __future__ import annotations

import pytest

from benchmarks import bench_pairs
from benchmarks.bench import parse_args
from benchmarks.bench_results import merge_repeats


class Bench:
    """Stands in for the browser: hands out the figures given, in order, and records the call order."""

    def __init__(self, cells: list, ceilings: list):
        self.cells, self.ceilings, self.calls, self.recovered = list(cells), list(ceilings), [], []

    def measure(self) -> dict:
        self.calls.append("cell")
        got = self.cells.pop(0)
        if isinstance(got, Exception):
            raise got
        return got

    def ceiling(self, cell: dict) -> dict:
        self.calls.append("ceiling")
        assert cell["status"] == "ok" and "fps" in cell, "the ceiling is matched to a measured cell"
        return self.ceilings.pop(0)


def page(fps: float, late: float, latency: float = 33.3, **more) -> dict:
    return {
        "status": "ok",
        "notes": [],
        "fps": fps,
        "latency_ms_p95": latency,
        "late": {"late_pct": late},
        **more,
    }


def bare(fps: float, late: float, latency: float = 33.3) -> dict:
    return {
        "status": "ok",
        "traces": 4,
        "points": 2000,
        "fps": fps,
        "latency_ms_p95": latency,
        "late": {"late_pct": late},
    }


def test_pairs001_order_alternates_and_figures_are_medians():
    bench = Bench(
        [page(50, 10.8, 50), page(58, 4.7), page(57, 6.5, 40)],
        [bare(55, 6.3, 40), bare(58, 3.4), bare(60, 4.0, 33.4)],
    )
    got = bench_pairs.measure_pairs(bench.measure, bench.ceiling, 3)
    assert bench.calls == ["cell", "ceiling", "ceiling", "cell", "cell", "ceiling"]
    assert [r["order"] for r in got["pairs"]] == ["cell, ceiling", "ceiling, cell", "cell, ceiling"]
    assert [r["ratio"] for r in got["pairs"]] == [round(50 / 55, 3), 1.0, 0.95]
    # the ratio is the median of the pairs' own ratios, not one median over another
    assert got["ratio_adjacent_ceiling"] == 0.95
    assert got["fps"] == 57 and got["latency_ms_p95"] == 40 and got["late"]["late_pct"] == 6.5
    ceiling = got["ceiling"]
    assert ceiling["fps"] == 58 and ceiling["latency_ms_p95"] == 33.4 and ceiling["late"]["late_pct"] == 4.0
    assert ceiling["merged_pairs"] == 3 and ceiling["traces"] == 4
    assert [r["late_pct"] for r in got["pairs"]] == [10.8, 4.7, 6.5]
    assert [r["ceiling_late_pct"] for r in got["pairs"]] == [6.3, 3.4, 4.0]


def test_pairs002_one_pair_is_the_cell_and_its_ceiling_as_measured():
    bench = Bench([page(50, 3.0)], [bare(55, 2.0)])
    got = bench_pairs.measure_pairs(bench.measure, bench.ceiling, 1)
    assert bench.calls == ["cell", "ceiling"]
    assert (
        got["fps"] == 50
        and got["ceiling"]["fps"] == 55
        and got["ratio_adjacent_ceiling"] == round(50 / 55, 3)
    )
    assert "merged_pairs" not in got["ceiling"] and len(got["pairs"]) == 1


def test_pairs003_a_first_measurement_that_fails_is_the_result_and_no_ceiling_runs():
    failed = {"status": "failed", "reason": "nothing on screen after 20 s"}
    bench = Bench([failed], [])
    assert bench_pairs.measure_pairs(bench.measure, bench.ceiling, 3) == failed
    assert bench.calls == ["cell"]


def test_pairs004_a_later_pair_that_breaks_keeps_the_earlier_ones_and_says_so():
    broken = RuntimeError("chrome not reachable")
    bench = Bench([page(50, 3.0), broken], [bare(55, 2.0), bare(57, 2.5)])
    recovered = []
    got = bench_pairs.measure_pairs(bench.measure, bench.ceiling, 3, recover=recovered.append)
    assert recovered == [broken]
    assert bench.calls == ["cell", "ceiling", "ceiling", "cell"]  # pair 2 ran its ceiling first, then broke
    assert got["status"] == "ok" and got["fps"] == 50 and len(got["pairs"]) == 1
    assert got["ceiling"]["fps"] == 55, "the broken pair's ceiling is not in the medians"
    assert any("pair 2 left out" in n and "chrome not reachable" in n for n in got["notes"]), got["notes"]


def test_pairs005_a_broken_ceiling_is_left_out_of_the_medians_and_named():
    bench = Bench([page(50, 3.0), page(52, 3.0)], [bare(55, 2.0), {"status": "error", "reason": "timeout"}])
    got = bench_pairs.measure_pairs(bench.measure, bench.ceiling, 2)
    assert got["fps"] == 51 and got["ceiling"]["fps"] == 55
    assert got["ratio_adjacent_ceiling"] == round(50 / 55, 3)  # the one pair with a ratio
    assert got["pairs"][1]["ratio"] is None and got["pairs"][1]["ceiling_error"] == "timeout"
    assert any("ceiling broke in pair(s) 2" in n for n in got["notes"]), got["notes"]


def test_pairs006_every_ceiling_broken_keeps_the_first_error():
    bench = Bench(
        [page(50, 3.0), page(52, 3.0)],
        [{"status": "error", "reason": "a"}, {"status": "error", "reason": "b"}],
    )
    got = bench_pairs.measure_pairs(bench.measure, bench.ceiling, 2)
    assert got["ceiling"] == {"status": "error", "reason": "a"} and got["ratio_adjacent_ceiling"] is None


def test_pairs007_table_lists_each_pair_and_skips_single_pairs():
    bench = Bench([page(50, 10.8), page(58, 4.7)], [bare(55, 6.3), bare(58, 3.4)])
    paired = {
        "id": "clientside-raf w=1k ch=4 scatter dec=auto",
        **bench_pairs.measure_pairs(bench.measure, bench.ceiling, 2),
    }
    single = {"id": "clientside-raf w=1k ch=1 scatter dec=auto", "status": "ok", "pairs": [{"ratio": 1.0}]}
    text = bench_pairs.pairs_text([paired, single])
    assert "alternating pairs" in text
    assert "clientside-raf w=1k ch=4 scatter dec=auto  0.91 / 1.00" in text
    assert "10.8 / 4.7" in text and "6.3 / 3.4" in text and "ch=1" not in text
    assert bench_pairs.pairs_text([single]) == "" and bench_pairs.pairs_markdown({"cells": [single]}) == ""
    markdown = bench_pairs.pairs_markdown({"cells": [], "landing": {**paired, "id": "default page /"}})
    assert "| default page / | 0.91 / 1.00 | 10.8 / 4.7 | 6.3 / 3.4 |" in markdown


def test_pairs008_merge_repeats_takes_medians_inside_nested_figures():
    runs = [
        {
            "fps": 50,
            "late": {"late_pct": 10.8, "long": 17},
            "flag": True,
            "series": [1],
            "name": "a",
            "x": None,
        },
        {
            "fps": 58,
            "late": {"late_pct": 4.7, "long": 8},
            "flag": False,
            "series": [2],
            "name": "b",
            "x": 3.0,
        },
        {
            "fps": 57,
            "late": {"late_pct": 6.5, "long": 10},
            "flag": False,
            "series": [3],
            "name": "c",
            "x": 5.0,
        },
    ]
    got = merge_repeats(runs)
    assert got["fps"] == 57 and got["late"] == {"late_pct": 6.5, "long": 10}
    assert got["flag"] is True and got["series"] == [1] and got["name"] == "a"  # not numbers: the first run's
    assert got["x"] == 4.0  # missing in one run: the median of the others


@pytest.mark.parametrize(("argv", "pairs"), [([], 3), (["--quick"], 1), (["--quick", "--pairs", "2"], 2)])
def test_pairs009_flag_defaults(argv, pairs):
    assert parse_args(argv).pairs == pairs


@pytest.mark.parametrize("bad", ["0", "10", "-1"])
def test_pairs010_flag_out_of_range_is_refused_with_its_name(bad, capsys):
    with pytest.raises(SystemExit) as exit_:
        parse_args(["--pairs", bad])
    assert exit_.value.code == 2 and "--pairs" in capsys.readouterr().err


def test_pairs011_a_ceiling_that_raises_counts_as_broken_not_a_lost_cell():
    def ceiling(cell: dict) -> dict:
        raise TimeoutError("script timeout")

    bench = Bench([page(50, 3.0), page(52, 3.0)], [])
    got = bench_pairs.measure_pairs(bench.measure, ceiling, 2)
    assert got["status"] == "ok" and got["fps"] == 51 and got["ratio_adjacent_ceiling"] is None
    assert got["ceiling"] == {"status": "error", "reason": "TimeoutError: script timeout"}
    assert any("ceiling broke in pair(s) 1, 2" in n for n in got["notes"]), got["notes"]


def test_pairs012_points_on_screen_are_the_first_pairs_the_ceilings_matched():
    seen = []

    def ceiling(cell: dict) -> dict:
        seen.append(cell["points"])
        return bare(55, 2.0)

    bench = Bench([page(50, 3.0, points=8004), page(52, 3.0, points=8000), page(51, 3.0, points=8000)], [])
    got = bench_pairs.measure_pairs(bench.measure, ceiling, 3)
    assert seen == [8004, 8004, 8004] and got["points"] == 8004, (
        "not the median 8000 the ceilings did not draw"
    )
