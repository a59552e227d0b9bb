"""Evaluation sets, scorers and benchmarks."""
