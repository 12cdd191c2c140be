"""The plotly.js event names the installed bundle really emits, extracted once and committed as JSON.

`python -m app.events extract` rewrites app/plotly_events.json from the bundle inside the installed
`plotly` package; `python -m app.events check` fails (exit 1) when that file no longer matches it, so a
plotly upgrade that adds or drops an event is noticed. The browser validates subscriptions against it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path

EVENTS_FILE = Path(__file__).with_name("plotly_events.json")

_NAME = r"plotly_[A-Za-z0-9_]+"
# gd.emit("plotly_click", …), t.emit('plotly_relayout'), e.graphDiv.emit(…), a bare emit(…): the event
# name is the first argument, a quoted literal. `\b` keeps `_emit(` and `xemit(` out.
EMIT_RE = re.compile(rf"""\bemit\(\s*(["'])({_NAME})\1""")
# Events.triggerHandler(gd, "plotly_legendclick", data), minified as `t7.triggerHandler(e,"plotly_…"`:
# used where a listener may veto the default action. The first argument is a plain identifier/member.
TRIGGER_RE = re.compile(rf"""\btriggerHandler\(\s*[\w$.]+\s*,\s*(["'])({_NAME})\1""")
# The one event name built at run time: sunburst's click handler (shared by treemap and icicle) calls
# Events.triggerHandler(gd, "plotly_" + trace.type + "click", …).
DYNAMIC_CLICK_RE = re.compile(
    r"""\btriggerHandler\(\s*[\w$.]+\s*,\s*(["'])plotly_\1\s*\+\s*[\w$]+\.type\s*\+\s*(["'])click\2"""
)
DYNAMIC_CLICK_TYPES = ("icicle", "sunburst", "treemap")
_VERSION_RE = re.compile(r"plotly\.js v(\d+\.\d+\.\d+[\w.+-]*)")


def _plotly_dir() -> Path:
    """The installed `plotly` package's folder, found without importing plotly."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the plotly Python package is not installed")
    return Path(spec.origin).parent


def bundle_path() -> Path:
    """The plotly.js bundle shipped inside the installed `plotly` package (plotly/package_data/plotly.min.js)."""
    path = _plotly_dir() / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly.js bundle not found at {path}")
    return path


def extract_events(text: str) -> list[str]:
    """Every `plotly_*` event name the bundle emits, sorted and de-duplicated.

    Three patterns are matched, on quoted literals only ('…' or "…"), whatever the minified variable names:

    1. `EMIT_RE`: `emit("plotly_x"` after a word boundary, i.e. `gd.emit(…)`, `t.emit(…)`,
       `e.graphDiv.emit(…)` or a bare `emit(…)`. plotly.js emits almost every event this way.
    2. `TRIGGER_RE`: `triggerHandler(<identifier>, "plotly_x"` — `Events.triggerHandler(gd, name, data)`,
       used for vetoable events (plotly_beforeplot, plotly_beforehover, plotly_legendclick, …).
    3. `DYNAMIC_CLICK_RE`: `triggerHandler(gd, "plotly_" + trace.type + "click"`, expanded to
       `plotly_{type}click` for each of `DYNAMIC_CLICK_TYPES` (sunburst, treemap, icicle, whose traces share
       that handler) registered in the bundle as `moduleType:"trace",name:"<type>"`.

    Any other `plotly_` string is ignored: listener lists (`_internalOn("plotly_…")`), CSS classes and
    attribute names are not emitted. `Registry.call("_guiRelayout", …)` only reaches API functions that
    emit with `gd.emit`, so it needs no pattern of its own. Names passed through a variable (parcats's
    helpers forward `plotly_hover`/`unhover`/`click`) are not seen there, but are also emitted literally.
    """
    names = {m.group(2) for m in EMIT_RE.finditer(text)}
    names.update(m.group(2) for m in TRIGGER_RE.finditer(text))
    if DYNAMIC_CLICK_RE.search(text):
        for kind in DYNAMIC_CLICK_TYPES:
            if re.search(rf"""moduleType:\s*(["'])trace\1\s*,\s*name:\s*(["']){kind}\2""", text):
                names.add(f"plotly_{kind}click")
    return sorted(names)


def bundle_version(text: str) -> str:
    """The plotly.js version from the bundle's header comment, e.g. "4.1.1" (or "unknown")."""
    match = _VERSION_RE.search(text[:2000])
    return match.group(1) if match else "unknown"


def snapshot(path: Path | None = None) -> dict:
    """The contents app/plotly_events.json should have for this bundle (default: the installed one)."""
    path = path if path is not None else bundle_path()
    text = path.read_text(encoding="utf-8")
    try:
        source = path.resolve().relative_to(_plotly_dir().resolve().parent).as_posix()
    except ValueError:
        source = str(path)
    return {"plotly_js_version": bundle_version(text), "source": source, "events": extract_events(text)}


def load_events() -> list[str]:
    """The committed event list from app/plotly_events.json."""
    return list(json.loads(EVENTS_FILE.read_text(encoding="utf-8"))["events"])


def write_snapshot(data: dict, path: Path | None = None) -> None:
    """Write the snapshot as pretty JSON with a trailing newline (default: app/plotly_events.json)."""
    path = path if path is not None else EVENTS_FILE
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def compare(committed: dict, fresh: dict) -> list[str]:
    """Human-readable differences between the committed snapshot and a fresh one (empty when equal)."""
    problems = []
    old, new = set(committed.get("events", [])), set(fresh["events"])
    if new - old:
        problems.append(
            f"added (emitted by the bundle, missing from the file): {', '.join(sorted(new - old))}"
        )
    if old - new:
        problems.append(f"removed (in the file, no longer emitted): {', '.join(sorted(old - new))}")
    for key in ("plotly_js_version", "source"):
        if committed.get(key) != fresh[key]:
            problems.append(f"{key} changed: {committed.get(key)!r} -> {fresh[key]!r}")
    if not problems and committed.get("events") != fresh["events"]:
        problems.append("events are not sorted and de-duplicated")
    return problems


class _OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, then exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    """`extract` rewrites app/plotly_events.json; `check` returns 1 when it does not match the bundle."""
    parser = _OneLineParser(prog="python -m app.events", description=__doc__.splitlines()[0])
    parser.add_argument(
        "command", choices=["extract", "check"], help="extract: write the file; check: compare"
    )
    args = parser.parse_args(argv)
    fresh = snapshot()
    rel = EVENTS_FILE.relative_to(EVENTS_FILE.parent.parent)
    if args.command == "extract":
        write_snapshot(fresh, EVENTS_FILE)
        print(f"wrote {rel}: {len(fresh['events'])} events from plotly.js {fresh['plotly_js_version']}")
        return 0
    if not EVENTS_FILE.is_file():
        print(f"{rel} is missing; run `python -m app.events extract`", file=sys.stderr)
        return 1
    problems = compare(json.loads(EVENTS_FILE.read_text(encoding="utf-8")), fresh)
    if problems:
        print(
            f"{rel} does not match {fresh['source']} (plotly.js {fresh['plotly_js_version']}):",
            file=sys.stderr,
        )
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("run `python -m app.events extract` and review the diff", file=sys.stderr)
        return 1
    print(f"{rel} matches plotly.js {fresh['plotly_js_version']} ({len(fresh['events'])} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
