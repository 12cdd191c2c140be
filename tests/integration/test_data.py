"""Your own data in the browser: upload a file and it streams with its channel names and rate; a bad file keeps
the current data and says why (headless Chromium, the real upload route)."""

from __future__ import annotations

import numpy as np

from app import create_app, datafile, ids
from app.settings import Settings
from tests.integration.helpers import js, start, wait_until

SETTINGS = Settings(channels=2, rate=1000, seconds=5)
SID = "clientside-raf"
GRAPH = ids.panel(SID, "graph")


def write_csv(path, rows=4000, rate=250):
    t = np.arange(rows) / rate
    values = np.c_[np.sin(2 * np.pi * t), 3 + np.cos(2 * np.pi * 0.5 * t), 0.01 * np.arange(rows)]
    np.savetxt(path, np.c_[t, values], fmt="%.6f", delimiter=",", header="time,alpha,beta,gamma", comments="")
    return values.astype(np.float32)


def choose(dash_duo, path) -> None:
    """Give dcc.Upload's file input a file, as a user picking it does."""
    dash_duo.find_element(f"#{ids.UPLOAD} input[type=file]").send_keys(str(path))


def streamed_end(dash_duo) -> int:
    return js(dash_duo, f"(dash_clientside.tickless.stream.snapshot('{GRAPH}') || {{}}).sentEnd || 0")


def test_data001_an_uploaded_file_streams_with_its_names_and_rate(dash_duo, tmp_path):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/?bridge=0")
    wait_until(lambda: streamed_end(dash_duo) > 0, 15, "the built-in data streams")
    write_csv(tmp_path / "plant.csv")
    values = datafile.load(tmp_path / "plant.csv").values.T  # what the server parsed, sample for sample
    choose(dash_duo, tmp_path / "plant.csv")
    dash_duo.wait_for_contains_text(
        f"#{ids.UPLOAD_STATUS}", "Loaded plant.csv: 3 channels × 16 s at 250 Hz", 20
    )
    dash_duo.wait_for_contains_text(f"#{ids.DATA_TITLE}", "plant.csv: 3 channels × 16 s at 250 Hz, uploaded")
    tab = "dash_clientside.tickless.stream.tab"
    assert js(dash_duo, f"{tab}.dataset.names") == ["alpha", "beta", "gamma"]
    assert js(dash_duo, f"{tab}.dataset.rate") == 250
    for channel, index in ((0, 17), (2, 3999), (1, 1234)):
        got = js(dash_duo, f"dash_clientside.tickless.stream.sample({channel}, {index})")
        assert got == float(values[index, channel])
    labels = [e.text for e in dash_duo.find_elements(f"#{ids.CHANNELS} label")]
    assert labels == ["alpha", "beta", "gamma"]
    wait_until(
        lambda: (
            js(
                dash_duo,
                f"document.getElementById('{GRAPH}').querySelector('.js-plotly-plot').data.map(t => t.name)",
            )
            == ["alpha", "beta", "gamma"]
        ),
        10,
        "the chart draws the file's channels",
    )
    # it streams at the file's rate: the newest sample drawn advances ~250 per second at 1x
    first = streamed_end(dash_duo)
    t0 = js(dash_duo, "performance.now()")
    wait_until(lambda: streamed_end(dash_duo) > first + 300, 10, "the uploaded data streams")
    rate = (streamed_end(dash_duo) - first) / ((js(dash_duo, "performance.now()") - t0) / 1000)
    assert 150 < rate < 350, f"streams at {rate:.0f} samples/s, expected about 250"
    assert js(dash_duo, f"{tab}.dataset.length") == 4000
    assert dash_duo.get_logs() == []


def test_data002_a_bad_upload_keeps_the_current_data_and_names_the_place(dash_duo, tmp_path):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/?bridge=0")
    wait_until(lambda: streamed_end(dash_duo) > 0, 15, "the built-in data streams")
    bad = tmp_path / "broken.csv"
    bad.write_text("time,a,b\n0,1,2\n0.01,1\n")
    choose(dash_duo, bad)
    dash_duo.wait_for_contains_text(
        f"#{ids.UPLOAD_STATUS}", "Upload failed: broken.csv: line 3 has 2 fields; the header has 3.", 20
    )
    assert "Still showing built-in signal: 2 channels" in dash_duo.find_element(f"#{ids.UPLOAD_STATUS}").text
    assert js(dash_duo, "dash_clientside.tickless.stream.tab.dataset.names") == ["ch1", "ch2"]
    before = streamed_end(dash_duo)
    wait_until(lambda: streamed_end(dash_duo) > before + 200, 10, "the built-in data keeps streaming")
    logs = dash_duo.get_logs()
    assert all("/_tickless/upload" in e["message"] and "422" in e["message"] for e in logs), logs
