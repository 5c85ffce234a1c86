"""Small talk any knowledge base gets: greetings, thanks, goodbyes and "are you a bot".

A knowledge base compiled from an article has facts, help and its source, not "hi" or
"thanks", and the matcher should not learn them next to the facts (their examples would
compete with the facts' words). So the engine reads small talk only where it would
otherwise refuse: a message that, normalised like every message and stripped of filler
words ("ok", "well", "there"), is one of the phrases of ``smalltalk.yml`` gets that
intent's reply, unless the knowledge base has an intent of that name itself, which then
answers through the matcher as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.normalize import tokenize

DATA = Path(__file__).with_name("smalltalk.yml")


@dataclass(frozen=True)
class SmallTalk:
    """The phrases of each small-talk intent, its reply, and the filler words."""

    phrases: dict[tuple[str, ...], str]
    replies: dict[str, str]
    filler: frozenset[str]

    def read(self, tokens: Sequence[str]) -> str | None:
        """Return the small-talk intent ``tokens`` (a normalised message) is, or None."""
        kept = tuple(t for t in tokens if t not in self.filler)
        return self.phrases.get(kept) if kept else None


@lru_cache(maxsize=1)
def load_small_talk(path: Path = DATA) -> SmallTalk:
    """Read ``smalltalk.yml`` (the engine's own data file, so errors are bugs, not input)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    filler = frozenset(w for word in data["filler"] for w in tokenize(str(word)))
    phrases: dict[tuple[str, ...], str] = {}
    replies: dict[str, str] = {}
    for name, spec in data["intents"].items():
        replies[name] = str(spec["reply"])
        for phrase in spec["phrases"]:
            words = tuple(t for t in tokenize(str(phrase)) if t not in filler)
            phrases.setdefault(words, name)
    return SmallTalk(phrases, replies, filler)
