"""Benchmarks: the report builder (`python -m benchmarks.report`) and, in results/, what runs wrote."""
