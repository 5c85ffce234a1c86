"""Dialog layer."""
