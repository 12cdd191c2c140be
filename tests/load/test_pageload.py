"""Page loads in the load client, against gunicorn on 127.0.0.1: a first visit downloads the dataset's binary
(once per tab, validated), a returning visit does not, and locust's tabs do the same (`--page-load first`)."""

from __future__ import annotations

from loadtest import pageload
from tests.load.test_loadtest_smoke import TICKLESS_ENV, gunicorn, locust, require_locust  # noqa: F401

RAW = 3 * 20 * 1000 * 4  # TICKLESS_ENV: 3 channels x 20 s at 1 kHz, float32


def test_pageload001_first_visit_fetches_the_dataset_and_a_returning_one_does_not(gunicorn):  # noqa: F811
    url, _pid = gunicorn(env=TICKLESS_ENV)
    first = pageload.load(url, "first")
    returning = pageload.load(url, "returning")
    assert first["ok"] and returning["ok"], (first, returning)
    assert 0.5 * RAW < first["parts"]["page data"] <= 1.05 * RAW, "the dataset's binary, on a first visit"
    assert "page data" not in returning["parts"], "a returning visitor's browser has it cached"
    assert returning["bytes"] < 100_000 and returning["requests"] == 3, (
        returning
    )  # page, layout, dependencies
    assert first["requests"] > returning["requests"] + 1  # + the linked scripts and the dataset


def test_pageload002_measure_reports_bytes_requests_and_server_cpu_per_kind(gunicorn):  # noqa: F811
    url, _pid = gunicorn(env=TICKLESS_ENV)
    calls = []

    def cpu() -> float:
        calls.append(1)
        return len(calls) * 0.01

    out = pageload.measure(url, cpu, loads=2)
    assert set(out) == {"first", "returning"}
    for row in out.values():
        assert row["failures"] == 0 and row["loads"] == 2 and row["server_cpu_ms"] == 5.0, row
    assert out["first"]["bytes"] > out["returning"]["bytes"]


def test_pageload003_locust_tabs_on_a_first_visit_get_the_dataset_once_each(gunicorn, tmp_path):  # noqa: F811
    require_locust()
    url, pid = gunicorn(env=TICKLESS_ENV)
    code, records = locust(tmp_path, url, pid, ["ClientsideRafUser"], "3", "--page-load", "first")
    (step,) = [r for r in records if r["type"] == "step"]
    assert code == 0 and step["ok"] and step["ramp"]["failures"] == 0, step
    page = step["ramp"]["page"]  # the whole-page event of each tab's load (statistics are reset after it)
    assert page["requests"] == 3 and page["failures"] == 0, page
    first = pageload.load(url, "first")
    without_data = first["bytes"] - first["parts"]["page data"]
    assert page["avg_bytes"] > without_data + 0.5 * RAW, "each tab's first visit downloaded the dataset"
