"""Analyses over project data: pure functions of DataFrames and domain objects (no I/O)."""
