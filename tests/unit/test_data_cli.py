"""`python -m app --data FILE` and TICKLESS_DATA: the file becomes the one dataset every part serves; a bad
file stops the process with status 2 and one line naming the place."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from app import create_app, datafile, tabdata
from app.__main__ import main
from app.settings import DataError, Settings
from app.strategies import common

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def good_csv(tmp_path):
    t = np.arange(20_000) / 500
    path = tmp_path / "plant.csv"
    np.savetxt(path, np.c_[t, np.sin(t), np.cos(t)], delimiter=",", header="time,pressure,flow", comments="")
    return str(path)


def test_settings_take_channels_rate_length_and_window_from_the_file(good_csv):
    s = Settings.load({"data": good_csv}, env={})
    assert (s.channels, s.rate, s.length, s.window) == (2, 500, 20_000, 2_500)  # window: 5 s of the data
    ds = datafile.current(s)
    assert ds.names == ("pressure", "flow") and common.dataset(s) is ds.values
    assert common.names(s) == ["pressure", "flow"]
    forced = Settings.load({"data": good_csv, "rate": "1000", "window": "300"}, env={})
    assert (forced.rate, forced.window, forced.data_rate) == (1000, 300, 1000)
    assert Settings.load({}, env={"TICKLESS_DATA": good_csv}).channels == 2


def test_the_page_and_the_server_strategies_serve_the_file(good_csv):
    s = Settings.load({"data": good_csv}, env={})
    server = create_app(s).server.test_client()
    layout = server.get("/_dash-layout").get_json()
    text = json.dumps(layout, ensure_ascii=False)
    assert "plant.csv: 2 channels × 40 s at 500 Hz" in text
    store = _find(layout, "shell-data")["props"]["data"]
    assert store["names"] == ["pressure", "flow"] and store["rate"] == 500 and store["length"] == 20_000
    if "url" in store:  # the dataset by reference (app/dataroute.py): fetch the content-hashed binary
        body = server.get(store["url"]).data
        samples = np.frombuffer(body, dtype="<f4").reshape(2, -1)[1]
    else:
        from app import data

        samples = data.decode_channel(store["channels"][1])
    assert np.array_equal(samples, datafile.current(s).values[1])
    config = _find(layout, "shell-config")["props"]["data"]
    assert config["names"] == ["pressure", "flow"] and config["limits"]["window"][1] == 20_000
    assert config["data"]["uploadPath"] == "/_tickless/upload"
    fig = common.figure(tabdata.own(s), common.View(100, (1,), "scatter"), "server-figure", 900, 1000)
    assert fig["data"][0]["name"] == "flow"
    assert np.allclose(fig["data"][0]["y"], np.cos(np.arange(900, 1000) / 500), atol=1e-6)


def _find(node, wanted):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == wanted:
            return node
        children = node.get("props", {}).get("children")
        return _find(children, wanted) if children is not None else None
    if isinstance(node, list):
        for child in node:
            hit = _find(child, wanted)
            if hit:
                return hit
    return None


def test_a_bad_file_is_one_settings_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("time,a\n0,1\n0.1,2,3\n")
    with pytest.raises(DataError, match=r"bad.csv: line 3 has 3 fields; the header has 2"):
        Settings.load({"data": str(bad)}, env={})


def test_cli_exits_2_naming_the_place(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("time,a,b\n0,1,2\n0.01,2,x\n")
    assert main(["--data", str(bad)]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip().splitlines()[-1]
        == "tickless: error: bad.csv: line 3, column 3 ('b'): 'x' is not a number"
    )
    assert main(["--data", str(tmp_path / "missing.wav")]) == 2
    assert "missing.wav: cannot read the file" in capsys.readouterr().err


def test_cli_process_exit_status_and_progress(tmp_path):
    bad = tmp_path / "cut.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00")
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--data", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("cut.wav: truncated: the 'fmt ' chunk at byte 12 is cut short")


def test_python_m_app_datafile_checks_a_file(good_csv, tmp_path, capsys):
    from app.datafile import main as check

    assert check([good_csv]) == 0
    out = capsys.readouterr().out
    assert out.startswith("plant.csv: 2 channels × 40 s at 500 Hz") and "numpy peak" in out
    bad = tmp_path / "bad.npy"
    bad.write_bytes(b"\x93NUMPY\x01\x00junk")
    assert check([str(bad)]) == 2
    assert "bad.npy: header: not a valid .npy file" in capsys.readouterr().err
