"""`make report`: the HTML reports and PNGs of every benchmark, from the newest results in benchmarks/results.

Tickless's report (report.html; load-*.png from loadtest, browser-*.png from the browser benchmark) takes the
newest Tickless load run and the newest browser run. A load run against any other Dash app gets its own page
and PNGs (anydash-report.html, anydash-*.png) and never touches Tickless's. Section builders live in
load_report.py, bench_report.py and anydash_report.py; all of them, and this module, draw through report_kit
(the one page writer and the one PNG renderer: Plotly.toImage in headless Chromium). Nothing imports this
module, so there is no import circle.

    .venv/bin/python -m benchmarks.report                  # both reports, when their results exist
    .venv/bin/python -m benchmarks.report --kind tickless  # only Tickless's (what make loadtest / make bench do)
    .venv/bin/python -m benchmarks.report --kind anydash   # only the other app's (make loadtest TARGET=...)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from . import anydash_report, bench_report, load_report, soak_report
from .report_kit import RESULTS, Section, render_page, write_pngs

# each report: its page, its title, and the section builders (each returns None when its results are absent)
REPORTS: dict[str, tuple[str, str, list[Callable[[Path], Section | None]]]] = {
    "tickless": (
        "report.html",
        "Tickless benchmarks",
        [load_report.load_section, bench_report.browser_section, soak_report.soak_section],
    ),
    "anydash": (anydash_report.PAGE_NAME, "Load test of a Dash app", [anydash_report.section]),
}


def build(kind: str, results_dir: Path, png: bool = True) -> list[Path]:
    """Write one report (its page and, with `png`, its charts as PNG); the files written, [] without results."""
    page, title, makers = REPORTS[kind]
    sections = [s for s in (make(results_dir) for make in makers) if s is not None]
    if not sections:
        return []
    out = results_dir / page
    render_page(sections, out, title)
    written = [out]
    if png:
        figures = {div_id: fig for sec in sections for div_id, fig in sec.figures.items()}
        written += write_pngs(figures, results_dir)
    return written


def main(argv: list[str] | None = None) -> int:
    """Build the reports asked for; 1 when none had results."""
    p = argparse.ArgumentParser(prog="benchmarks.report", description=__doc__.split("\n\n")[0])
    p.add_argument("--results-dir", type=Path, default=RESULTS)
    p.add_argument("--kind", choices=(*REPORTS, "all"), default="all", help="which report (default: all)")
    p.add_argument("--no-png", action="store_true", help="skip the PNGs (no browser needed)")
    args = p.parse_args(argv)
    kinds = list(REPORTS) if args.kind == "all" else [args.kind]
    written = [path for kind in kinds for path in build(kind, args.results_dir, not args.no_png)]
    if not written:
        print(
            f"report: no results in {args.results_dir}; run `make loadtest` or `make bench` first",
            file=sys.stderr,
        )
        return 1
    for path in written:
        print(f"report: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
