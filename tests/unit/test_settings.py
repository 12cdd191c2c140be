"""Unit tests of settings precedence and of the one-line messages for bad flags and env values."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.__main__ import main
from app.settings import Settings, SettingsError
from tests.conftest import ROOT


def test_defaults():
    s = Settings.load({}, env={})
    assert (s.host, s.port, s.debug) == ("127.0.0.1", 8050, False)
    assert (s.channels, s.rate, s.seconds, s.window) == (4, 1000, 300.0, 2000)
    assert s.length == 300_000


def test_precedence_flag_over_env_over_default():
    env = {"PORT": "9000", "HOST": "0.0.0.0", "DEBUG": "true", "TICKLESS_CHANNELS": "2"}
    s = Settings.load({"port": "9100", "channels": None}, env=env)
    assert s.port == 9100  # flag wins
    assert s.host == "0.0.0.0" and s.debug is True and s.channels == 2  # env next
    assert s.rate == 1000  # default last


@pytest.mark.parametrize(
    ("explicit", "env", "expected"),
    [
        ({"port": "abc"}, {}, "invalid --port 'abc': expected an integer from 1 to 65535"),
        ({"port": "70000"}, {}, "invalid --port '70000': expected an integer from 1 to 65535"),
        ({}, {"PORT": "-1"}, "invalid PORT '-1': expected an integer from 1 to 65535"),
        ({}, {"DEBUG": "maybe"}, "invalid DEBUG 'maybe': expected one of true/false"),
        ({"channels": "0"}, {}, "invalid --channels '0': expected an integer from 1 to 16"),
        ({"seconds": "nan"}, {}, "invalid --seconds 'nan': expected a number from 0.1 to 86400"),
        (
            {"window": "12.5"},
            {},
            "invalid --window '12.5': expected an integer from 100 to 1000000",
        ),
        ({"host": "a b"}, {}, "invalid --host 'a b': expected a hostname or IP address"),
        ({"rate": "10", "seconds": "1"}, {}, "gives 10 samples per channel; expected at least 100"),
        (
            {"channels": "16", "rate": "1000000", "seconds": "100"},
            {},
            "expected at most 64,000,000",
        ),
    ],
)
def test_bad_values_name_the_value_and_what_is_allowed(explicit, env, expected):
    with pytest.raises(SettingsError) as err:
        Settings.load(explicit, env=env)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_debug_values():
    for text, value in [("1", True), ("yes", True), ("off", False), ("False", False)]:
        assert Settings.load({}, env={"DEBUG": text}).debug is value


def test_cli_bad_flag_exits_2_with_one_line(capsys, monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    assert main(["--port", "nope"]) == 2
    err = capsys.readouterr().err
    assert err == "tickless: error: invalid --port 'nope': expected an integer from 1 to 65535\n"


def test_cli_unknown_flag_is_one_line():
    proc = subprocess.run(
        [sys.executable, "-m", "app", "--colour", "blue"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "unrecognized arguments: --colour blue" in proc.stderr


def test_wsgi_bad_env_stops_with_one_line():
    proc = subprocess.run(
        [sys.executable, "-c", "import app.wsgi"],
        cwd=ROOT,
        env={"PATH": "", "TICKLESS_RATE": "fast"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        "tickless: error: invalid TICKLESS_RATE 'fast': expected an integer from 1 to 1000000"
    )
