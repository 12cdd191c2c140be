"""The push server's app (create_app(backend="fastapi")) called as ASGI: the Flask app's protections hold there
(413, 400 never 500, liveness, CSP and nosniff, no folder listings), and only it has the push callbacks."""

from __future__ import annotations

import asyncio
import json

import pytest

from app import contract, create_app, ids
from app.settings import Settings, SettingsError
from app.strategies.server_push import PushSettings

SETTINGS = Settings(channels=2, rate=100, seconds=10)


@pytest.fixture(scope="module")
def push_app():
    return create_app(SETTINGS, backend="fastapi")


def call(app, method: str, path: str, body: bytes = b"", headers=None) -> tuple[int, dict, bytes]:
    """One HTTP request through the ASGI app: (status, headers, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), *(headers or [])],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = {"status": None, "headers": {}, "body": b""}
    chunks = [body]

    async def receive():
        if chunks:
            return {"type": "http.request", "body": chunks.pop(), "more_body": False}
        await asyncio.sleep(3600)

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = {k.decode().lower(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")

    asyncio.run(app.server(scope, receive, send))
    return sent["status"], sent["headers"], sent["body"]


def test_only_the_push_server_has_the_push_callbacks(push_app):
    flask_app = create_app(SETTINGS)
    ws = [k for k, v in push_app.callback_map.items() if v.get("websocket")]
    assert len(ws) == 2, "the input-less persistent stream and the watchdog's restart"
    assert not [k for k, v in flask_app.callback_map.items() if v.get("websocket")]
    # every other callback stays on HTTP: the app-wide switch is off
    assert push_app._websocket_callbacks is False  # noqa: SLF001


def test_a_malformed_callback_request_gets_400_with_the_reason(push_app):
    status, headers, body = call(
        push_app, "POST", "/_dash-update-component", json.dumps({"output": "x"}).encode()
    )
    assert status == 400
    assert b"is not a server callback of this app" in body
    assert headers["x-content-type-options"] == "nosniff"
    status, _, body = call(push_app, "POST", "/_dash-update-component", b"[" * 5000)
    assert status == 400 and (b"not JSON" in body or b"deeper" in body)


def test_an_oversized_body_gets_413_before_it_is_read(push_app):
    big = b"a" * (contract.MAX_REQUEST_BYTES + 1)
    status, _, body = call(push_app, "POST", "/_dash-update-component", big)
    assert status == 413 and b"at most 65,536 bytes" in body
    status, _, _ = call(
        push_app, "POST", "/_dash-update-component", b"{}", [(b"content-length", b"999999999")]
    )
    assert status == 413


def test_a_good_callback_request_still_reaches_dash(push_app):
    view = ids.panel("server-extend", "view")
    body = {
        "output": next(k for k in push_app.callback_map if k.startswith("..server-extend-graph.extendData")),
        "outputs": [
            {"id": "server-extend-graph", "property": "extendData"},
            {"id": "server-extend-graph", "property": "figure"},
            {"id": "server-extend-cursor", "property": "data"},
        ],
        "inputs": [
            {"id": ids.panel("server-extend", "request"), "property": "data", "value": 1},
            {"id": view, "property": "data", "value": None},
        ],
        "state": [
            {"id": ids.panel("server-extend", "cursor"), "property": "data", "value": None},
            {"id": ids.CLOCK_STORE, "property": "data", "value": None},
            {"id": ids.DATA_STORE, "property": "data", "value": None},
        ],
        "changedPropIds": [f"{view}.data"],
    }
    status, _, _ = call(push_app, "POST", "/_dash-update-component", json.dumps(body).encode())
    assert status == 204, "Dash answered (nothing to draw: PreventUpdate), not the gate"


def test_liveness_page_headers_and_no_folder_listing(push_app):
    assert call(push_app, "GET", contract.LINK_PATH)[0] == 204
    status, headers, _ = call(push_app, "GET", "/")
    assert status == 200
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert "'sha256-" in headers["content-security-policy"]
    assert call(push_app, "GET", "/assets/")[0] == 404
    assert call(push_app, "GET", "/assets/js/")[0] == 404


def test_push_settings_from_the_environment():
    s = Settings(port=9000)
    assert PushSettings.load(s, {}).port == 9001
    assert PushSettings.load(s, {"PUSH_PORT": "9100"}).port == 9100
    with pytest.raises(SettingsError, match="PUSH_PORT"):
        PushSettings.load(s, {"PUSH_PORT": "http"})
    with pytest.raises(SettingsError, match="TICKLESS_PUSH_SOURCE"):
        PushSettings.load(s, {"TICKLESS_PUSH_SOURCE": "no colon"})
    assert PushSettings.load(s, {"TICKLESS_PUSH_SOURCE": "pkg.mod:make"}).source == "pkg.mod:make"


def test_the_inactivity_timeout_from_the_environment_reaches_the_page(monkeypatch):
    s = Settings(port=9000)
    default = PushSettings.load(s, {})
    assert default.inactivity_ms == contract.PUSH_INACTIVITY_MS
    assert default.idle_end_ms == contract.PUSH_IDLE_END_MS[1], "a paused tab's stream ends within a minute"
    short = PushSettings.load(s, {"TICKLESS_PUSH_INACTIVITY_MS": "3000"})
    assert short.inactivity_ms == 3000
    assert short.idle_end_ms == contract.PUSH_IDLE_END_MS[0]
    assert PushSettings.load(s, {"TICKLESS_PUSH_INACTIVITY_MS": "0"}).inactivity_ms == 0
    for bad in ("soon", "-5", "500", str(10**12)):
        with pytest.raises(SettingsError, match="TICKLESS_PUSH_INACTIVITY_MS"):
            PushSettings.load(s, {"TICKLESS_PUSH_INACTIVITY_MS": bad})
    monkeypatch.setenv("TICKLESS_PUSH_INACTIVITY_MS", "4000")
    app = create_app(SETTINGS, backend="fastapi")
    _, _, page = call(app, "GET", "/")
    config = json.loads(page.split(b'id="_dash-config" type="application/json">')[1].split(b"</script>")[0])
    assert config["websocket"]["inactivity_timeout"] == 4000, "Dash hands the timeout to the page's worker"


def test_the_inactivity_flag_reaches_the_push_server_and_a_bad_one_stops_both(capsys, monkeypatch):
    from app.__main__ import build_parser, main, push_env

    monkeypatch.delenv("TICKLESS_PUSH_INACTIVITY_MS", raising=False)
    flags = vars(build_parser().parse_args(["--push-inactivity-ms", "5000", "--channels", "2"]))
    env = push_env(flags)
    assert env["TICKLESS_PUSH_INACTIVITY_MS"] == "5000" and env["TICKLESS_CHANNELS"] == "2"
    assert "TICKLESS_PUSH_INACTIVITY_MS" not in push_env(vars(build_parser().parse_args([])))
    assert main(["--push-inactivity-ms", "soon"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tickless: error: invalid TICKLESS_PUSH_INACTIVITY_MS 'soon': expected 0 (never)")
    assert err.count("\n") == 1
