"""Resource limits for reading knowledge-base YAML, in one place.

The loader, ``faqbot validate`` and hot reload all read files through
:func:`bot.kb.loader.read_files`, which applies these limits; so a file one of them
refuses, all of them refuse, quickly and with the same message. Each limit is a key of
the ``limits:`` section of the configuration file, and each refusal names that key.
"""

from __future__ import annotations

from dataclasses import dataclass

CONFIG_SECTION = "limits"


@dataclass(frozen=True)
class YamlLimits:
    """How much a knowledge base may hold before it is refused.

    Attributes:
        max_file_bytes: Largest YAML file read.
        max_total_bytes: Largest knowledge base, all its YAML files together.
        max_alias_nodes: Most YAML nodes that aliases (``*name``) may add in one file, each
            alias counting every node of what it repeats ("billion laughs" files).
        max_depth: Deepest nesting of lists and mappings in a file.
        max_examples_per_intent: Most example lines of one intent.
        max_examples: Most example lines (intents, synonyms and lookups) in all files.
    """

    max_file_bytes: int = 10 * 1024 * 1024
    max_total_bytes: int = 50 * 1024 * 1024
    max_alias_nodes: int = 10_000
    max_depth: int = 50
    max_examples_per_intent: int = 10_000
    max_examples: int = 100_000

    def exceeded(self, key: str, what: str) -> str:
        """Return the message for ``what`` (e.g. "file is 52 MB") going past limit ``key``.

        Args:
            key: The attribute name of the limit.
            what: What was found, in words.

        Returns:
            A message naming the limit, its value and the configuration key to raise it.
        """
        value = getattr(self, key)
        return (f"{what}, over the limit of {value:,} ({CONFIG_SECTION}.{key} in the "
                "configuration file; raise it there if this is intended)")
