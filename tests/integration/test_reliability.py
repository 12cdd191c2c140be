"""Reliability in real headless Chromium against a real gunicorn on 127.0.0.1 (`pytest -k rel`).

Faults: a worker killed with SIGKILL mid-stream; the whole server stopped and started again; a tab hidden (its
window minimised: the browser's own Page Visibility, rAF stopped) and shown again. Isolation: two browsers with
different settings on two workers. The locked-down page: every page under the Content-Security-Policy with no
violation. Each test reads the page's own figures (44_link.js, 62_gate.js, 50_stream.js snapshots) and a record
of every fetch the page made, installed before the page's scripts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import time
import urllib.request

import pytest

from app import contract, ids
from benchmarks import chrome
from benchmarks.launcher import Gunicorn, dataset_env
from tests.conftest import chromium_path, free_port, require_browser

pytestmark = pytest.mark.browser

RAF, EXTEND, FIGURE = (ids.panel(s, "graph") for s in ("clientside-raf", "server-extend", "server-figure"))

# Installed before any page script: every fetch (url, callback output, start, end, status), uncaught errors and
# CSP violations, so a test sees what the page sent and what went wrong, not only what the page says.
RECORDER = """
(() => {
  const rec = (window.__rel = { fetches: [], errors: [], csp: [] });
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === "string" ? input : (input && input.url) || "";
    let output = "";
    try { output = JSON.parse((init && init.body) || "{}").output || ""; } catch (e) {}
    const entry = { url, output, t0: Date.now(), t1: null, status: null };
    rec.fetches.push(entry);
    return original.apply(this, arguments).then(
      (res) => { entry.t1 = Date.now(); entry.status = res.status; return res; },
      (err) => { entry.t1 = Date.now(); entry.status = 0; throw err; }
    );
  };
  window.addEventListener("error", (e) => rec.errors.push(String(e.message)));
  window.addEventListener("unhandledrejection", (e) => rec.errors.push("unhandled: " + String(e.reason)));
  document.addEventListener("securitypolicyviolation", (e) =>
    rec.csp.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(" ")));
})();
"""

# Page errors a fault may cause while the server is away; after recovery there must be none at all
OUTAGE_NOISE = (
    "Callback failed: the server did not respond",
    "net::ERR_",
    "Failed to fetch",
    "Failed to load",
)


class Page:
    """One headless Chromium with the recorder installed, at a page of `base`."""

    def __init__(self, foreground: bool = True, extra: tuple[str, ...] = ()) -> None:
        from selenium import webdriver

        opts = chrome.options(foreground=foreground, binary=str(chromium_path()), extra=extra)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(options=opts)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        self.logs: list[dict] = []

    def open(self, url: str, ready_graphs: tuple[str, ...]) -> None:
        self.driver.get(url)
        for graph in ready_graphs:
            wait(lambda g=graph: (self.snap(g) or {}).get("points", 0) > 0, 30, f"{graph} draws")

    def js(self, expression: str):
        return self.driver.execute_script(f"return ({expression});")

    def snap(self, graph: str) -> dict | None:
        return self.js(f"window.dash_clientside.tickless.stream.snapshot({graph!r})")

    def newest(self, graph: str) -> int:
        """Index of the newest sample the plotly graph shows (-1 for none)."""
        return self.js(
            f"""(() => {{ const gd = window.dash_clientside.tickless.stream.findGraphDiv({graph!r});
                const x = gd && gd.data && gd.data[0] && gd.data[0].x;
                return x && x.length ? Math.round(x[x.length - 1] * 1000) : -1; }})()"""
        )

    def due(self) -> int:
        """The tab clock's due end now (samples)."""
        return self.js(
            "(() => { const ns = window.dash_clientside.tickless;"
            " return ns.clock.dueEnd(ns.stream.tab.clock, performance.now()); })()"
        )

    def link(self) -> dict:
        return self.js("window.dash_clientside.tickless.link.snapshot()")

    def gate(self, graph: str) -> dict:
        return self.js(f"window.dash_clientside.tickless.gate.snapshot({graph!r})")

    def text(self, element_id: str) -> str:
        return self.js(f"(document.getElementById({element_id!r}) || {{}}).textContent || ''")

    def fetches(self) -> list[dict]:
        return self.js("window.__rel.fetches")

    def now_ms(self) -> int:
        return self.js("Date.now()")

    def frames(self) -> int:
        return self.js("window.dash_clientside.tickless.stream.tab.frameCount")

    def bridge_seq(self) -> int:
        """The seq of the newest bridge sample whose analytics came back (0 before any)."""
        return self.js(
            f"(() => {{ const t = document.getElementById({ids.BRIDGE_STATUS!r}).textContent.match(/sample (\\d+)/);"
            " return t ? Number(t[1]) : 0; })()"
        )

    def collect_logs(self) -> list[dict]:
        self.logs += self.driver.get_log("browser")
        return self.logs

    def problems(self) -> dict:
        return {"errors": self.js("window.__rel.errors"), "csp": self.js("window.__rel.csp")}

    def quit(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()


def wait(predicate, timeout: float, message: str, poll: float = 0.05):
    """Poll until `predicate()` is truthy; fail naming `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    pytest.fail(f"timed out after {timeout:g} s: {message}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (loopback)
            return resp.status in (200, 204)
    except OSError:
        return False


@pytest.fixture
def browsers():
    require_browser()
    opened: list[Page] = []

    def make(**kw) -> Page:
        page = Page(**kw)
        opened.append(page)
        return page

    yield make
    for page in opened:
        page.quit()


@pytest.fixture
def server(tmp_path):
    """A function that starts gunicorn (`workers`, env) on a fixed free port; everything started is stopped."""
    started: list[Gunicorn] = []
    port = free_port()

    def serve(workers: int = 2, env: dict | None = None) -> Gunicorn:
        g = Gunicorn(
            tmp_path / f"gunicorn-{len(started)}.log",
            workers=workers,
            port=port,
            env={**dataset_env(seconds=60), **(env or {})},
        )
        started.append(g)
        return g.start()

    yield serve
    for g in started:
        g.stop()


def severe_after(logs: list[dict], t_ms: float) -> list[str]:
    """Console errors logged after `t_ms` (epoch ms)."""
    return [e["message"] for e in logs if e["level"] == "SEVERE" and e["timestamp"] > t_ms]


def outage_only(messages: list[str]) -> bool:
    return all(any(n in m for n in OUTAGE_NOISE) for m in messages)


def test_rel001_server_stopped_and_restarted_reconnects_with_backoff(server, browsers):
    g = server(workers=2)
    page = browsers()
    page.open(f"{g.url}/compare?s=clientside-raf,server-extend&bridge=1000", (RAF, EXTEND))
    wait(lambda: page.bridge_seq() > 0, 15, "the bridge's first analytics")
    assert page.text(ids.BRIDGE_LINK) == ""

    outage_s = 5.0
    t_stop = page.now_ms()
    g.stop()
    # the clientside chart never stops painting; the bridge and the server panel say the server is away
    frames0, raf0, ext0 = page.frames(), page.newest(RAF), page.newest(EXTEND)
    wait(lambda: "Server unreachable" in page.text(ids.BRIDGE_LINK), 5, "the bridge says server unreachable")
    wait(lambda: "reconnecting" in page.text(ids.panel("server-extend", "behind")), 5, "the panel reconnects")
    painted = []
    while page.now_ms() - t_stop < outage_s * 1000:
        time.sleep(0.5)
        painted.append((page.frames(), page.newest(RAF)))
    assert all(
        b[0] > a[0] and b[1] > a[1] for a, b in zip([(frames0, raf0), *painted], painted, strict=False)
    ), f"clientside-raf stopped painting during the outage: {painted}"
    assert page.newest(EXTEND) == ext0, "the server panel cannot draw without its server"

    t_start = page.now_ms()
    g.start()
    t_ready = page.now_ms()  # gunicorn answered the launcher's readiness request
    seq0 = page.bridge_seq()
    wait(lambda: page.bridge_seq() > seq0, 5, "the bridge resumes by itself")
    t_bridge = page.now_ms()
    wait(lambda: page.newest(EXTEND) > ext0, 5, "the server panel resumes by itself")
    wait(lambda: page.text(ids.BRIDGE_LINK).startswith("Server reachable again"), 2, "the bridge says so")
    assert "reconnecting" not in page.text(ids.panel("server-extend", "behind"))

    # resumed within two sample periods of the restart (the bridge period is 1 s)
    resume = [
        f["t1"]
        for f in page.fetches()
        if "bridge-result" in f["output"] and f["status"] == 200 and f["t0"] >= t_start
    ]
    assert resume and resume[0] - t_ready <= 2 * 1000, (
        f"bridge resumed {resume[0] - t_ready} ms after restart"
    )
    assert t_bridge - t_ready <= 2 * 1000 + 500  # +500: this test's own polling

    # back-off: during the outage no callback request went out after the first failures, and the probes were
    # spaced (no retry storm): at most one per 250 ms step doubling to the 0.75 s cap, +2 for the edges
    during = [f for f in page.fetches() if t_stop < f["t0"] < t_start]
    callbacks = [f for f in during if contract.LINK_PATH not in f["url"]]
    probes = [f for f in during if contract.LINK_PATH in f["url"]]
    outage_ms = t_start - t_stop
    assert len(callbacks) <= 3, (
        f"{len(callbacks)} callback requests while the server was away: {callbacks[:3]}"
    )
    assert 3 <= len(probes) <= outage_ms / 375 + 2, f"{len(probes)} probes in {outage_ms} ms"
    gaps = [b["t0"] - a["t0"] for a, b in zip(probes, probes[1:], strict=False)]
    assert min(gaps) >= 100 and max(gaps[3:] or [750]) <= 750 + 250, gaps
    link = page.link()
    assert link["up"] and link["outages"] == 1 and link["probes"] >= len(probes)

    # after recovery: painting, no console error at all, no uncaught error, no CSP violation
    time.sleep(1.5)
    logs = page.collect_logs()
    assert severe_after(logs, t_bridge + 200) == []
    assert outage_only(severe_after(logs, t_stop - 1000)), severe_after(logs, t_stop - 1000)
    assert page.problems() == {"errors": [], "csp": []}


def test_rel002_worker_killed_mid_stream(server, browsers):
    g = server(workers=2)
    page = browsers()
    page.open(
        f"{g.url}/compare?s=clientside-raf,server-extend,server-figure&bridge=250", (RAF, EXTEND, FIGURE)
    )
    wait(lambda: page.bridge_seq() > 0, 15, "the bridge's first analytics")
    t_fault = page.now_ms()
    killed = []
    for _ in range(3):  # kill whichever worker answers the page's requests, three times, one second apart
        victim = g.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
        time.sleep(1.0)
        assert page.frames() > 0
    # the master starts new workers; the page never stops and resumes by itself
    wait(lambda: len(g.worker_pids()) == 2 and not set(killed) & set(g.worker_pids()), 20, "workers replaced")
    wait(lambda: answers(g.url + contract.LINK_PATH), 20, "the server answers")
    t_ok = page.now_ms()
    marks = {gid: page.newest(gid) for gid in (RAF, EXTEND, FIGURE)}
    seq = page.bridge_seq()
    wait(lambda: all(page.newest(gid) > marks[gid] for gid in marks), 10, "every panel draws new samples")
    wait(lambda: page.bridge_seq() > seq, 5, "the bridge answers again")
    wait(lambda: page.link()["up"], 5, "the link is up")
    for gid in (EXTEND, FIGURE):
        assert page.gate(gid)["inFlight"] <= 1
    failed = [f for f in page.fetches() if f["status"] in (0, 502, 503, 504) and f["t0"] >= t_fault]
    time.sleep(1.0)
    logs = page.collect_logs()
    assert severe_after(logs, max([t_ok, *[f["t1"] for f in failed]]) + 500) == []
    assert outage_only(severe_after(logs, t_fault - 1000))
    assert page.problems() == {"errors": [], "csp": []}


def test_rel003_hidden_tab_resumes_at_the_live_edge_without_catch_up(server, browsers):
    g = server(workers=2)
    page = browsers(foreground=False)  # a real background tab: the browser's own throttling while hidden
    page.open(f"{g.url}/compare?s=clientside-raf,server-extend&bridge=500", (RAF, EXTEND))
    wait(lambda: page.bridge_seq() > 0, 15, "the bridge's first analytics")
    window_id = page.driver.execute_cdp_cmd("Browser.getWindowForTarget", {})["windowId"]

    def minimise(state: str) -> None:
        page.driver.execute_cdp_cmd(
            "Browser.setWindowBounds", {"windowId": window_id, "bounds": {"windowState": state}}
        )

    hidden_s = (
        4.0  # twice the 2 s window: the same path as 60 s (what came due meanwhile is skipped, not drawn)
    )
    minimise("minimized")
    wait(lambda: page.js("document.visibilityState") == "hidden", 5, "the tab is hidden")
    t_hidden = page.now_ms()
    frames_hidden = page.frames()
    skipped0 = page.snap(RAF)["skipped"]
    time.sleep(hidden_s)
    t_shown = page.now_ms()
    assert page.frames() - frames_hidden <= 2, "a hidden tab runs no animation frames"
    sent_hidden = [f for f in page.fetches() if t_hidden + 300 < f["t0"] < t_shown]
    assert sent_hidden == [], f"{len(sent_hidden)} requests while hidden, the first: {sent_hidden[0]}"
    link = page.link()
    assert link["hidden"] and not link["allows"]
    held = page.gate(EXTEND)["held"]
    assert held >= 1, "the server panel's ticks are held while hidden"

    minimise("normal")
    wait(lambda: page.js("document.visibilityState") == "visible", 5, "the tab is shown")
    t_vis = page.now_ms()
    # the clientside chart jumps to the live edge in one frame: what came due while hidden is skipped, not drawn
    wait(lambda: page.due() - page.newest(RAF) < 200, 2, "clientside-raf at the live edge")
    skipped = page.snap(RAF)["skipped"] - skipped0
    assert skipped >= (hidden_s - 2.5) * 1000, f"only {skipped} samples skipped: it replayed what it missed"
    # the server panel asks once from its cursor and is at the live edge after its first reply
    wait(lambda: page.due() - page.newest(EXTEND) < 500, 3, "server-extend at the live edge")
    replies = [
        f for f in page.fetches() if "server-extend-graph" in f["output"] and f["t0"] >= t_vis and f["t1"]
    ]
    first = replies[0]
    behind_after_first = page.js("window.dash_clientside.tickless.gate.snapshot('server-extend-graph').lagMs")
    assert first["status"] == 200
    # nothing else went out before that first reply came back (the next Interval tick, 100 ms on, may follow it)
    assert len([f for f in replies if f["t0"] < first["t1"]]) == 1, "one request, not a catch-up burst"
    assert behind_after_first is None or behind_after_first < 1000
    # no burst of frames either: the page paints at most at the display's rate after it is shown
    f0, t0 = page.frames(), time.monotonic()
    time.sleep(1.0)
    rate = (page.frames() - f0) / (time.monotonic() - t0)
    assert rate <= 75, f"{rate:.0f} frames/s after showing the tab"
    assert page.link()["shown"] == 1
    assert severe_after(page.collect_logs(), 0) == []
    assert page.problems() == {"errors": [], "csp": []}


CSP_PAGES = [
    ("/", (RAF,)),
    ("/compare?s=clientside-raf,server-extend,server-patch,server-figure", (RAF, EXTEND, FIGURE)),
    ("/compare?s=clientside-interval,component", (ids.panel("clientside-interval", "graph"),)),
    ("/strategy/clientside-raf?trace=scattergl&window=1000", (RAF,)),  # WebGL: plotly.js's strict build
    ("/inspector", ()),
]


def test_rel004_every_page_works_under_the_content_security_policy(server, browsers):
    g = server(workers=1)
    page = browsers()
    policy = urllib.request.urlopen(g.url + "/").headers["Content-Security-Policy"]  # noqa: S310 (loopback)
    assert "unsafe-eval" not in policy and "script-src 'self' 'sha256-" in policy
    for path, graphs in CSP_PAGES:
        page.open(g.url + path, graphs)
        for graph in graphs:  # drawing and rolling, under the policy
            first = page.newest(graph) if graph != ids.panel("clientside-interval", "graph") else 0
            wait(
                lambda g_=graph, f=first: page.snap(g_)["points"] > 0 and page.newest(g_) != f,
                10,
                f"{graph} rolls",
            )
        if "component" in path:
            component = ids.panel("component", "graph")
            wait(lambda c=component: (page.snap(c) or {}).get("fps", 0) > 0, 10, "the LiveChart paints")
        if "scattergl" in path:
            types = page.js(
                f"window.dash_clientside.tickless.stream.findGraphDiv({RAF!r})._fullData.map(t => t.type)"
            )
            assert set(types) == {"scattergl"}
        if path == "/inspector":
            wait(
                lambda: page.js("document.querySelectorAll('#inspector-table tr').length") > 10,
                10,
                "inspector",
            )
        wait(lambda: page.bridge_seq() > 0, 10, f"the bridge answers on {path}")
        assert page.problems() == {"errors": [], "csp": []}, path
        assert [e["message"] for e in page.collect_logs() if e["level"] == "SEVERE"] == [], path


def _settle_bridge(page: Page) -> int:
    seq = page.bridge_seq()
    wait(lambda: page.bridge_seq() > seq, 10, "a new bridge sample answered")
    return page.bridge_seq()


def test_rel005_two_users_on_two_workers_never_see_each_others_state(server, browsers, tmp_path):
    access = tmp_path / "access.log"
    g = server(
        workers=2,
        env={"GUNICORN_CMD_ARGS": f"--access-logfile {access} --access-logformat '%(p)s %(f)s %(U)s'"},
    )
    common = "s=server-extend,clientside-raf&bridge=250"
    views = {
        "A": f"/compare?{common}&window=1000&channels=ch1&speed=2",
        "B": f"/compare?{common}&window=3000&channels=ch2,ch3&speed=0.5",
    }
    pages = {name: browsers() for name in views}
    for name, path in views.items():
        pages[name].open(g.url + path, (RAF, EXTEND))
    a, b = pages["A"], pages["B"]
    ranges = a.js("window.dash_clientside.tickless.stream.tab.config.ranges")
    levels = {"A": (0, sum(ranges[0]) / 2), "B": (1, sum(ranges[1]) / 2)}
    for name, (channel, level) in levels.items():
        page = pages[name]
        box = page.driver.find_element(
            "css selector", f"input[id*='bridge-threshold'][id*='\"index\":{channel}']"
        )
        box.send_keys(f"{level:.6g}\n")
        page.driver.find_element("css selector", f"#{ids.BRIDGE_APPLY}").click()
    # A zooms its clientside chart (a real plotly_relayout) and clicks a point; B does neither
    a.js(
        f"""(() => {{ const gd = window.dash_clientside.tickless.stream.findGraphDiv({RAF!r});
            const r = gd._fullLayout.xaxis.range; return window.Plotly.relayout(gd, {{'xaxis.range': [r[0], r[0] + 0.25]}}); }})()"""
    )
    a.js("window.dash_clientside.tickless.bridge.addClick(0, 12.345, 0.5)")
    wait(
        lambda: "ch1 at 12.345 s" in a.text(ids.BRIDGE_CLICKS), 10, "A's click reaches Python and comes back"
    )

    def state(page: Page) -> dict:
        ext = page.js(
            f"""(() => {{ const gd = window.dash_clientside.tickless.stream.findGraphDiv({EXTEND!r});
                return gd.data.map(t => [t.name, t.x.length]); }})()"""
        )
        return {
            "status": page.text(ids.BRIDGE_STATUS),
            "clicks": page.text(ids.BRIDGE_CLICKS),
            "alerts": page.text(ids.BRIDGE_ALERTS),
            "extend": ext,
            "speed": page.snap(RAF)["speed"],
            "follow": page.text(ids.panel("clientside-raf", "follow")),
            "zoom": page.js(f"window.dash_clientside.tickless.interact.frozen({RAF!r})"),
        }

    level_text = {name: f"thresholds: ch{c + 1} ≥ {lv:.6g}" for name, (c, lv) in levels.items()}
    for _ in range(6):  # six rounds of fresh bridge answers on both tabs, both streaming all along
        for page in pages.values():
            _settle_bridge(page)
        sa, sb = state(a), state(b)
        assert level_text["A"] in sa["status"] and "ch2 ≥" not in sa["status"], sa["status"]
        assert level_text["B"] in sb["status"] and "ch1 ≥" not in sb["status"], sb["status"]
        assert "12.345" in sa["clicks"] and sb["clicks"] == "", sb["clicks"]
        assert all(line.startswith("ch1 ") for line in sa["alerts"].splitlines()), sa["alerts"]
        assert all(line.startswith("ch2 ") for line in sb["alerts"].splitlines()), sb["alerts"]
        assert [n for n, _ in sa["extend"]] == ["ch1"] and all(k <= 1000 for _, k in sa["extend"])
        assert [n for n, _ in sb["extend"]] == ["ch2", "ch3"] and all(k <= 3000 for _, k in sb["extend"])
        assert (sa["speed"], sb["speed"]) == (2, 0.5)
        assert (sa["zoom"], sa["follow"]) == (True, "frozen") and (sb["zoom"], sb["follow"]) == (
            False,
            "live",
        )
    assert max(k for _, k in sb["extend"]) > 1000, "B's window is its own, wider than A's"
    # both tabs were answered by both workers (the access log names the worker's pid and the page)
    served: dict[str, set[str]] = {"A": set(), "B": set()}
    for line in access.read_text().splitlines():
        pid, referer, url = (line.strip("'").split(" ") + ["", ""])[:3]
        if url.endswith("_dash-update-component"):
            for name, path in views.items():
                if referer.endswith(path):
                    served[name].add(pid)
    assert all(len(pids) == 2 for pids in served.values()), served
    for page in pages.values():
        assert page.problems() == {"errors": [], "csp": []}
        assert [e["message"] for e in page.collect_logs() if e["level"] == "SEVERE"] == []


def test_rel006_the_renderers_undo_history_stays_bounded(server, browsers):
    """dash-renderer keeps an undo entry for every Interval tick and never trims it (31 a second on the soak's
    server window: a heap that grows for hours); 43_undo.js keeps the newest few."""
    g = server(workers=2)
    page = browsers()
    page.open(
        f"{g.url}/compare?s=server-extend,server-patch,server-figure&bridge=1000",
        (EXTEND, FIGURE, ids.panel("server-patch", "graph")),
    )
    # the bound 43_undo.js keeps (read from it; its defaults if it is missing, so that the test then fails on the length)
    undo = page.js(
        "(({KEEP, EVERY_MS}) => ({KEEP, EVERY_MS}))(window.dash_clientside.tickless.undo || {KEEP: 50, EVERY_MS: 2000})"
    )
    graphs = (EXTEND, FIGURE, ids.panel("server-patch", "graph"))
    t0, ticks0 = time.monotonic(), sum(page.gate(gid)["ticks"] for gid in graphs)
    longest = 0
    while time.monotonic() - t0 < 10:
        longest = max(
            longest, page.js("Math.max(...window.dash_stores.map(s => s.getState().history.past.length))")
        )
        time.sleep(0.2)
    ticks = sum(page.gate(gid)["ticks"] for gid in graphs) - ticks0
    per_period = ticks / (time.monotonic() - t0) * undo["EVERY_MS"] / 1000
    bound = undo["KEEP"] + 1.5 * per_period + 10
    assert ticks > bound + 50, (
        f"only {ticks} ticks in 10 s: too few for an untrimmed history to exceed {bound:.0f}"
    )
    assert longest <= bound, f"the undo history reached {longest} entries ({ticks} ticks in 10 s)"
    assert (
        page.js(
            "(window.dash_clientside.tickless.undo || {snapshot: () => ({dropped: 0})}).snapshot().dropped"
        )
        >= ticks - bound
    )
    assert page.problems() == {"errors": [], "csp": []}


def test_rel007_every_server_strategy_resumes_after_a_hidden_spell(server, browsers):
    """The soak's server window (extend, patch, figure) hidden and shown: nothing sent while hidden, each panel's
    first request within a second of showing, one at a time, and each back to where it trailed the clock before."""
    g = server(workers=2)
    page = browsers(foreground=False)
    patch = ids.panel("server-patch", "graph")
    panels = (EXTEND, patch, FIGURE)
    page.open(f"{g.url}/compare?s=server-extend,server-patch,server-figure&bridge=1000", panels)
    window_id = page.driver.execute_cdp_cmd("Browser.getWindowForTarget", {})["windowId"]

    def minimise(state: str) -> None:
        page.driver.execute_cdp_cmd(
            "Browser.setWindowBounds", {"windowId": window_id, "bounds": {"windowState": state}}
        )

    lags: dict[str, list[int]] = {gid: [] for gid in panels}
    for _ in range(12):  # where each panel trails the clock when nothing is wrong, over 3 s
        due = page.due()
        for gid in panels:
            lags[gid].append(due - page.newest(gid))
        time.sleep(0.25)
    limit = {gid: max(500, 2 * sorted(v)[len(v) // 2]) for gid, v in lags.items()}
    minimise("minimized")
    wait(lambda: page.js("document.visibilityState") == "hidden", 5, "the tab is hidden")
    t_hidden = page.now_ms()
    time.sleep(4.0)
    t_shown = page.now_ms()
    sent = [f for f in page.fetches() if t_hidden + 300 < f["t0"] < t_shown]
    assert sent == [], f"{len(sent)} requests while hidden"
    minimise("normal")
    wait(lambda: page.js("document.visibilityState") == "visible", 5, "the tab is shown")
    t_vis = page.now_ms()
    back: dict[str, int] = {}

    def all_back() -> bool:
        due = page.due()
        for gid in panels:
            if gid not in back and due - page.newest(gid) <= limit[gid]:
                back[gid] = page.now_ms() - t_vis
        return len(back) == len(panels)

    wait(all_back, 5, f"every server panel back within {limit} samples of the clock (back: {back})")
    for gid in panels:
        mine = [f for f in page.fetches() if gid in f["output"] and f["t0"] >= t_shown]
        assert mine and mine[0]["t0"] - t_vis <= 1000, f"{gid}: first request {mine[:1]} after {t_vis}"
        assert page.gate(gid)["maxInFlight"] <= 1
    assert page.link()["shown"] == 1
    assert severe_after(page.collect_logs(), 0) == []
    assert page.problems() == {"errors": [], "csp": []}


def test_rel008_the_soaks_memory_readings_of_a_streaming_clientside_page_stay_flat(server, browsers):
    """The soak's clientside window (clientside-raf, clientside-interval, component, the bridge at 1 s) for 20 s,
    read every second or so as the soak reads it (benchmarks.soak_memory.page_memory). Judged by the soak, so
    held here: the listeners attached stay within half of what one Plotly.react of the interval graph re-attaches
    (68); the nodes attached to the document within 2% of their median (the axes' tick labels come and go as the
    window slides); the heap read right after gc() in the same call within 5% of its median around its trend.
    The renderer's counters, which the soak judged before, carry the garbage each Plotly.react leaves (a reading
    with no collection exceeds the one after); the test checks the page still leaves it, or it would no longer
    guard what it is for."""
    from benchmarks import soak_stats
    from benchmarks.soak import TABS
    from benchmarks.soak_memory import FLAGS, page_memory

    interval = ids.panel("clientside-interval", "graph")
    g = server(workers=1)
    page = browsers(extra=tuple(FLAGS))
    page.open(f"{g.url}/compare?s={','.join(TABS['clientside'])}&bridge=1000", (RAF, interval))
    cdp = page.driver.execute_cdp_cmd
    time.sleep(2)  # let the first figures' one-off listeners settle (warm-up, as in the soak)
    raw, readings = [], []
    frames0, t0 = page.frames(), time.monotonic()
    # 20 s and at least 10 readings (each forces a collection: ~1-2 s on a loaded 2-core machine), 60 s at most
    while (time.monotonic() - t0 < 20 or len(readings) < 10) and time.monotonic() - t0 < 60:
        raw.append(cdp("Memory.getDOMCounters", {}))
        readings.append(page_memory(cdp))
        time.sleep(0.5)
    assert len(readings) >= 10, f"only {len(readings)} readings in {time.monotonic() - t0:.0f} s"
    assert page.frames() - frames0 > 20 * 10, "the page stopped painting while it was read"
    series = {k: [m[k] for m in readings] for k in readings[0]}
    for counter, after in (("jsEventListeners", "listeners_gc"), ("nodes", "nodes_counter")):
        assert max(r[counter] for r in raw) > max(series[after]), (
            f"{counter} with no collection {[r[counter] for r in raw]}, after one {series[after]}: the page left "
            "nothing to the collector, so it no longer shows what the soak's reading must see through"
        )
    listeners, nodes, heap = series["listeners"], series["nodes"], series["heap_mb"]
    assert max(listeners) - min(listeners) <= 34, (
        f"attached listeners {listeners} (after GC: {series['listeners_gc']})"
    )
    assert max(nodes) - min(nodes) <= 0.02 * statistics.median(nodes), (
        f"attached nodes {nodes} (the counter: {series['nodes_counter']})"
    )
    # a page 2 s old still grows its heap (compiled code, caches) as the soak's 60 s warm-up allows: the spread is
    # judged around the readings' Theil-Sen line, as the soak judges a trend apart from its noise
    pts = list(enumerate(heap))
    slope = soak_stats.theil_sen(pts)
    off = [v - slope * i for i, v in pts]
    assert max(off) - min(off) <= 0.05 * statistics.median(heap), (
        f"heap after gc() {heap} MB (CDP's reading: {series['heap_cdp_mb']})"
    )
    assert page.problems() == {"errors": [], "csp": []}
