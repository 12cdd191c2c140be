"""Your own data in the browser: upload a file and it streams with its channel names and rate; a bad file keeps
the current data and says why (headless Chromium, the real upload route)."""

from __future__ import annotations

import numpy as np
import pytest

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


VIEWER_SETTINGS = Settings(channels=3, rate=1000, seconds=10)


def graph_js(expression: str) -> str:
    return f"(function (gd) {{ return {expression}; }})(document.getElementById('{GRAPH}').querySelector('.js-plotly-plot'))"


def press(dash_duo, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(dash_duo.driver).send_keys(key).perform()


def position(dash_duo) -> float:
    return js(dash_duo, "dash_clientside.tickless.stream.snapshot('" + GRAPH + "').position")


def test_data003_stacked_rows_and_the_keys(dash_duo):
    start(dash_duo, create_app(VIEWER_SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/?bridge=0&decimate=off&window=1000")
    wait_until(lambda: streamed_end(dash_duo) > 0, 15, "streams")
    dash_duo.find_element(f"#{ids.VIEW_LAYOUT} input[value=stacked]").click()
    wait_until(
        lambda: js(dash_duo, graph_js("gd.data.map(t => t.yaxis)")) == ["y", "y2", "y3"], 10, "stacked"
    )
    domains = js(
        dash_duo, graph_js("[gd.layout.yaxis.domain, gd.layout.yaxis2.domain, gd.layout.yaxis3.domain]")
    )
    assert domains[0][0] > domains[1][1] and domains[1][0] > domains[2][1], domains
    assert js(dash_duo, graph_js("gd.layout.yaxis2.title.text")) == "ch2"
    # the y scale: fixed rows hold their channel's range, auto rows follow the data
    assert js(dash_duo, graph_js("gd.layout.yaxis3.autorange")) is False
    dash_duo.find_element(f"#{ids.VIEW_YSCALE} input[value=auto]").click()
    wait_until(lambda: js(dash_duo, graph_js("gd._fullLayout.yaxis3.autorange")) is True, 10, "auto y")
    dash_duo.find_element("body").click()
    press(dash_duo, "s")  # s: back to overlaid
    wait_until(
        lambda: js(dash_duo, graph_js("gd.data.map(t => t.yaxis || 'y')")) == ["y"] * 3, 10, "overlaid"
    )
    # space pauses; while paused, -> and <- step a tenth of the window (100 samples), and the chart follows
    press(dash_duo, " ")
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    paused = position(dash_duo)
    press(dash_duo, "\ue014")  # ArrowRight
    wait_until(lambda: abs(position(dash_duo) - (paused + 100)) < 1e-6, 5, "a step forward")
    wait_until(
        lambda: js(dash_duo, graph_js("gd.data[0].x[gd.data[0].x.length - 1]")) == (int(paused) + 100) / 1000,
        10,
        "the chart shows the new playhead",
    )
    press(dash_duo, "\ue012")  # ArrowLeft
    wait_until(lambda: abs(position(dash_duo) - paused) < 1e-6, 5, "a step back")
    # + and - double and halve the window
    press(dash_duo, "+")
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: js(dash_duo, graph_js("gd.data[0].x.length")) == 2000, 10, "window doubled")
    press(dash_duo, "-")
    wait_until(lambda: js(dash_duo, graph_js("gd.data[0].x.length")) == 1000, 10, "window halved")
    # ? opens the help; f follows the live edge again after a zoom
    press(dash_duo, "?")
    wait_until(lambda: js(dash_duo, f"document.getElementById('{ids.VIEW_KEYS}').open"), 5, "help shown")
    assert "follow the live edge" in dash_duo.find_element(f"#{ids.VIEW_KEYS}").text
    press(dash_duo, " ")
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Pause")
    js(dash_duo, graph_js("Plotly.relayout(gd, {'xaxis.range': [1, 1.2]})"))
    wait_until(
        lambda: js(dash_duo, f"dash_clientside.tickless.interact.frozen('{GRAPH}')"), 5, "zoom freezes"
    )
    press(dash_duo, "f")
    wait_until(
        lambda: not js(dash_duo, f"dash_clientside.tickless.interact.frozen('{GRAPH}')"), 5, "f follows"
    )
    assert dash_duo.get_logs() == []


def wait_file(folder, suffix, timeout=15):
    found = wait_until(lambda: [p for p in folder.iterdir() if p.name.endswith(suffix)], timeout, suffix)
    wait_until(lambda: found[0].stat().st_size > 0, timeout, "written")
    return found[0]


def test_data004_png_and_csv_downloads_are_the_window_on_screen(dash_duo, tmp_path):
    from tests import pngread

    start(dash_duo, create_app(VIEWER_SETTINGS))
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    dash_duo.driver.get(dash_duo.server_url + "/?bridge=0&decimate=off&window=1500")
    wait_until(lambda: streamed_end(dash_duo) > 2000, 15, "streams")
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: js(dash_duo, graph_js("gd.data[0].x.length")) == 1500, 10, "the window drawn")
    shown_x = js(dash_duo, graph_js("Array.from(gd.data[0].x)"))
    shown_y = [js(dash_duo, graph_js(f"Array.from(gd.data[{k}].y)")) for k in range(3)]
    dash_duo.find_element(f"#{ids.VIEW_CSV}").click()
    path = wait_file(tmp_path, ".csv")
    lines = path.read_text().strip().splitlines()
    assert lines[0] == "time,ch1,ch2,ch3"
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 1500
    assert [float(r[0]) for r in rows] == pytest.approx(shown_x, abs=1e-9)
    for k in range(3):
        assert np.array_equal(
            np.array([r[k + 1] for r in rows], dtype=np.float32), np.array(shown_y[k], dtype=np.float32)
        )
    values = VIEWER_DATA()
    first = round(shown_x[0] * 1000)
    assert float(rows[10][2]) == pytest.approx(float(values[1][(first + 10) % values.shape[1]]), rel=1e-7)
    dash_duo.find_element(f"#{ids.VIEW_PNG}").click()
    png = wait_file(tmp_path, ".png").read_bytes()
    rect = js(dash_duo, graph_js("[gd.getBoundingClientRect().width, gd.getBoundingClientRect().height]"))
    assert pngread.size(png) == (round(rect[0]), round(rect[1]))
    image = pngread.read(png)
    colors = js(dash_duo, graph_js("gd._fullData.map(t => t.line.color)"))
    for color in colors:
        rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
        assert pngread.pixels_near(image, rgb, 30) > 200, f"the trace coloured {color} is in the PNG"
    assert dash_duo.get_logs() == []


def VIEWER_DATA():
    return datafile.current(VIEWER_SETTINGS).values
