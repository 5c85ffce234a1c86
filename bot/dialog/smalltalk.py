"""Small talk any knowledge base gets: greetings, thanks, goodbyes and "are you a bot".

A knowledge base compiled from an article has facts, help and its source, not "hi" or
"thanks", and the matcher should not learn them next to the facts (their examples would
compete with the facts' words). So the engine reads small talk only where it would
otherwise refuse. A message that, normalised like every message and stripped of filler
words ("ok", "well", "there"), is one of the phrases of ``smalltalk.yml`` gets that
intent's reply; so does one that a matcher fitted to those phrases alone (the same
:class:`bot.nlu.matcher.LinearMatcher` as the knowledge base's, with its typo correction
and every content word of the message, of which there is one at least, one the
phrases use) answers with confidence, when the message holds every content word of one
of that intent's phrases ("thanks so much for the help", "thnks"; not "is it going to
rain tomorrow", nor "tell me more" for "no more questions"). A
knowledge base that has an intent of that name answers it itself, through its own
matcher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.model import Example, Intent, KnowledgeBase, Response, ResponseVariant
from bot.nlu.lexicon import FUNCTION_WORDS, QUESTION_WORDS
from bot.nlu.normalize import stem, tokenize

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

    def match(self, tokens: Sequence[str], nlu: NluConfig) -> str | None:
        """Return the small-talk intent of a message, or None.

        A phrase (:meth:`read`), or else the intent the phrases' own matcher answers
        under ``nlu``'s thresholds, as the knowledge base's matcher would, when the
        message has content words (filler words aside), the phrases use every one, and
        they hold all those of one of the intent's phrases.

        Args:
            tokens: The message's normalised tokens.
            nlu: The thresholds to answer by.
        """
        found = self.read(tokens)
        if found is not None:
            return found
        matcher = self.matcher
        text = " ".join(tokens)
        content = self._content_words(text)
        if not content or not all(matcher.mentions(t) for t in content):
            return None  # "is it going to rain tomorrow" is no "how is it going"
        decision = decide(matcher.rank(text, limit=3), nlu)
        if decision.kind != ANSWER or decision.intent is None:
            return None
        name = decision.intent.name
        said = {stem(t) for t in content}
        # the whole of one phrase: "tell me more" is not "no more questions"
        return name if any(words and words <= said for words in self._content[name]) else None

    def _content_words(self, text: str) -> list[str]:
        """The words of ``text`` as the matcher reads them, function and filler words aside."""
        return [t for t in self.matcher.understand(text)[0] if t not in FUNCTION_WORDS
                and t not in QUESTION_WORDS and t not in self.filler]

    @cached_property
    def _content(self) -> dict[str, list[frozenset[str]]]:
        """The stems of each phrase's content words, per intent."""
        content: dict[str, list[frozenset[str]]] = {}
        for words, name in self.phrases.items():
            content.setdefault(name, []).append(frozenset(
                stem(t) for t in self._content_words(" ".join(words))))
        return content

    @cached_property
    def matcher(self):  # noqa: ANN201 - a LinearMatcher, imported lazily
        """The matcher fitted to the phrases (built on first use, or read from the cache).

        Each intent's answer is its bare name: the replies' words ("ask", "question",
        "help") are no evidence that a message is small talk.
        """
        from bot.nlu.matcher import build_matcher

        examples: dict[str, list[Example]] = {}
        for words, name in self.phrases.items():
            examples.setdefault(name, []).append(Example(" ".join(words)))
        kb = KnowledgeBase(
            intents=MappingProxyType({n: Intent(n, tuple(e)) for n, e in examples.items()}),
            responses=MappingProxyType({
                f"utter_{n}": Response(f"utter_{n}", (ResponseVariant(n),))
                for n in examples}))
        return build_matcher(kb)


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
