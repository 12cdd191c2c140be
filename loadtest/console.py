"""What a load run prints as it goes (loadtest/run.py): each step record as locust's step log receives it, and the
page loads measured before the scenarios."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import launcher


def page_loads_line(page_loads: dict) -> str:
    """One line: each visit kind's wire size, requests and server CPU per load (loadtest/pageload.py's figures)."""
    return "page loads: " + "; ".join(
        f"{kind} visit {v['bytes'] / 1000:,.1f} kB in {v['requests']:g} requests, server {v['server_cpu_ms']:g} ms"
        for kind, v in page_loads.items()
    )


def step_line(r: dict, limit: float) -> str:
    mark = "ok" if r["ok"] else "FAIL: " + "; ".join(r["reasons"])
    machine = r.get("machine") or {}
    if machine.get("noisy"):
        mark += f" · NOISY: other processes used {machine['other_cpu_percent']:g}% CPU"
    srv = r.get("server") or {}
    server_part = f" · server {srv['cpu_percent']:g}% CPU, {srv['rss_mb']:.0f} MB" if srv else ""
    p95 = "–" if r["p95_ms"] is None else f"{r['p95_ms']:g} ms"
    return (
        f"    {r['users']:>5} users: p95 {p95} (limit {limit:g}) · {r['rps']:g} req/s · "
        f"{r['failures']} failures{server_part} · locust {r['client']['cpu_percent']:g}% CPU · {mark}"
    )


def follow(log: Path, proc: subprocess.Popen, deadline: float, limit: float) -> list[dict]:
    """Print the step log as locust writes it; stop locust at the deadline; return every record."""
    records, offset = [], 0
    while True:
        alive = proc.poll() is None
        if log.exists():
            with open(log, encoding="utf-8") as fh:
                fh.seek(offset)
                chunk = fh.read()
            complete = chunk[: chunk.rfind("\n") + 1]
            offset += len(complete.encode("utf-8"))
            for line in complete.splitlines():
                rec = json.loads(line)
                records.append(rec)
                if rec["type"] == "progress" and "quiet_wait" in rec:
                    print(
                        f"    {rec['users']:>5} users: waiting for a quiet machine ({rec['quiet_wait']:g}% CPU)"
                    )
                elif rec["type"] == "progress":
                    print(
                        f"    {rec['users']:>5} users: ramping, {rec['running']} running, {rec['loaded']} pages loaded"
                    )
                elif rec["type"] == "step":
                    line = step_line(rec, limit) + (" → measuring again" if rec.get("superseded") else "")
                    print(line.replace("    ", "  ⇅ ", 1) if rec.get("phase") == "bisect" else line)
                sys.stdout.flush()
        if not alive:
            return records
        if time.monotonic() > deadline:
            print("    time budget reached: stopping locust")
            launcher.stop(proc)
        time.sleep(0.5)
