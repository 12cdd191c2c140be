"""The node tests' config (tests/js/fixtures/config.json) is the contract's own JSON, generated, never typed.

The JS modules read limits, enums and caps from the page's config store; their node tests read this file,
written by `contract.browser()` for a small 3-channel page. The test fails when the contract changes and the
file was not regenerated:

    .venv/bin/python -m tests.unit.test_js_fixture      # rewrite tests/js/fixtures/config.json
"""

from __future__ import annotations

import json
from pathlib import Path

from app import contract

FIXTURE = Path(__file__).resolve().parents[1] / "js" / "fixtures" / "config.json"
WINDOW = 2000
NAMES = ["ch1", "ch2", "ch3"]
RANGES = [[-1.0, 1.0], [2.0, 4.0], [10.0, 10.0]]


def fixture_config() -> dict:
    """The config store of a 3-channel page, as far as the pure JS modules read it (strategies: ids only)."""
    config = contract.browser(WINDOW, NAMES, RANGES)
    return {**config, "strategies": [{"id": sid} for sid in contract.STRATEGY_IDS]}


def render() -> str:
    """The fixture file's text."""
    return json.dumps(fixture_config(), indent=2) + "\n"


def test_node_fixture_is_the_contracts_json():
    assert FIXTURE.exists() and FIXTURE.read_text() == render(), (
        f"{FIXTURE.name} differs from contract.browser(): run `.venv/bin/python -m tests.unit.test_js_fixture`"
    )


if __name__ == "__main__":
    FIXTURE.write_text(render())
    print(f"wrote {FIXTURE}")
