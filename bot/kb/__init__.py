"""Kb layer."""
