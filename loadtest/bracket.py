"""Exact limits: bisect between the last passing and the first failing user count, and the bracket it gives.

stdlib only: the stepper (in locust's venv) chooses probes with `next_probe`, the run and the report (in the
app's venv) read a scenario's bracket from its step records with `bracket`.
"""

from __future__ import annotations

import math

WITHIN = 0.10  # bisect until the first failing count is at most 10% above the last passing one
MAX_PROBES = 6  # bisection steps per scenario at most (a doubling bracket needs 3 to get within 10%)


def narrow_enough(lo: int, hi: int, within: float = WITHIN) -> bool:
    """Whether [lo, hi) is tight: hi at most `within` above lo, or no integer between them."""
    return hi - lo <= 1 or (lo > 0 and hi <= lo * (1 + within))


def next_probe(
    lo: int, hi: int, probes: int, within: float = WITHIN, max_probes: int = MAX_PROBES
) -> int | None:
    """The next user count to measure between a passing `lo` (0: none passed) and a failing `hi`, or None when
    the bracket is tight enough or `probes` reached `max_probes`. The geometric midpoint halves the ratio."""
    if hi <= lo or probes >= max_probes or narrow_enough(lo, hi, within):
        return None
    mid = round(math.sqrt(lo * hi)) if lo > 0 else hi // 2
    return min(max(mid, lo + 1), hi - 1)


def bracket(steps: list[dict], within: float = WITHIN) -> dict:
    """The limit a scenario's step records show: the most users a passing step held (`users`), the fewest that failed above it (`fails_at`, None if none did), whether `users` is only a
    lower bound (nothing failed on the server's account), the bracket width in % and whether it is within
    `within`; `non_monotonic` when a count passed above one that failed (noise: the bracket uses the
    highest pass and the lowest fail above it)."""
    passed = sorted(s["users"] for s in steps if s.get("ok"))
    failed = [s for s in steps if not s.get("ok")]
    client_bound = any((s.get("client") or {}).get("bound") for s in failed)
    held = passed[-1] if passed else 0
    above = [s["users"] for s in failed if s["users"] > held and not (s.get("client") or {}).get("bound")]
    fails_at = min(above) if above else None
    lower_bound = fails_at is None  # every step passed, or only the client ran out of CPU
    width = round(100 * (fails_at - held) / held, 1) if fails_at is not None and held else None
    return {
        "users": held,
        "fails_at": fails_at,
        "lower_bound": lower_bound,
        "client_bound": client_bound,
        "bracket": None if fails_at is None else [held, fails_at],
        "bracket_pct": width,
        "within": fails_at is not None and narrow_enough(held, fails_at, within),
        "non_monotonic": any(s["users"] < held for s in failed),
        "probes": sum(1 for s in steps if s.get("phase") == "bisect"),
    }


class Search:
    """The user counts of one scenario: the steps while they pass, then bisection probes after the first failure.

    `after(outcome, client_bound)` takes the outcome of the count just measured ("pass" or "fail") and gives
    the next count, or None when the search is over (`reason` says why, `lo`/`hi` hold the bracket).
    """

    def __init__(self, steps: list[int], within: float = WITHIN, max_probes: int = MAX_PROBES) -> None:
        self.steps, self.within, self.max_probes = list(steps), within, max_probes
        self.index, self.stage, self.target = 0, "steps", self.steps[0]
        self.lo, self.hi, self.probes = 0, 0, 0
        self.first_failure, self.reason = "", ""

    def after(self, outcome: str, reasons: str = "", client_bound: bool = False) -> int | None:
        """The next user count after measuring `self.target` with this outcome, or None when done."""
        if self.stage == "steps" and outcome == "pass":
            self.lo, self.index = self.target, self.index + 1
            if self.index < len(self.steps):
                self.target = self.steps[self.index]
                return self.target
            self.reason = "all steps passed"
            return None
        if outcome == "fail" and client_bound:  # locust out of CPU: no server limit to narrow down
            self.reason = reasons if self.stage == "steps" else f"{self.first_failure}; {reasons}"
            return None
        if self.stage == "steps":
            self.stage, self.hi = "bisect", self.target
            self.first_failure = (
                f"at {self.target} users: {reasons}" if reasons else f"at {self.target} users"
            )
        elif outcome == "pass":
            self.lo = max(self.lo, self.target)
        else:
            self.hi = min(self.hi, self.target)
        nxt = next_probe(self.lo, self.hi, self.probes, self.within, self.max_probes)
        if nxt is None:
            how = "within" if narrow_enough(self.lo, self.hi, self.within) else "not within"
            self.reason = (
                f"{self.first_failure}; bracket [{self.lo}, {self.hi}) {how} "
                f"{100 * self.within:g}% after {self.probes} probe(s)"
            )
            return None
        self.probes, self.index, self.target = self.probes + 1, self.index + 1, nxt
        return nxt

    @property
    def bracket(self) -> list[int] | None:
        """[last pass, first fail] once a count failed, else None."""
        return [self.lo, self.hi] if self.stage == "bisect" else None
