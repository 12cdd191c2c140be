"""The load client's own meters (loadtest/meters.py), on this process: real collections, nothing simulated."""

from __future__ import annotations

import gc

from loadtest.meters import GcMeter


def test_meters001_gc_meter_records_this_process_collections():
    meter = GcMeter()
    try:
        meter.reset()
        gc.collect()  # a full collection, timed by the meter's gc.callbacks hook
        gc.collect(0)
        out = meter.summary()
        assert out["collections"][2] >= 1 and out["collections"][0] >= 1, out
        assert 0 < out["max_ms"] <= out["total_ms"], out
        meter.reset()
        assert meter.summary()["collections"] == [0, 0, 0]
    finally:
        meter.close()
    assert meter._on_gc not in gc.callbacks


def test_meters002_freeze_moves_live_objects_out_of_the_collectors_reach():
    keep = [{"tab": i, "values": list(range(5))} for i in range(20_000)]  # what a crowd of tabs holds
    try:
        ms = GcMeter.freeze()
        frozen = gc.get_freeze_count()
        assert ms >= 0 and frozen >= 40_000, frozen  # each dict and its list
        meter = GcMeter()
        try:
            gc.collect()  # a full collection now walks what is not frozen only
            assert meter.summary()["frozen"] == frozen
        finally:
            meter.close()
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0 and len(keep) == 20_000
