"""server-push in real headless Chromium against a real push server (uvicorn, Dash's FastAPI backend, websocket
callbacks): it draws and rolls with each sample once, reconnects by itself after a restart and after Dash closed
its idle socket (the inactivity timeout), and a stalled tab gets a bounded backlog and an honest dropped count.

PUSH_MINUTES sets how long test_push001 streams at 10× speed (default 1: the issue's full minute, in `make test`
too; e.g. `PUSH_MINUTES=0.25` for 15 s while working on it).
"""

from __future__ import annotations

import os
import time

import pytest

from app import contract, ids
from tests.integration.helpers import js, snapshot, wait_until
from tests.integration.push_server import PushServer

SID = "server-push"
G = ids.panel(SID, "graph")
MINUTES = float(os.environ.get("PUSH_MINUTES", "1"))


@pytest.fixture
def push(dash_duo):
    """A push server on a free port (3 channels × 20 s dataset), stopped after the test."""
    server = PushServer().start()
    yield server
    server.stop()


def open_push(dash_duo, server: PushServer, query: str = "window=2000&bridge=0") -> None:
    """Open the server-push page and wait until pushed samples are on screen."""
    dash_duo.driver.get(f"{server.url}/strategy/{SID}?{query}")
    wait_until(lambda: (state(dash_duo) or {}).get("draws", 0) > 2, 30, "pushed samples drawn")


def state(dash_duo) -> dict | None:
    """The push panel's receiver counters and draws (assets/js/67_push.js state)."""
    return js(
        dash_duo, f"window.dash_clientside.tickless.push && window.dash_clientside.tickless.push.state({G!r})"
    )


def columns(dash_duo) -> list[dict]:
    """Every trace's x values as sample indices (rounded x * rate), and its length."""
    return dash_duo.driver.execute_script(
        f"""const gd = document.getElementById({G!r}).querySelector('.js-plotly-plot');
        const rate = window.dash_clientside.tickless.stream.tab.dataset.rate;
        return gd.data.map((t) => Array.from(t.x, (x) => Math.round(x * rate)));"""
    )


def assert_each_sample_once(cols: list[list[int]], dropped: int) -> None:
    """Every trace holds increasing sample indices, none twice; gaps only as many as the tab counted."""
    for xs in cols:
        steps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
        assert all(s >= 1 for s in steps), "a sample drawn twice or out of order"
        gaps = sum(s - 1 for s in steps)
        assert gaps <= dropped, f"{gaps} samples missing on screen but the tab counted {dropped} dropped"


def test_push001_draws_and_rolls_each_sample_once_at_10x(dash_duo, push):
    open_push(dash_duo, push, "window=2000&bridge=0&speed=10")
    first = columns(dash_duo)[0]
    deadline = time.monotonic() + MINUTES * 60
    checks = 0
    while time.monotonic() < deadline:
        time.sleep(3)
        cols = columns(dash_duo)
        s = state(dash_duo)
        assert_each_sample_once(cols, s["dropped"])
        checks += 1
    cols = columns(dash_duo)
    s = state(dash_duo)
    assert checks >= 1
    assert len(cols) == 3 and all(len(c) == 2000 for c in cols), "the window fills and keeps its size"
    assert cols[0][0] > first[-1], "the window rolled past everything it first showed"
    rate = js(dash_duo, "window.dash_clientside.tickless.stream.tab.dataset.rate")
    assert s["end"] - first[-1] >= 10 * rate * MINUTES * 60 * 0.8, "10x the source's rate arrived"
    assert s["dropped"] == 0 and s["reconnects"] == 0, s
    assert s["duplicates"] == 0, s
    snap = snapshot(dash_duo, G)
    print(  # the run's figures, for `pytest -s` (README: the full minute)
        f"push001: {MINUTES:g} min at 10x: {s['end'] - first[-1]:,} samples received, {s['messages']:,} messages, "
        f"{s['draws']:,} draws, fps {snap['fps']}, latency p50/p95 {snap.get('latencyP50')}/"
        f"{snap.get('latencyP95')} ms, dropped {s['dropped']}, duplicates {s['duplicates']}, "
        f"reconnects {s['reconnects']}, requests {snap['requests']}"
    )
    assert snap["fps"] > 5, snap  # drawn by the engine's frame, not once per message
    assert snap["requests"] == 0, "push makes no /_dash-update-component request"
    assert dash_duo.get_logs() == []


def link_text(dash_duo) -> str:
    """The push HUD's socket field."""
    return js(dash_duo, f"document.getElementById({ids.panel(SID, 'link')!r}).textContent")


def hud_dropped(dash_duo) -> int:
    """The push HUD's dropped count (-1 while it shows none)."""
    text = js(dash_duo, f"document.getElementById({ids.panel(SID, 'dropped')!r}).textContent") or ""
    return int(text.replace(",", "")) if text[:1].isdigit() else -1


def test_push002_reconnects_by_itself_after_a_server_restart(dash_duo, push):
    open_push(dash_duo, push)
    wait_until(lambda: link_text(dash_duo).startswith("live"), 10, "the HUD says live")
    before = state(dash_duo)
    push.restart(down_s=2.0)
    wait_until(lambda: state(dash_duo)["reconnects"] >= 1, 40, "a new stream adopted after the restart")
    wait_until(lambda: "reconnected" in link_text(dash_duo), 10, "the HUD says it reconnected")
    end = state(dash_duo)["end"]
    wait_until(lambda: state(dash_duo)["end"] > end + 500, 10, "samples flow again")
    after = state(dash_duo)
    assert after["run"] > before["run"]
    # Dash re-runs the input-less push callback on reconnect and the watchdog may have asked too: two streams can
    # overlap for a moment; the tab keeps the newest and cuts what it already has (nothing is drawn twice)
    assert after["dropped"] == 0, (
        "the new stream resumed where the tab was (the synthetic source is anchored)"
    )
    wait_until(lambda: "no data" not in link_text(dash_duo), 5, "the HUD no longer says it is waiting")
    time.sleep(1)
    assert_each_sample_once(columns(dash_duo), state(dash_duo)["dropped"])
    logs = [
        e for e in dash_duo.get_logs() if "WebSocket" not in e["message"] and "_dash-ws" not in e["message"]
    ]
    assert logs == []


def test_push003_a_stalled_tab_gets_a_bounded_backlog_and_an_honest_dropped_count(dash_duo, push):
    open_push(dash_duo, push, "window=2000&bridge=0&speed=50")
    wait_until(lambda: link_text(dash_duo).startswith("live"), 10, "the HUD says live")
    # block the page's main thread for 4 s: its acknowledgements stop, the worker keeps the socket open
    dash_duo.driver.execute_script("const t = Date.now(); while (Date.now() - t < 4000) {} return true;")
    wait_until(
        lambda: state(dash_duo)["serverDropped"] > 0, 10, "the server's queue dropped its oldest samples"
    )
    # honest: the tab counts at least what the server's queue dropped (each drop is a gap in what it received)
    wait_until(
        lambda: state(dash_duo)["dropped"] >= state(dash_duo)["serverDropped"] > 0,
        10,
        "the tab counts the drops",
    )
    s = state(dash_duo)
    assert s["pending"] <= contract.PUSH_QUEUE_SAMPLES, "the tab's own backlog is bounded too"
    wait_until(lambda: hud_dropped(dash_duo) == state(dash_duo)["dropped"] > 0, 5, "the HUD shows the drops")
    end = state(dash_duo)["end"]
    wait_until(lambda: state(dash_duo)["end"] > end + 5000, 10, "the newest data flows again")
    assert_each_sample_once(columns(dash_duo), state(dash_duo)["dropped"])
    assert dash_duo.get_logs() == []


# the push server's websocket inactivity timeout in test_push004 (Dash's default: 300 s)
INACTIVITY_MS = 3_000


@pytest.fixture
def idle_push(dash_duo):
    """A push server whose sockets close after INACTIVITY_MS with nothing but heartbeats on them."""
    server = PushServer({"TICKLESS_PUSH_INACTIVITY_MS": str(INACTIVITY_MS)}).start()
    yield server
    server.stop()


def dash_log_lines(dash_duo) -> list[str]:
    """Dash's own '[Dash] WebSocket …' console lines since watch_dash_log (the renderer logs its socket's
    connects and closes at level INFO, which the test's browser log does not keep)."""
    return js(dash_duo, "window.__ticklessDashLog || []")


def watch_dash_log(dash_duo) -> None:
    """Keep a copy of the renderer's '[Dash] WebSocket' console lines (console.log still runs as before)."""
    dash_duo.driver.execute_script(
        """if (!window.__ticklessDashLog) {
            window.__ticklessDashLog = [];
            const log = console.log;
            console.log = function (...args) {
                const text = args.map(String).join(" ");
                if (text.startsWith("[Dash] WebSocket") || text.startsWith("[Dash] Reconnected"))
                    window.__ticklessDashLog.push(text);
                return log.apply(this, args);
            };
        }"""
    )


def test_push004_an_idle_socket_closed_by_the_inactivity_timeout_comes_back_by_itself(dash_duo, idle_push):
    open_push(dash_duo, idle_push)
    config = js(dash_duo, "JSON.parse(document.getElementById('_dash-config').textContent).websocket")
    assert config["inactivity_timeout"] == INACTIVITY_MS, "the server's setting reached the page"
    wait_until(lambda: link_text(dash_duo).startswith("live"), 10, "the HUD says live")
    watch_dash_log(dash_duo)
    # pause: the tab wants nothing, its stream ends, the socket idles
    dash_duo.find_element(f"#{ids.PLAY}").click()
    dash_duo.wait_for_text_to_equal(f"#{ids.PLAY}", "Play")
    wait_until(lambda: link_text(dash_duo) == "paused", 5, "the HUD says paused")
    paused = state(dash_duo)
    # the worker checks at each heartbeat (every 30 s): closed by then with code 4001, and not reopened by itself
    wait_until(
        lambda: any("disconnected: Inactivity timeout" in line for line in dash_log_lines(dash_duo)),
        60,
        "Dash closed the idle socket",
    )
    assert state(dash_duo)["run"] == paused["run"] and state(dash_duo)["reconnects"] == 0
    dash_duo.find_element(f"#{ids.PLAY}").click()  # play again: the watchdog asks, and so opens a new socket
    seen: set[str] = set()

    def back_live() -> bool:
        text = link_text(dash_duo)
        seen.add(text.split(" · ")[0].split(":")[0])
        return text.startswith("live") and "reconnected ×1" in text

    try:
        wait_until(back_live, 30, "the HUD says live · reconnected ×1")
    except Exception as exc:
        raise AssertionError(
            f"{exc}: HUD {link_text(dash_duo)!r}, seen {seen}, state {state(dash_duo)}, Dash said "
            f"{dash_log_lines(dash_duo)}, server log {idle_push.log.read_text()[-1500:]!r}"
        ) from None
    assert seen & {"waiting for data"} or any(s.startswith("no data") for s in seen), (
        f"the HUD said it was waiting before the data came back: {seen}"
    )
    lines = dash_log_lines(dash_duo)
    assert any(line == "[Dash] WebSocket connected" for line in lines), f"a new socket: {lines}"
    end = state(dash_duo)["end"]
    wait_until(lambda: state(dash_duo)["end"] > end + 500, 10, "samples flow again")
    s = state(dash_duo)
    assert s["run"] > paused["run"]
    assert s["dropped"] == 0, "a pause is not a loss: the new stream starts where the tab stopped"
    # one socket came back once: the second stream Dash starts on reconnect is a handover, not a reconnect
    assert s["reconnects"] == 1 and s["duplicates"] == 0, s
    wait_until(lambda: hud_dropped(dash_duo) == state(dash_duo)["dropped"], 5, "the HUD's dropped count")
    assert_each_sample_once(columns(dash_duo), state(dash_duo)["dropped"])
    assert dash_duo.get_logs() == []
