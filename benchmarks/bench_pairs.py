"""A goal cell and its ceiling, measured as alternating pairs, reported as medians.

On this shared 2-core machine one 5-second measurement of a page and one of its bare-plotly ceiling can land in
different moments of the host's load: in one A/B of the 1k × 4 page (four rounds, 2026-12-05) the page's late
samples read 10.8 / 4.7 / 6.5 / 4.1 % and its ceiling's 6.3 / 3.4 / 4.0 / 8.0 %, so a single pair decides a
goal by which second it happened to run in. A goal cell (bench.py wants_adjacent, and the default page) is
therefore measured `pairs` times, cell and ceiling back to back, the order alternating (cell first, ceiling
first, cell first, ...) so a drift in the machine's speed favours neither. The entry reports

- every figure of the cell and of the ceiling as the median over the pairs (bench_results.merge_repeats),
- the ratio to the ceiling as the median of the pairs' own ratios (each taken within one pair),
- `pairs`: each pair's fps, ratio, latency p95 and late share, so the spread is in the results.

A pair whose cell or ceiling broke is left out of the medians and named in `notes`; a first measurement that
fails is the cell's result, as with one pair.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from .bench_results import NUMERIC, merge_repeats


def _late(figures: dict) -> float | None:
    late = figures.get("late") or {}
    value = late.get("late_pct") if isinstance(late, dict) else None
    return value if isinstance(value, NUMERIC) else None


def _ratio(cell: dict, ceiling: dict) -> float | None:
    fps, base = cell.get("fps"), ceiling.get("fps") if ceiling.get("status") == "ok" else None
    return round(fps / base, 3) if isinstance(fps, NUMERIC) and isinstance(base, NUMERIC) and base else None


def pair_row(index: int, order: str, cell: dict, ceiling: dict) -> dict:
    """One pair's headline figures for the results file."""
    ok = ceiling.get("status") == "ok"
    return {
        "pair": index,
        "order": order,
        "fps": cell.get("fps"),
        "ceiling_fps": ceiling.get("fps") if ok else None,
        "ratio": _ratio(cell, ceiling),
        "latency_ms_p95": cell.get("latency_ms_p95"),
        "ceiling_latency_ms_p95": ceiling.get("latency_ms_p95") if ok else None,
        "late_pct": _late(cell),
        "ceiling_late_pct": _late(ceiling) if ok else None,
        **({} if ok else {"ceiling_error": ceiling.get("reason")}),
    }


def _guarded(ceiling_for: Callable[[dict], dict], cell: dict) -> dict:
    """The ceiling for `cell`; one that raises is an entry with status "error", not a lost cell."""
    try:
        return ceiling_for(cell)
    except Exception as exc:  # noqa: BLE001 (a broken ceiling must not lose the page's figures)
        return {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[:300]}


def measure_pairs(
    measure: Callable[[], dict],
    ceiling_for: Callable[[dict], dict],
    pairs: int,
    log: Callable[[str], None] = lambda _: None,
    recover: Callable[[Exception], None] = lambda _: None,
) -> dict:
    """`measure()` → a cell's figures ({"status": "ok", ...}); `ceiling_for(cell)` → its ceiling's figures
    ({"status": "ok", "fps": ...}; one that raises counts as a broken ceiling). An exception from a later pair's `measure` ends the pairing (after
    `recover(exc)`, e.g. a browser restart) and keeps the pairs before it; the first one's is the caller's. Returns the cell's merged figures with `ceiling` (merged), the
    `ratio_adjacent_ceiling` (median of the pairs' ratios) and `pairs`."""
    first = measure()
    if first.get("status") != "ok":
        return first
    cells, ceilings, rows, notes = [first], [], [], list(first.get("notes") or [])
    ceiling = _guarded(ceiling_for, first)
    ceilings.append(ceiling)
    rows.append(pair_row(1, "cell, ceiling", first, ceiling))
    for index in range(2, pairs + 1):
        ceiling_first = index % 2 == 0
        if ceiling_first:
            ceiling = _guarded(ceiling_for, first)
        try:
            cell = measure()
        except Exception as exc:  # noqa: BLE001 (a later pair breaking must not lose the earlier ones)
            recover(exc)
            cell = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[:300]}
        if cell.get("status") != "ok":
            notes.append(f"pair {index} left out: the cell {cell.get('status')}: {cell.get('reason')}")
            log(f"    pair {index}: cell {cell.get('status')} ({cell.get('reason')}); pairs stop here")
            break
        if not ceiling_first:
            ceiling = _guarded(ceiling_for, first)  # every ceiling draws the points the first page drew
        cells.append(cell)
        ceilings.append(ceiling)
        rows.append(pair_row(index, "ceiling, cell" if ceiling_first else "cell, ceiling", cell, ceiling))
        notes += cell.get("notes") or []
        log(f"    pair {index}: {cell['fps']:.1f} fps, ratio {rows[-1]['ratio']}")
    good = [c for c in ceilings if c.get("status") == "ok"]
    bad = [r["pair"] for r in rows if r["ceiling_fps"] is None]
    if bad:
        notes.append(
            f"ceiling broke in pair(s) {', '.join(map(str, bad))}: left out of the ceiling's medians"
        )
    merged = merge_repeats([{k: v for k, v in c.items() if k != "notes"} for c in cells])
    # points on screen are the ceilings' matching key, not a figure: every ceiling drew the first pair's (an
    # envelope's bucket alignment moves the page's count by a point a trace from one pair to the next)
    merged["points"] = first.get("points")
    merged["notes"] = sorted(set(notes))
    merged["ceiling"] = merge_repeats(good) if good else ceilings[0]
    if len(good) > 1:
        merged["ceiling"]["merged_pairs"] = len(good)
    ratios = [r["ratio"] for r in rows if r["ratio"] is not None]
    merged["ratio_adjacent_ceiling"] = round(statistics.median(ratios), 3) if ratios else None
    merged["pairs"] = rows
    return merged


def _series(rows: list[dict], key: str, fmt: str) -> str:
    return " / ".join("–" if r.get(key) is None else format(r[key], fmt) for r in rows)


def pairs_lines(cells: list[dict], landing: dict | None = None) -> list[tuple[str, str, str, str]]:
    """(cell, ratio per pair, late % per pair, ceiling late % per pair) for every entry measured in pairs."""
    entries = list(cells) + ([landing] if landing else [])
    out = []
    for c in entries:
        rows = c.get("pairs") or []
        if c.get("status") != "ok" or len(rows) < 2:
            continue
        out.append(
            (
                c["id"],
                _series(rows, "ratio", ".2f"),
                _series(rows, "late_pct", ".1f"),
                _series(rows, "ceiling_late_pct", ".1f"),
            )
        )
    return out


HEAD = ("cell", "fps / ceiling, each pair", "late % (page)", "late % (ceiling)")
EXPLAIN = (
    "Goal cells and the default page were measured in alternating pairs with their ceiling; their figures and "
    "goals are medians over the pairs (bench_pairs.py). Each pair:"
)


def pairs_text(cells: list[dict], landing: dict | None = None) -> str:
    """The pairs' spread as a plain-text table ("" when no entry had more than one pair)."""
    lines = pairs_lines(cells, landing)
    if not lines:
        return ""
    width = max(len(HEAD[0]), *(len(r[0]) for r in lines))
    out = [EXPLAIN, f"{HEAD[0]:<{width}}  {HEAD[1]:<26} {HEAD[2]:<20} {HEAD[3]}"]
    out += [f"{r[0]:<{width}}  {r[1]:<26} {r[2]:<20} {r[3]}" for r in lines]
    return "\n".join(out)


def pairs_markdown(doc: dict) -> str:
    """The same table in markdown, for the summary ("" when no entry had more than one pair)."""
    lines = pairs_lines(doc.get("cells") or [], doc.get("landing"))
    if not lines:
        return ""
    out = ["", EXPLAIN, "", "| " + " | ".join(HEAD) + " |", "|---|---|---|---|"]
    out += ["| " + " | ".join(r) + " |" for r in lines]
    return "\n".join(out) + "\n"
