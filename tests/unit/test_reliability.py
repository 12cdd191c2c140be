"""The locked-down page and the link probe, through the Flask test client; dev tools refused off loopback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import __main__ as cli
from app import contract, create_app, security
from app.settings import Settings


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(seconds=2))
    return app, app.server.test_client()


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def test_page_has_the_policy_with_dashs_inline_script_hashed_and_no_unsafe_script(client):
    app, c = client
    page = c.get("/")
    policy = directives(page.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", *app.csp_hashes()]
    assert all(s.startswith("'sha256-") for s in app.csp_hashes())
    assert not any("unsafe" in s for s in policy["script-src"] + policy["default-src"])
    assert policy["connect-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # every executable inline script in the page is one the policy hashes (JSON data blocks do not run)
    html = page.get_data(as_text=True)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # Dash's IE notice sits in a conditional comment
    inline = [
        attrs
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        if "src=" not in attrs and body.strip()
    ]
    assert len(inline) == 2 and any("application/json" in a for a in inline)


def test_every_response_says_nosniff_and_only_pages_carry_the_policy(client):
    _, c = client
    for path in [
        "/",
        "/strategy/server-extend",
        "/_dash-layout",
        "/assets/js/10_codec.js",
        contract.LINK_PATH,
    ]:
        r = c.get(path)
        assert r.headers["X-Content-Type-Options"] == "nosniff", path
        assert r.headers["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" not in c.get("/_dash-layout").headers
    assert "Content-Security-Policy" not in c.get("/assets/js/10_codec.js").headers


@pytest.mark.parametrize(
    "path",
    [
        "/assets",
        "/assets/",
        "/assets/js/",
        "/_dash-component-suites",
        "/_dash-component-suites/",
        "/_dash-component-suites/dash/",
        "/_dash-component-suites/dash/dcc/",
    ],
)
def test_folders_of_served_files_are_404_not_a_listing_or_the_page(client, path):
    _, c = client
    r = c.get(path)
    assert r.status_code == 404
    assert b"10_codec" not in r.get_data() and b"_dash-config" not in r.get_data()


def test_a_file_inside_a_folder_and_unknown_pages_are_still_served(client):
    _, c = client
    assert c.get("/assets/js/44_link.js").status_code == 200
    assert c.get("/strategy/nope/").status_code == 200  # the page explains a bad path in the browser


def test_plotly_js_is_the_strict_build_of_the_same_version_at_dashs_url(client):
    import plotly

    _, c = client
    default = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()[:300].decode()
    version = re.search(r"plotly\.js v(\S+)", default).group(1)
    for path in [
        "/_dash-component-suites/plotly/package_data/plotly.min.js",  # what dcc.Graph loads
        "/_dash-component-suites/plotly/package_data/plotly.v7_1_0m123.min.js",  # fingerprinted
    ]:
        r = c.get(path)
        assert r.status_code == 200 and r.mimetype == "text/javascript"
        assert r.get_data()[:300].decode().startswith(f"/**\n* plotly.js (strict - minified) v{version}\n")
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        "immutable"
        in c.get("/_dash-component-suites/plotly/package_data/plotly.v7_1_0m1.min.js").headers[
            "Cache-Control"
        ]
    )
    etag = c.get("/_dash-component-suites/plotly/package_data/plotly.min.js").headers["ETag"]
    again = c.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304


def test_link_probe_is_an_uncacheable_empty_204(client):
    _, c = client
    r = c.get(contract.LINK_PATH + "?t=1")
    assert r.status_code == 204 and r.get_data() == b""
    assert r.headers["Cache-Control"] == "no-store"
    assert c.post(contract.LINK_PATH).status_code == 405


def test_allow_extends_one_apps_policy_only():
    one, two = create_app(Settings(seconds=2)), create_app(Settings(seconds=2))
    security.allow(one, "connect-src", "ws://127.0.0.1:8051")
    one_policy = directives(one.server.test_client().get("/").headers["Content-Security-Policy"])
    two_policy = directives(two.server.test_client().get("/").headers["Content-Security-Policy"])
    assert one_policy["connect-src"] == ["'self'", "ws://127.0.0.1:8051"]
    assert two_policy["connect-src"] == ["'self'"]
    assert security.CSP["connect-src"] == ("'self'",)


@pytest.mark.parametrize(
    ("host", "debug", "allow", "on", "warns"),
    [
        ("127.0.0.1", True, False, True, None),
        ("localhost", True, False, True, None),
        ("::1", True, False, True, None),
        ("127.0.0.2", True, False, True, None),
        ("0.0.0.0", True, False, False, "debug refused on 0.0.0.0"),
        ("192.168.1.5", True, False, False, "debug refused on 192.168.1.5"),
        ("example.org", True, False, False, "debug refused on example.org"),
        ("0.0.0.0", True, True, True, "reachable from other machines on 0.0.0.0"),
        ("0.0.0.0", False, False, False, None),
    ],
)
def test_dev_tools_are_refused_off_loopback_unless_allowed(host, debug, allow, on, warns):
    enabled, warning = Settings(host=host, debug=debug, allow_remote_debug=allow).dev_tools()
    assert enabled is on
    if warns is None:
        assert warning is None
    else:
        assert warns in warning and "\n" not in warning and warning.startswith("tickless: warning:")


def test_allow_remote_debug_from_flag_or_environment():
    assert Settings.load({"allow_remote_debug": "true"}, env={}).allow_remote_debug is True
    assert Settings.load({}, env={"TICKLESS_ALLOW_REMOTE_DEBUG": "1"}).allow_remote_debug is True
    assert Settings.load({}, env={}).allow_remote_debug is False


@pytest.mark.parametrize(("extra", "expect_debug"), [([], False), (["--allow-remote-debug"], True)])
def test_cli_serves_without_dev_tools_on_a_public_host_and_says_so_in_one_line(
    monkeypatch, capsys, extra, expect_debug
):
    seen = {}
    # stand in for Flask's server loop only (nothing is bound): record what the CLI asked it for
    monkeypatch.setattr("dash.Dash.run", lambda self, **kw: seen.update(kw))
    monkeypatch.setenv("TICKLESS_SECONDS", "2")
    assert cli.main(["--host", "0.0.0.0", "--debug", *extra]) == 0
    assert seen["debug"] is expect_debug and seen["host"] == "0.0.0.0"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("tickless: warning:")
