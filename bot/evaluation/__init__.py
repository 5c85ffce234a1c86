"""Evaluation: conversation tests, cross-validated NLU reports (JSON and HTML)."""
