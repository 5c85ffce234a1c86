"""Compiler layer."""
