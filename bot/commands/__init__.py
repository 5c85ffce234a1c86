"""Commands layer."""
