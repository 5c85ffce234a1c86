"""Nlu layer."""
