"""server-push beside server-extend and clientside-raf in one load run: the push steps' search, the rows, the ratios.

Pure functions (no server, no locust) for `benchmarks/bench_push.py`: `search` drives loadtest/bracket.py's
`Search` (the same steps-then-bisection as `make loadtest`) with one measurement per user count; `push_row`
and `http_row` turn a strategy's step records into one row (tabs held as a bracket, server CPU per
tab-second at the held count); `ratios` and `table` give the comparison written into the JSON and the README.
"""

from __future__ import annotations

from collections.abc import Callable

from loadtest import bracket

PUSH, EXTEND, RAF = "server-push", "server-extend", "clientside-raf"
RATIOS = ((PUSH, EXTEND), (RAF, PUSH), (RAF, EXTEND))  # (numerator, denominator) of "tabs held" ratios


def search(
    steps: list[int],
    measure: Callable[[int], dict],
    within: float = bracket.WITHIN,
    max_probes: int = bracket.MAX_PROBES,
    time_left: Callable[[], float] = lambda: float("inf"),
    step_cost: Callable[[int], float] = lambda users: 0.0,
) -> tuple[list[dict], str]:
    """Measure user counts as `make loadtest` picks them (steps until one fails, then bisection); each record
    gets `ok`, `phase` and `client` as the stepper writes them. Stops early when the next count's
    `step_cost` would not fit in `time_left()`; returns the records and why the search ended."""
    s, records, users = bracket.Search(steps, within, max_probes), [], steps[0]
    while users is not None:
        if step_cost(users) > time_left():
            return records, f"time budget: {users} users not measured"
        rec = {**measure(users), "phase": s.stage}
        rec.setdefault("ok", bool(rec.get("held")))
        bound = bool(rec.get("client_bound"))
        rec.setdefault("client", {"bound": bound})
        records.append(rec)
        users = s.after("pass" if rec["ok"] else "fail", rec.get("reason", ""), bound)
    return records, s.reason


def _row(strategy: str, steps: list[dict], cpu_of: Callable[[dict], float | None], why: str) -> dict:
    held = bracket.bracket(steps)
    at = next((s for s in steps if s.get("ok") and s["users"] == held["users"]), None)
    return {
        "strategy": strategy,
        "held": held["users"],
        "fails_at": held["fails_at"],
        "bracket": held["bracket"],
        "bracket_pct": held["bracket_pct"],
        "within": held["within"],
        "lower_bound": held["lower_bound"],
        "client_bound": held["client_bound"],
        "steps": len(steps),
        "probes": held["probes"],
        "server_cpu_ms_per_tab_s": cpu_of(at) if at else None,
        "why_stopped": why,
    }


def push_row(steps: list[dict], why: str = "") -> dict:
    """server-push's row from bench_push's load steps (CPU per tab-second: the push server's, at the held count)."""
    return _row(PUSH, steps, lambda s: s.get("server_cpu_ms_per_tab_s"), why)


def http_cpu_ms_per_tab_s(step: dict) -> float | None:
    """Server CPU per tab-second of one loadtest step: gunicorn's % of a core over the users, in ms per second."""
    server = step.get("server") or {}
    if server.get("cpu_percent") is None or not step.get("users"):
        return None
    return round(10 * server["cpu_percent"] / step["users"], 3)


def http_row(strategy: str, steps: list[dict], why: str = "") -> dict:
    """An HTTP strategy's row from loadtest.run's step records (the ones not superseded)."""
    return _row(strategy, steps, http_cpu_ms_per_tab_s, why)


def ratios(rows: dict[str, dict]) -> dict[str, dict]:
    """Tabs held and CPU per tab-second as ratios (push / server-extend, clientside-raf / push, raf / extend):
    `held` from the held counts, `range` the lowest and highest ratio the two brackets allow (None where a
    strategy has no failing count above its held one)."""
    out = {}
    for a, b in RATIOS:
        ra, rb = rows.get(a), rows.get(b)
        if not ra or not rb or not ra["held"] or not rb["held"]:
            out[f"{a} / {b}"] = None
            continue
        lo = ra["held"] / rb["fails_at"] if rb["fails_at"] else None  # None: a lower bound, no limit
        hi = ra["fails_at"] / rb["held"] if ra["fails_at"] else None
        ca, cb = ra["server_cpu_ms_per_tab_s"], rb["server_cpu_ms_per_tab_s"]
        out[f"{a} / {b}"] = {
            "held": round(ra["held"] / rb["held"], 2),
            "range": [None if lo is None else round(lo, 2), None if hi is None else round(hi, 2)],
            "cpu_per_tab": round(ca / cb, 2) if ca and cb else None,
        }
    return out


def held_text(row: dict) -> str:
    """`150–168 (+12%)`, `≥ 400` (nothing failed on the server's account) or `0`."""
    if row["lower_bound"]:
        return f"≥ {row['held']}" + (" (client-bound)" if row["client_bound"] else "")
    return f"{row['held']}–{row['fails_at']} (+{row['bracket_pct']:g}%)"


def table(rows: dict[str, dict]) -> list[str]:
    """The README's markdown table: tabs held, server CPU per tab-second, and held tabs as a ratio to server-push's."""
    lines = [
        "| strategy (load, one run) | tabs held at p95 < 100 ms | server CPU per tab | tabs held vs server-push |",
        "|---|---|---|---|",
    ]
    for sid in (PUSH, EXTEND, RAF):
        row = rows.get(sid)
        if not row:
            continue
        cpu, push = row["server_cpu_ms_per_tab_s"], rows.get(PUSH) or {}
        vs = f"{row['held'] / push['held']:.2g}×" if push.get("held") else "–"
        lines.append(f"| {sid} | {held_text(row)} | {'–' if cpu is None else f'{cpu:.1f} ms/s'} | {vs} |")
    return lines
