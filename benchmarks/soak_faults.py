"""The soak's scripted faults (benchmarks/soak.py runs them at fixed fractions of the run): a worker killed with
SIGKILL, the whole server stopped and started again, the server window hidden; for each, what the page did
meanwhile and how soon it came back by itself."""

from __future__ import annotations

import os
import signal
import statistics
import time

from .launcher import Gunicorn
from .soak_browser import TABS, Browser, graphs, now_ms, wait_for


def newest(browser: Browser, tab: str) -> dict[str, int]:
    snap = browser.snapshot(tab) or {"graphs": {}}
    return {g: v["newest"] for g, v in snap["graphs"].items()}


def recovery(browser: Browser, since_ms: int, timeout: float = 15.0) -> dict:
    """After the server answers again: ms until each tab's bridge answers and each server panel draws new data."""
    marks = {tab: browser.snapshot(tab) or {} for tab in TABS}
    out: dict[str, float | None] = {}
    pending = {f"bridge:{tab}" for tab in TABS} | {f"panel:{g}" for g in graphs("server")}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for tab in TABS:
            snap = browser.snapshot(tab) or {}
            key = f"bridge:{tab}"
            if key in pending and snap.get("bridgeSeq", 0) > marks[tab].get("bridgeSeq", 0):
                out[key] = snap["t"] - since_ms
                pending.discard(key)
            if tab == "server":
                for g in graphs("server"):
                    was = marks[tab].get("graphs", {}).get(g, {}).get("newest", -1)
                    if f"panel:{g}" in pending and snap["graphs"][g]["newest"] > was:
                        out[f"panel:{g}"] = snap["t"] - since_ms
                        pending.discard(f"panel:{g}")
        time.sleep(0.1)
    for key in pending:
        out[key] = None
    return out


def kept_painting(browser: Browser, seconds: float) -> dict:
    """Watch the clientside window for `seconds`: frames and each panel's newest sample must keep advancing."""
    seen = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        snap = browser.snapshot("clientside")
        if snap:
            seen.append((snap["frames"], {g: v["newest"] for g, v in snap["graphs"].items()}))
        time.sleep(0.5)
    steps = list(zip(seen, seen[1:], strict=False))
    stalls = sum(1 for a, b in steps if b[0] <= a[0] or any(b[1][g] <= a[1][g] for g in a[1]))
    return {"checks": len(steps), "stalls": stalls, "painted": bool(steps) and stalls == 0}


def fault_kill(server: Gunicorn, browser: Browser) -> dict:
    victim = server.worker_pids()[0]
    t0 = now_ms()
    os.kill(victim, signal.SIGKILL)
    replaced = wait_for(
        lambda: len(server.worker_pids()) >= server.workers and victim not in server.worker_pids(), 30
    )
    t_ready = now_ms()
    rec = recovery(browser, t_ready)
    failed = [
        f for tab in TABS for f in browser.fetches(tab) if f["t0"] >= t0 and f["status"] in (0, 502, 503, 504)
    ]
    return {
        "kind": "kill -9 worker",
        "at_ms": t0,
        "victim": victim,
        "replaced_ms": (t_ready - t0) if replaced else None,
        "failed_requests": len(failed),
        "recovery_ms": rec,
    }


def fault_restart(server: Gunicorn, browser: Browser, outage_s: float) -> dict:
    t_stop = now_ms()
    server.stop()
    painting = kept_painting(browser, outage_s)
    t_start = now_ms()
    during = {tab: [f for f in browser.fetches(tab) if t_stop < f["t0"] < t_start] for tab in TABS}
    server.start()
    t_ready = now_ms()
    rec = recovery(browser, t_ready)
    callbacks = sum(1 for fs in during.values() for f in fs if "/_tickless/alive" not in f["url"])
    probes = sum(1 for fs in during.values() for f in fs if "/_tickless/alive" in f["url"])
    texts = {tab: (browser.snapshot(tab) or {}).get("linkText", "") for tab in TABS}
    return {
        "kind": f"server stopped {outage_s:g} s",
        "at_ms": t_stop,
        "outage_ms": t_start - t_stop,
        "boot_ms": t_ready - t_start,
        "clientside_kept_painting": painting,
        "callback_requests_during": callbacks,
        "probes_during": probes,
        "probes_per_s_per_tab": round(probes / len(TABS) / max(0.001, (t_start - t_stop) / 1000), 2),
        "recovery_ms": rec,
        "link_text_after": texts,
    }


def behind(snap: dict) -> dict[str, int]:
    """How many samples each panel's newest drawn sample is behind the clock's due end (1 kHz: milliseconds)."""
    return {g: snap["due"] - v["newest"] for g, v in (snap.get("graphs") or {}).items()}


def steady_behind(browser: Browser, tab: str, seconds: float = 3.0) -> dict[str, float | None]:
    """Each panel's median lag behind the clock over `seconds`: where it stays when nothing is wrong (a server
    panel under load trails the clock by its round trip and render, often more than 0.5 s on this machine)."""
    seen: dict[str, list[int]] = {g: [] for g in graphs(tab)}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for g, lag in behind(browser.snapshot(tab) or {}).items():
            seen.setdefault(g, []).append(lag)
        time.sleep(0.25)
    return {g: statistics.median(v) if v else None for g, v in seen.items()}


def fault_hidden(browser: Browser, hidden_s: float) -> dict:
    """Minimise the server window for `hidden_s`, show it again: what it did while hidden, and how soon each server
    panel was back at the live edge, both absolute (within 0.5 s of the clock) and relative to its own lag before
    hiding (within twice that, at least 0.5 s: a panel that trailed by 0.7 s before is back when it trails by
    ≤ 1.4 s), timed for all panels at once from the moment the page says it is visible."""
    lag_before = steady_behind(browser, "server")
    limit = {g: max(500.0, 2 * (v or 0)) for g, v in lag_before.items()}
    before = browser.snapshot("server") or {}
    browser.window_state("server", "minimized")
    hidden = wait_for(lambda: (browser.snapshot("server") or {}).get("visible") == "hidden", 5)
    t_hidden = now_ms()
    time.sleep(hidden_s)
    t_shown = now_ms()
    during = browser.snapshot("server") or {}
    sent = [f for f in browser.fetches("server") if t_hidden + 300 < f["t0"] < t_shown]
    browser.window_state("server", "normal")
    wait_for(lambda: (browser.snapshot("server") or {}).get("visible") == "visible", 5)
    t_vis = now_ms()
    # what holds each server panel as it is shown, and a second later: its tick gate and the renderer's queue
    looks = {"at_show": browser.snapshot("server") or {}}
    edge: dict[str, float | None] = {g: None for g in limit}
    steady: dict[str, float | None] = {g: None for g in limit}
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (None in edge.values() or None in steady.values()):
        snap = browser.snapshot("server") or {}
        if "after_1s" not in looks and snap.get("t", 0) - t_vis >= 1000:
            looks["after_1s"] = snap
        for g, lag in behind(snap).items():
            if edge.get(g, 0) is None and lag < 500:
                edge[g] = snap["t"] - t_vis
            if steady.get(g, 0) is None and lag <= limit[g]:
                steady[g] = snap["t"] - t_vis
        time.sleep(0.1)
    looks.setdefault("after_1s", browser.snapshot("server") or {})
    gates = {g: v["gate"] for g, v in ((browser.snapshot("server") or {}).get("graphs") or {}).items()}
    after = [f for f in browser.fetches("server") if f["t0"] >= t_vis and f["output"]]
    per_panel = {g: sum(1 for f in after if g in f["output"] and f["t0"] < t_vis + 1000) for g in limit}
    first = {g: min((f["t0"] - t_vis for f in after if g in f["output"]), default=None) for g in limit}
    return {
        "kind": f"server window hidden {hidden_s:g} s",
        "at_ms": t_hidden,
        "hidden": bool(hidden),
        "frames_while_hidden": during.get("frames", 0) - before.get("frames", 0),
        "requests_while_hidden": len(sent),
        "lag_before_ms": lag_before,  # each server panel's median lag behind the clock in the 3 s before hiding
        "live_edge_ms": edge,  # shown → within 0.5 s of the clock (None: not within 15 s)
        "steady_ms": steady,  # shown → back within max(0.5 s, twice its lag before hiding)
        "first_request_ms": first,  # shown → the panel's first request
        "requests_first_second_per_panel": per_panel,
        "gates_after": gates,  # each server panel's tick gate once the live-edge wait ended (62_gate.js figures)
        "looks": {
            when: {
                "t_ms": snap.get("t", 0) - t_vis,
                "link": {k: (snap.get("link") or {}).get(k) for k in ("up", "hidden", "allows")},
                "gates": {g: v["gate"] for g, v in (snap.get("graphs") or {}).items()},
                "queue": snap.get("queue"),
            }
            for when, snap in looks.items()
        },
    }
