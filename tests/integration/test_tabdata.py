"""A tab's upload reaches the server's callbacks: after a file is uploaded, the server panels draw its samples and
the bridge analyses them, not the server's built-in signal (headless Chromium, the real upload route)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app import create_app, datafile, ids
from app.settings import Settings
from tests.integration.helpers import component_prop, js, start, wait_until, wall_display
from tests.integration.test_data import choose, write_csv

SETTINGS = Settings(channels=2, rate=1000, seconds=5)
RATE = 250


def traces(dash_duo, sid: str) -> list[dict]:
    """The names, x and y of a panel's plotly traces as drawn."""
    graph = ids.panel(sid, "graph")
    return js(
        dash_duo,
        f"""(function (el) {{
            const gd = el && el.querySelector('.js-plotly-plot');
            return gd && gd.data ? gd.data.map(t => ({{name: t.name, x: Array.from(t.x), y: Array.from(t.y)}})) : [];
        }})(document.getElementById('{graph}'))""",
    )


def drawn_from_file(got: list[dict], values: np.ndarray) -> bool:
    """Every point drawn is the file's sample at its time (x in seconds at the file's rate, the data looped)."""
    if [t["name"] for t in got] != ["alpha", "beta", "gamma"] or not got[0]["x"]:
        return False
    for c, t in enumerate(got):
        idx = np.rint(np.asarray(t["x"]) * RATE).astype(np.int64) % values.shape[0]
        if not np.array_equal(np.asarray(t["y"], dtype=np.float32), values[idx, c]):
            return False
    return True


def test_tab001_server_panels_and_the_bridge_use_the_tabs_upload(dash_duo, tmp_path):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/compare?s=server-extend,server-figure&bridge=250")
    wait_until(lambda: len(traces(dash_duo, "server-extend")) == 2, 20, "the built-in data draws")
    write_csv(tmp_path / "plant.csv", rate=RATE)
    values = datafile.load(tmp_path / "plant.csv").values.T  # (samples, channels) as the server parsed it
    choose(dash_duo, tmp_path / "plant.csv")
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_STATUS}", "Loaded plant.csv", 20)
    for sid in ("server-extend", "server-figure"):
        wait_until(
            lambda sid=sid: drawn_from_file(traces(dash_duo, sid), values), 20, f"{sid} draws the file"
        )
    # the extend panel keeps appending the file's samples (extendData), still the file's values
    first = max(traces(dash_duo, "server-extend")[0]["x"])
    wait_until(
        lambda: max(traces(dash_duo, "server-extend")[0]["x"]) > first + 1, 10, "server-extend streams"
    )
    assert drawn_from_file(traces(dash_duo, "server-extend"), values)

    def analysed():
        result = json.loads(component_prop(dash_duo, ids.BRIDGE_RESULT, ids.BRIDGE_RESULT_ATTR) or "{}")
        rows = {r["name"]: r for r in result.get("rows", [])}
        return (result, rows) if set(rows) == {"alpha", "beta", "gamma"} else None

    result, rows = wait_until(analysed, 20, "the bridge analyses the file's channels")
    lo, hi = round(result["start"] * RATE), round(result["head"] * RATE)
    window = values[np.arange(lo, hi) % values.shape[0]]
    for c, name in enumerate(("alpha", "beta", "gamma")):
        assert rows[name]["n"] == hi - lo
        expected = (float(window[:, c].min()), float(window[:, c].max()))
        assert (rows[name]["min"], rows[name]["max"]) == expected, name
    assert result["notes"] == []
    assert dash_duo.get_logs() == []


START = 1714557600.0  # 2024-05-01T10:00:00Z


def axis(dash_duo, sid: str) -> dict | None:
    """A panel's x axis as plotly drew it: type, range in epoch ms, first tick label, first x of trace 0."""
    graph = ids.panel(sid, "graph")
    return js(
        dash_duo,
        f"""(function (el) {{
            const gd = el && el.querySelector('.js-plotly-plot');
            const ax = gd && gd._fullLayout && gd._fullLayout.xaxis;
            if (!ax || !gd.data || !gd.data.length || !ax._vals) return null;
            return {{type: ax.type, range: ax.range.map((r) => ax.r2l(r)),
                     tick: ax._vals.length ? String(ax._vals[0].text) : "", x0: Number(gd.data[0].x[0]),
                     y0: Number(gd.data[0].y[0]), title: ax.title && ax.title.text}};
        }})(document.getElementById('{graph}'))""",
    )


def test_tab002_timestamps_give_a_date_axis_on_every_plotly_panel(dash_duo, tmp_path):
    start(dash_duo, create_app(SETTINGS))
    dash_duo.driver.get(dash_duo.server_url + "/compare?s=clientside-raf,server-extend&bridge=0")
    wait_until(lambda: (axis(dash_duo, "server-extend") or {}).get("type") == "linear", 20, "seconds first")
    rows = 4000
    t = np.arange(rows) / RATE
    stamps = [
        np.datetime_as_string(np.datetime64(int(START * 1000 + k * 4), "ms"), unit="ms") + "Z"
        for k in range(rows)
    ]
    lines = "".join(f"{s},{np.sin(2 * np.pi * v):.6f}\n" for s, v in zip(stamps, t, strict=True))
    (tmp_path / "ward.csv").write_text("timestamp,pulse\n" + lines)
    values = datafile.load(tmp_path / "ward.csv").values[0]
    choose(dash_duo, tmp_path / "ward.csv")
    dash_duo.wait_for_contains_text(f"#{ids.UPLOAD_STATUS}", "from 2024-05-01 10:00:00 UTC", 20)
    for sid in ("clientside-raf", "server-extend"):

        def dated(sid=sid):
            got = axis(dash_duo, sid)
            return got if got and got["type"] == "date" and got["x0"] >= START * 1000 else None

        got = wait_until(dated, 20, f"{sid} draws a date axis")
        lo, hi = got["range"]
        assert START * 1000 <= lo < hi <= START * 1000 + rows * 4, (sid, got)  # within the file's 16 s
        assert hi - lo == pytest.approx(5000, rel=0.02), (sid, got)  # the default window: 5 s of the file
        assert "10:00" in got["tick"], (sid, got)  # wall-clock labels, e.g. '10:00:01<br>May 1, 2024'
        assert got["title"] == "time (UTC)"
        k = (got["x0"] - START * 1000) / 4
        assert k == int(k) and got["y0"] == pytest.approx(float(values[int(k) % rows]), abs=1e-6), (sid, got)
    assert dash_duo.get_logs() == []


def look(dash_duo, sid: str) -> dict | None:
    """What the viewer's look did to a panel's drawn figure: paper colour, the traces' y axes, row titles."""
    graph = ids.panel(sid, "graph")
    return js(
        dash_duo,
        f"""(function (el) {{
            const gd = el && el.querySelector('.js-plotly-plot');
            if (!gd || !gd._fullLayout || !gd.data) return null;
            const L = gd._fullLayout;
            return {{paper: L.paper_bgcolor, font: L.font.size, axes: gd.data.map((t) => t.yaxis || "y"),
                     titles: [L.yaxis, L.yaxis2, L.yaxis3].map((a) => (a && a.title ? a.title.text : null))}};
        }})(document.getElementById('{graph}'))""",
    )


def test_tab003_stacked_and_dark_cover_the_server_panels_too(dash_duo):
    start(dash_duo, create_app(Settings(channels=3, rate=1000, seconds=5)))
    sids = ("clientside-raf", "server-extend", "server-patch")
    dash_duo.driver.get(dash_duo.server_url + "/compare?s=" + ",".join(sids) + "&bridge=0")
    for sid in sids:
        wait_until(lambda sid=sid: (look(dash_duo, sid) or {}).get("paper") == "#ffffff", 20, f"{sid}: light")
    dash_duo.find_element(f"#{ids.VIEW_LAYOUT} input[value=stacked]").click()
    for sid in sids:
        wait_until(
            lambda sid=sid: (look(dash_duo, sid) or {}).get("axes") == ["y", "y2", "y3"],
            20,
            f"{sid}: stacked",
        )
        assert look(dash_duo, sid)["titles"] == ["ch1", "ch2", "ch3"], sid
    # the OS switches to dark: every panel follows, the server ones through their view
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
    )
    for sid in sids:
        wait_until(lambda sid=sid: (look(dash_duo, sid) or {}).get("paper") == "#15181e", 20, f"{sid}: dark")
        assert look(dash_duo, sid)["axes"] == ["y", "y2", "y3"], f"{sid} stays stacked"
    # server-extend keeps streaming in its rows (extendData onto the stacked traces)
    first = max(traces(dash_duo, "server-extend")[0]["x"])
    wait_until(
        lambda: max(traces(dash_duo, "server-extend")[0]["x"]) > first + 0.5, 10, "server-extend streams"
    )
    assert dash_duo.get_logs() == []


def test_tab004_a_wall_display_gets_the_larger_chart_font_on_server_panels_too(dash_duo):
    start(dash_duo, create_app(SETTINGS))
    sids = ("clientside-raf", "server-extend", "server-figure")
    url = dash_duo.server_url + "/compare?s=" + ",".join(sids) + "&bridge=0"
    dash_duo.driver.get(url)
    for sid in sids:  # a laptop's screen: plotly's own 12 px everywhere
        wait_until(lambda sid=sid: (look(dash_duo, sid) or {}).get("font") == 12, 20, f"{sid}: 12 px")
    # the same page on a wall display's screen (2560 x 1440): every panel's chart font is the wall's
    wall_display(dash_duo)
    dash_duo.driver.get(url)
    for sid in sids:
        wait_until(
            lambda sid=sid: (look(dash_duo, sid) or {}).get("font") == 20, 20, f"{sid}: 20 px on a wall"
        )
    assert dash_duo.get_logs() == []
