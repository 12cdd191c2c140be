"""A tab's upload reaches the server's callbacks: after a file is uploaded, the server panels draw its samples and
the bridge analyses them, not the server's built-in signal (headless Chromium, the real upload route)."""

from __future__ import annotations

import numpy as np

from app import create_app, datafile, ids
from app.settings import Settings
from tests.integration.helpers import component_prop, js, start, wait_until
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
        result = component_prop(dash_duo, ids.BRIDGE_RESULT, "data") or {}
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
