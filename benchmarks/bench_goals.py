"""The browser benchmark's goals, checked per cell and reported (never asserted): met, missed or not applicable.

The data-to-paint goal is "p95 ≤ 2 frames at 60 Hz where plotly's draw fits in a frame". Latency is timed
from when the oldest sample of a draw came due to the first animation frame after that draw (the probe,
assets/js/55_probe.js): a sample due just after frame N-1 is drawn in frame N and on screen at frame N+1, so
two frames is the floor for any renderer (a bare page calling `Plotly.extendTraces` measures the same). A long
frame delays two draws (the one in it, and the next one's oldest sample), so p95 ≤ 2 frames allows only ~2.5% of
frames over 16.7 ms. Where plotly alone cannot meet that (the same-run react ceiling with the same traces and
points, a bare page timed the same way, has a latency p95 over the goal), the goal does not apply: such cells
are reported "n/a" with the ceiling's figures. A strategy that draws its own canvas (the LiveChart) is held to
the goal whatever plotly does.
"""

from __future__ import annotations

from typing import Any

from .bench_plan import OWN_CANVAS
from .bench_results import NUMERIC, breakdown_of

FRAME_MS = 1000 / 60  # one frame at 60 Hz
JITTER_MS = 0.5  # rAF timestamps of two vsync-aligned frames read 33.2–33.5 ms here
LATENCY_TARGET_MS = round(2 * FRAME_MS + JITTER_MS, 1)  # 2 frames at 60 Hz

GOALS = {
    "fps_100k": ("clientside fps at a 100k-point window", ">=", 55.0),
    "fps_1m": ("clientside fps at a 1M-point window", ">=", 50.0),
    "latency_p95": (
        "data-to-paint latency p95 (ms): 2 frames at 60 Hz, where plotly's draw fits in a frame",
        "<=",
        LATENCY_TARGET_MS,
    ),
    "heap_flat": ("JS heap change over the run, after GC (%)", "abs<=", 10.0),
    "ceiling_ratio": ("fps / react ceiling (same trace count, type and points)", ">=", 0.9),
    "component_fps_1m": ("component fps, 4 channels at a 1M-point window", ">=", 55.0),
}


def react_ceiling_for(entry: dict, react: list[dict]) -> dict | None:
    """The measured react ceiling with the entry's trace count and type whose points per trace are nearest
    to the entry's on screen (None when none was measured)."""
    same = [
        r
        for r in react
        if r.get("status") == "ok"
        and r.get("traces") == entry["channels"]
        and r.get("trace") == entry["trace"]
    ]
    if not same:
        return None
    drawn = (entry.get("points") or 0) / max(1, entry["channels"])
    return min(same, key=lambda r: abs((r.get("points") or 0) - drawn))


def plotly_fits(ceiling: dict | None) -> tuple[bool, str]:
    """Does plotly alone draw every frame with these traces and points? The same-run react ceiling (a bare page)
    answers: its data-to-paint latency p95 (bench_bare.js, the probe's definition) is within the goal; results
    without a ceiling latency fall back to its frame time p95 ≤ one frame. With the reason in words."""
    if ceiling is None:
        return False, "no react ceiling with these traces was measured"
    frame, latency = ceiling.get("frame_ms_p95"), ceiling.get("latency_ms_p95")
    plotly = (breakdown_of(ceiling) or {}).get("plotly_ms_p95")
    said = f"bare plotly page, {ceiling['traces']} × {ceiling['points']:,} points: "
    said += f"latency p95 {latency} ms, " if isinstance(latency, NUMERIC) else ""
    said += f"frame p95 {frame} ms" + (
        f", plotly {plotly} ms per frame p95" if isinstance(plotly, NUMERIC) else ""
    )
    if isinstance(latency, NUMERIC):
        fits = _check("latency_p95", latency)
    elif isinstance(frame, NUMERIC):
        fits = frame <= FRAME_MS + JITTER_MS
    else:
        return False, "the react ceiling recorded no frame times"
    if not fits:
        return False, f"plotly's draw does not fit in a frame ({said})"
    return True, f"plotly's draw fits in a frame ({said})"


def _check(goal: str, value: Any) -> bool:
    _, op, target = GOALS[goal]
    if op == "abs<=":
        return abs(value) <= target
    return value >= target if op == ">=" else value <= target


def _row(entry: dict, goal: str, value: Any, met: bool | None, note: str = "") -> dict:
    text, op, target = GOALS[goal]
    row = {"cell": entry["id"], "goal": goal, "what": text, "target": f"{op} {target:g}", "value": value}
    row["met"] = met
    if note:
        row["note"] = note
    return row


def goals(cells: list[dict], ceilings: dict, landing: dict | None = None) -> list[dict]:
    """Each goal against every entry it is about: clientside strategies, scatter traces, the default render path
    (decimate auto/on, or no decimate parameter), and the default page. `met` is None where a goal does not
    apply (then `note` says why)."""
    react = ceilings.get("react", [])
    # a cell's own ceiling (run right after it, bench.py wants_adjacent) when it has one, else the run's
    entries = [(c, c.get("ceiling") or react_ceiling_for(c, react)) for c in cells]
    if landing and landing.get("status") == "ok":
        entries.append((landing, landing.get("ceiling")))
    out = []
    for c, ceiling in entries:
        if c["kind"] != "clientside" or c["status"] != "ok" or c["trace"] != "scatter":
            continue
        if c.get("decimate") == "off":
            continue
        checks = {
            "fps_100k": c["fps"] if c["window"] == 100_000 else None,
            "fps_1m": c["fps"] if c["window"] == 1_000_000 else None,
            "heap_flat": c.get("heap_growth_pct"),
            "ceiling_ratio": c.get("ratio_adjacent_ceiling") or c.get("ratio_react_ceiling"),
            "component_fps_1m": c["fps"]
            if (c["strategy"], c["window"], c["channels"]) == ("component", 1_000_000, 4)
            else None,
        }
        for goal, value in checks.items():
            if value is not None:
                out.append(_row(c, goal, value, _check(goal, value)))
        latency = c.get("latency_ms_p95")
        if latency is None:
            continue
        if c["strategy"] in OWN_CANVAS:
            out.append(
                _row(c, "latency_p95", latency, _check("latency_p95", latency), "draws its own canvas")
            )
            continue
        fits, why = plotly_fits(ceiling)
        out.append(_row(c, "latency_p95", latency, _check("latency_p95", latency) if fits else None, why))
    return out


def _status(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "missed")


def goals_text(found: list[dict]) -> str:
    """One line per goal: how many cells meet it (of those it applies to), the values of those that do not,
    and the cells it does not apply to."""
    lines = []
    for goal, (text, op, target) in GOALS.items():
        rows = [g for g in found if g["goal"] == goal]
        if not rows:
            continue
        applies = [g for g in rows if g["met"] is not None]
        misses = ", ".join(f"{g['cell']} {g['value']:g}" for g in applies if not g["met"])
        na = [g for g in rows if g["met"] is None]
        line = f"  {text} {op} {target:g}: {sum(g['met'] for g in applies)}/{len(applies)} cells"
        line += f"; missed: {misses}" if misses else ""
        line += f"; n/a ({na[0]['note']}): {', '.join(g['cell'] for g in na)}" if na else ""
        lines.append(line)
    return "\n".join(lines)


def landing_text(landing: dict) -> str:
    """One line on the default page: fps, its ratio to the ceiling drawing what it draws, latency."""
    if landing.get("status") != "ok":
        return f"default page /: {landing.get('status')}: {landing.get('reason')}"
    ceiling = landing.get("ceiling") or {}
    ratio = landing.get("ratio_react_ceiling")
    if ceiling.get("status") == "ok":
        against = (
            f"{ratio:.2f}× its ceiling, a bare page drawing {ceiling['traces']} × {ceiling['points']:,} "
            f"{ceiling['trace']} points: {ceiling['fps']:.1f} fps"
        )
    else:
        against = f"ceiling {ceiling.get('status')}: {ceiling.get('reason')}"
    return (
        f"default page / (default dataset: {landing['channels']} channels × {landing['window']:,} window, "
        f"{landing.get('points_per_trace', 0):,} points per trace drawn): {landing['fps']:.1f} fps "
        f"({against}); latency p50/p95 {landing.get('latency_ms_p50')}/{landing.get('latency_ms_p95')} ms"
    )


def goals_markdown(doc: dict) -> str:
    """The default page's figures and every goal per cell (met / missed / n/a with the reason), in markdown."""
    lines = []
    if doc.get("landing"):
        lines += ["", landing_text(doc["landing"]).replace("default page /", "Default page `/`", 1) + "."]
    rows = doc.get("goals") or []
    if rows:
        goals = [g for g in GOALS if any(r["goal"] == g for r in rows)]
        cells = list(dict.fromkeys(r["cell"] for r in rows))
        found = {(r["cell"], r["goal"]): r for r in rows}
        notes: list[str] = []  # the reasons a goal does not apply, numbered once each
        head = [f"{GOALS[g][0].split(':')[0]} {GOALS[g][1]} {GOALS[g][2]:g}" for g in goals]
        lines += [
            "",
            "Goals per cell (reported, not asserted; n/a: the goal does not apply, see the note):",
            "",
        ]
        lines += ["| cell | " + " | ".join(head) + " |", "|---|" + "---|" * len(goals)]
        for c in cells:
            out = []
            for g in goals:
                r = found.get((c, g))
                if r is None:
                    out.append("")
                    continue
                text = f"{r['value']:g} {_status(r['met'])}"
                if r["met"] is None:
                    if r.get("note") not in notes:
                        notes.append(r.get("note"))
                    text += f" [{notes.index(r.get('note')) + 1}]"
                out.append(text)
            lines.append(f"| {c} | " + " | ".join(out) + " |")
        lines += [""] + [f"[{i}] {n}" for i, n in enumerate(notes, 1)]
    return "\n".join(lines) + ("\n" if lines else "")
