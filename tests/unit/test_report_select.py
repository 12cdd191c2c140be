"""The report takes Tickless's figures from Tickless's runs only, and gives any other Dash app its own page."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from benchmarks import anydash_report, load_report, report, report_kit

ROOT = Path(__file__).resolve().parents[2]


def step(users: int, ok: bool, phase: str = "steps", **extra) -> dict:
    return {
        "users": users,
        "ok": ok,
        "phase": phase,
        "p50_ms": 5.0,
        "p95_ms": 20.0 if ok else 300.0,
        "rps": users * 1.0,
        "bytes_per_s": users * 900.0,
        "avg_bytes": 900.0,
        "measure_s": 3.0,
        "client": {"cpu_percent": 30.0, "bound": False},
        "server": {"cpu_percent": 50.0, "rss_mb": 200.0},
        "machine": {"noisy": False},
        "ramp": {"page": {"avg_bytes": 4096.0}},
        **extra,
    }


def tickless_doc(target=None) -> dict:
    def scenario(sid, name, fps, headline=True):
        return {"strategy": sid, "name": name, "headline": headline, "fps": fps, "requests_per_frame": 0.1}

    steps = [step(10, True), step(20, False), step(14, True, "bisect"), step(15, False, "bisect")]
    return {
        "kind": "load",
        "machine": {"cpus": 2},
        "server": {"target": target, "workers": 2, "worker_class": "sync"},
        "options": {"steps": "10,20", "step_seconds": 3.0},
        "p95_limit_ms": 100.0,
        "results": [
            {"scenario": scenario("server-extend", "server-extend tick 100 ms", 10), "steps": steps},
            {"scenario": scenario("clientside-raf", "clientside-raf bridge 1000 ms", 60), "steps": steps},
            {"scenario": scenario("component", "component bridge off", 0, False), "steps": steps[:1]},
        ],
    }


def foreign_doc() -> dict:
    plan = {
        "initial": ["chart0.figure +2", "level-out.children"],
        "timers": [
            {
                "callback": "chart0.figure +2",
                "interval": "tick.n_intervals",
                "period_ms": 200.0,
                "outputs": ["chart0.figure", "chart1.figure", "chart2.figure"],
            }
        ],
        "chained": ["echo.children"],
        "skipped": [{"callback": "level-out.children", "reason": "called once at page load; user input"}],
    }
    return {
        "kind": "load-target",
        "machine": {"cpus": 2},
        "server": {"target": "http://127.0.0.1:9999", "started_by_run": False, "measured_pid": None},
        "app": {"url": "http://127.0.0.1:9999", "title": "Sample", "dash_renderer": "4.4.1", "plan": plan},
        "client": {"locust": "2.47.0"},
        "options": {"steps": "10,20", "step_seconds": 3.0},
        "p95_limit_ms": 100.0,
        "results": [
            {
                "scenario": {"name": "any-dash", "strategy": "any-dash", "headline": True, "fps": 0},
                "steps": [step(10, True), step(20, False)],
            }
        ],
    }


def write(results: Path, name: str, doc: dict) -> None:
    (results / name).write_text(json.dumps(doc))


def test_tickless_section_never_takes_a_foreign_run_even_a_newer_one(tmp_path):
    write(tmp_path, "load-20260101-000000.json", tickless_doc())
    write(tmp_path, "load-20260102-000000.json", tickless_doc(target="http://127.0.0.1:9"))  # older format
    write(tmp_path, "anydash-20260103-000000.json", foreign_doc())
    assert load_report.select(tmp_path)[0].name == "load-20260101-000000.json"
    assert anydash_report.select(tmp_path)[0].name == "anydash-20260103-000000.json"
    (tmp_path / "anydash-20260103-000000.json").unlink()
    assert anydash_report.select(tmp_path)[0].name == "load-20260102-000000.json"
    (tmp_path / "load-20260101-000000.json").unlink()
    assert load_report.select(tmp_path) is None  # a foreign run never stands in for Tickless's


def test_each_report_writes_only_its_own_files(tmp_path):
    write(tmp_path, "load-20260101-000000.json", tickless_doc())
    write(tmp_path, "anydash-20260103-000000.json", foreign_doc())
    written = report.build("anydash", tmp_path, png=False)
    assert [p.name for p in written] == ["anydash-report.html"] and not (tmp_path / "report.html").exists()
    assert [p.name for p in report.build("tickless", tmp_path, png=False)] == ["report.html"]
    figures = {
        i for s in (load_report.load_section(tmp_path), anydash_report.section(tmp_path)) for i in s.figures
    }
    assert all(i.startswith("load-") or i.startswith("anydash-") for i in figures)
    tickless = {i for i in figures if i.startswith("load-")}
    assert not tickless & {i for i in figures if i.startswith("anydash-")}  # no PNG name is shared


def test_foreign_section_speaks_of_the_app_not_of_tickless(tmp_path):
    write(tmp_path, "anydash-20260103-000000.json", foreign_doc())
    sec = anydash_report.section(tmp_path)
    text = sec.title + sec.intro + sec.table
    assert "Sample" in sec.title and "every 200 ms" in text and "chart1.figure" in text
    assert "level-out.children: called once at page load" in text and "echo.children" in text
    assert "10–20" in text  # users held, as a bracket
    for word in ("frames/s", "fps", "strateg", "server-extend", "×", "gunicorn"):
        assert word not in text, word


def test_users_chart_keeps_rows_that_paint_nothing(tmp_path):
    write(tmp_path, "load-20260101-000000.json", tickless_doc())
    sec = load_report.load_section(tmp_path)
    bars = sec.figures["load-users"].data[0]
    assert list(bars.y) == [
        "server-extend tick 100 ms",
        "clientside-raf bridge 1000 ms",
        "component bridge off",
    ]
    assert "14–15" in sec.table and "Goal:" in sec.table  # the bisected bracket and the goal line
    assert "3 s measured" in sec.intro


def test_no_import_circle_between_report_modules():
    """report_kit imports no section module; section modules never import report.py (only report.py imports them)."""
    sections = ("load_report", "bench_report", "anydash_report")

    def imports(name: str) -> set[str]:
        tree = ast.parse((ROOT / "benchmarks" / f"{name}.py").read_text())
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                mod = node.module or ""
                found |= {a.name for a in node.names} if node.level and not mod else {mod.split(".")[-1]}
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[-1] for a in node.names}
        return found

    assert not imports("report_kit") & {*sections, "report"}
    for name in sections:
        assert "report" not in imports(name), name
    assert {*sections} <= imports("report")
    assert report_kit.write_pngs  # the one PNG renderer


def test_the_browser_report_takes_the_newest_full_run_over_a_newer_quick_one(tmp_path):
    from benchmarks import bench_report

    def write(stamp: str, quick: bool) -> Path:
        path = tmp_path / f"browser-{stamp}.json"
        path.write_text(
            json.dumps({"kind": "tickless-browser-bench", "settings": {"quick": quick}, "cells": []})
        )
        return path

    assert bench_report.newest(tmp_path) is None
    quick_only = write("20261203-100000", quick=True)
    assert bench_report.newest(tmp_path) == quick_only, "no full run: the newest of any kind"
    full = write("20261203-110000", quick=False)
    write("20261203-120000", quick=True)
    assert bench_report.newest(tmp_path) == full, "the README's figures come from a full run"


def test_the_load_report_takes_the_newest_whole_run_over_a_newer_re_run_of_a_few_scenarios(tmp_path):
    rerun = tickless_doc()
    rerun["options"] = {**rerun["options"], "no_matrix": True}
    write(tmp_path, "load-20260102-000000.json", rerun)
    assert load_report.select(tmp_path)[0].name == "load-20260102-000000.json", "no whole run: the newest"
    write(tmp_path, "load-20260101-000000.json", tickless_doc())
    assert load_report.select(tmp_path)[0].name == "load-20260101-000000.json"


def test_the_load_section_shows_the_newest_goal_pair_beside_the_whole_run(tmp_path):
    write(tmp_path, "load-20260101-000000.json", tickless_doc())
    assert "goal pair" not in load_report.load_section(tmp_path).table, "no re-run yet: the whole run alone"
    pair = tickless_doc()
    pair["options"] = {**pair["options"], "no_matrix": True}
    pair["results"] = pair["results"][:2]  # server-extend and clientside-raf only
    pair["results"][1]["steps"] = [step(10, True), step(20, True), step(40, False), step(38, True, "bisect")]
    write(tmp_path, "load-20260103-000000.json", pair)
    write(tmp_path, "load-20260104-000000.json", {**pair, "results": pair["results"][:1]})  # no goal in it
    sec = load_report.load_section(tmp_path)
    assert sec.source.startswith("load-20260101-000000.json") and "load-20260103-000000.json" in sec.source
    first, whole = sec.table.split("Every strategy: the whole run load-20260101-000000.json")
    assert "newest goal pair load-20260103-000000.json" in first and "38–40" in first and "Goal:" in first
    assert "component bridge off" in whole and "14–15" in whole  # the whole run's own rows, still shown
    assert set(sec.figures) == {"load-latency", "load-throughput", "load-server-cpu", "load-users"}
    # a newer whole run: the older pair is not shown beside it
    write(tmp_path, "load-20260105-000000.json", tickless_doc())
    assert "goal pair" not in load_report.load_section(tmp_path).table


def test_the_load_table_shows_a_first_and_a_returning_visits_page_load_when_the_run_measured_them():
    doc = tickless_doc()
    doc["headline"] = load_report.scenarios.headline(doc["results"])
    assert "returning visit" not in load_report.load_table(doc), "runs before --page-loads: no table"
    visit = {"loads": 5, "failures": 0, "requests": 3.0, "server_cpu_ms": 7.5}
    doc["page_loads"] = {
        "first": {**visit, "bytes": 4_680_807.0, "requests": 52.0},
        "returning": {**visit, "bytes": 10_536.0},
    }
    table = load_report.load_table(doc)
    for text in ("first visit", "4,680.8", "52", "returning visit", "10.5", "7.5", "0 of 5"):
        assert text in table, text
