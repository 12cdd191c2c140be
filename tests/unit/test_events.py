"""Unit tests of the plotly.js event list: extraction patterns, the committed JSON and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app import events
from tests.conftest import ROOT

# Events the plotly.js docs name; all of them are emitted by the bundled plotly.js 4.x.
WELL_KNOWN = [
    "plotly_click",
    "plotly_hover",
    "plotly_unhover",
    "plotly_relayout",
    "plotly_relayouting",
    "plotly_restyle",
    "plotly_afterplot",
    "plotly_legendclick",
    "plotly_legenddoubleclick",
    "plotly_animating",
    "plotly_animatingframe",
    "plotly_animated",
    "plotly_animationinterrupted",
    "plotly_selected",
    "plotly_deselect",
    "plotly_doubleclick",
    "plotly_webglcontextlost",
]


@pytest.fixture(scope="module")
def bundle_text() -> str:
    return events.bundle_path().read_text(encoding="utf-8")


def test_bundle_path_is_inside_the_plotly_package():
    path = events.bundle_path()
    assert path.is_file()
    assert path.parts[-3:] == ("plotly", "package_data", "plotly.min.js")


def test_committed_list_matches_the_installed_bundle(bundle_text):
    """Fails when plotly is upgraded and the bundle emits other events: run `python -m app.events extract`."""
    committed = json.loads(events.EVENTS_FILE.read_text(encoding="utf-8"))
    assert events.load_events() == events.extract_events(bundle_text)
    assert committed == events.snapshot()
    assert committed["source"] == "plotly/package_data/plotly.min.js"
    assert events.EVENTS_FILE.read_text(encoding="utf-8").endswith("}\n")


def test_well_known_events_are_present(bundle_text):
    names = events.extract_events(bundle_text)
    missing = [name for name in WELL_KNOWN if name not in names]
    assert missing == []
    assert names == sorted(set(names))
    # built at run time as "plotly_" + trace.type + "click"
    assert {"plotly_sunburstclick", "plotly_treemapclick", "plotly_icicleclick"} <= set(names)


def _is_js_identifier(text: str) -> bool:
    """A minified JS identifier or member chain (`e`, `t7`, `$a`, `n.gd`), checked without a regex."""
    return bool(text) and all(part.replace("$", "_").isidentifier() for part in text.split("."))


def _emitted_at(bundle: str, literal: str) -> bool:
    """True when `literal` (a quoted string, quotes included) is somewhere the bundle emits it as an event.

    Written with plain string operations, independently of app/events.py's regexes, on the two call shapes
    plotly.js 4.x uses: `<obj>.emit("plotly_x", …)` and `<Events>.triggerHandler(<gd>, "plotly_x", …)`.
    An array literal (`["plotly_relayout","plotly_redraw"]`), a listener (`gd.on("plotly_x"`), a CSS class
    or any other argument position does not count.
    """
    start = 0
    while (i := bundle.find(literal, start)) != -1:
        start = i + 1
        before = bundle[max(0, i - 120) : i].rstrip()
        if before.endswith(".emit("):
            return True
        _, call, args = before.rpartition(".triggerHandler(")
        if call and args.endswith(",") and _is_js_identifier(args[:-1].strip()):
            return True
    return False


def _emitted(bundle: str, name: str) -> bool:
    """`name` is emitted with a literal first argument, in either quote style."""
    return _emitted_at(bundle, f'"{name}"') or _emitted_at(bundle, f"'{name}'")


@pytest.mark.parametrize(
    ("snippet", "emitted"),
    [
        ("""gd.emit("plotly_x",d)""", True),
        ("""t.graphDiv.emit('plotly_x')""", True),
        ("""var c=t7.triggerHandler(e,"plotly_x",u)""", True),
        ("""$a.triggerHandler(n.gd, "plotly_x")""", True),
        ("""for(var s=["plotly_relayout","plotly_x"],l=0;l<s.length;l++)e._internalOn(s[l],f)""", False),
        ("""gd.on("plotly_x",f);f(a,"plotly_x");x.classed("plotly_x",!0)""", False),
        ("""e.emit(name,"plotly_x");t.triggerHandler(e,u,"plotly_x")""", False),
        ("""t.triggerHandler(f(e),"plotly_x")""", False),
    ],
)
def test_emitted_check_tells_an_emit_call_from_other_literals(snippet, emitted):
    assert _emitted(snippet, "plotly_x") is emitted


def test_every_listed_name_is_emitted_in_the_bundle(bundle_text):
    """Each literal name, extracted or committed, is the event argument of an emit/triggerHandler call.

    Checked without app/events.py's regexes, so a name the extractor picks up from anywhere else (a listener
    list, an array literal, a class name) fails here.
    """
    dynamic = {f"plotly_{kind}click" for kind in events.DYNAMIC_CLICK_TYPES}
    names = set(events.extract_events(bundle_text)) | set(events.load_events())
    not_emitted = sorted(name for name in names - dynamic if not _emitted(bundle_text, name))
    assert not_emitted == []
    # plotly_{sunburst,treemap,icicle}click: one triggerHandler builds the name from the clicked trace's type
    prefix = '"plotly_"+'
    assert _emitted_at(bundle_text, prefix), "the dynamic click handler is gone"
    member, plus, _ = bundle_text[bundle_text.index(prefix) + len(prefix) :][:60].partition('+"click"')
    assert plus and member.endswith(".type") and _is_js_identifier(member), member
    for kind in events.DYNAMIC_CLICK_TYPES:
        assert f'moduleType:"trace",name:"{kind}"' in bundle_text, kind


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("""gd.emit('plotly_click', data)""", ["plotly_click"]),
        ("""t.emit("plotly_relayout",n.eventData)""", ["plotly_relayout"]),
        (
            """e.graphDiv.emit("plotly_relayouting",o);emit( "plotly_hover" )""",
            ["plotly_hover", "plotly_relayouting"],
        ),
        ("""var c=t7.triggerHandler(e,"plotly_legendclick",u)""", ["plotly_legendclick"]),
        ("""Events.triggerHandler(gd, 'plotly_beforeplot', [data])""", ["plotly_beforeplot"]),
        ("""$a.emit("plotly_click");x.emit("plotly_click");e.emit('plotly_click',1)""", ["plotly_click"]),
        ("""n.emit("plotly_b"),n.emit("plotly_a"),n.emit("plotly_b")""", ["plotly_a", "plotly_b"]),
    ],
)
def test_extract_matches_emit_and_trigger_handler(snippet, expected):
    assert events.extract_events(snippet) == expected


@pytest.mark.parametrize(
    "snippet",
    [
        """.plotly_fake_class{fill:red}""",
        """classed("plotly_fake_class",!0)""",
        """var attrs={"plotly_":1,"plotly_meta":{valType:"any"}}""",
        """for(var s=["plotly_relayout","plotly_redraw"],l=0;l<s.length;l++)e._internalOn(s[l],f)""",
        """gd.on("plotly_click",f);gd.once('plotly_hover',g)""",
        """x._emit("plotly_private");emitter("plotly_other");e.emit(name,"plotly_second_arg")""",
        """e.emit(`plotly_template`)""",
    ],
)
def test_extract_ignores_strings_that_are_not_emitted(snippet):
    assert events.extract_events(snippet) == []


def test_extract_expands_the_dynamic_click_event_for_registered_trace_types():
    handler = """var x=iXt.triggerHandler(i,"plotly_"+s.type+"click",M);"""
    registered = """{moduleType:"trace",name:"sunburst"},{moduleType:"trace",name:"treemap"}"""
    assert events.extract_events(handler + registered) == ["plotly_sunburstclick", "plotly_treemapclick"]
    assert events.extract_events(registered) == []
    assert events.extract_events(handler) == []


def test_bundle_version_reads_the_header(bundle_text):
    assert events.bundle_version("/**\n* plotly.js v3.0.1\n*/") == "3.0.1"
    assert events.bundle_version("no header") == "unknown"
    assert events.bundle_version(bundle_text)[0].isdigit()


def test_compare_lists_added_and_removed_names():
    fresh = {"plotly_js_version": "9.9.9", "source": "s", "events": ["plotly_a", "plotly_new"]}
    committed = {"plotly_js_version": "9.9.8", "source": "s", "events": ["plotly_a", "plotly_gone"]}
    problems = events.compare(committed, fresh)
    assert any("added" in p and "plotly_new" in p for p in problems)
    assert any("removed" in p and "plotly_gone" in p for p in problems)
    assert any("plotly_js_version" in p and "9.9.9" in p for p in problems)
    assert events.compare(fresh, fresh) == []


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.events", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_check_passes_on_the_committed_file():
    result = _run("check")
    assert result.returncode == 0, result.stderr
    assert "matches" in result.stdout


def test_cli_bad_subcommand_exits_2_with_one_line():
    result = _run("bogus")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "invalid choice: 'bogus'" in result.stderr


def test_main_check_reports_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = events.snapshot()
    stale["events"] = [*stale["events"][1:], "plotly_removed_long_ago"]
    path = tmp_path / "app" / "plotly_events.json"
    path.parent.mkdir()
    events.write_snapshot(stale, path)
    monkeypatch.setattr(events, "EVENTS_FILE", path)
    assert events.main(["check"]) == 1
    err = capsys.readouterr().err
    assert f"added (emitted by the bundle, missing from the file): {events.snapshot()['events'][0]}" in err
    assert "removed (in the file, no longer emitted): plotly_removed_long_ago" in err
    assert events.main(["extract"]) == 0
    assert json.loads(path.read_text(encoding="utf-8")) == events.snapshot()
    assert events.main(["check"]) == 0
