"""Correct the spelling of a message's words before they are matched.

People type fast: "mistrl", "invesotrs", "plannin", "togther", "u", "ppl". Left as typed,
such a word is unknown to the knowledge base, counts as a name the source does not cover
and sinks the answer. :class:`SpellingCorrector` reads each normalised token once:

1. A word the knowledge base's examples use is never changed.
2. Chat shorthand (``shorthand.yml`` next to this module, general chat English: "u" ->
   "you", "ppl" -> "people", "idk" -> "i do not know") stands for its words.
3. Other protected words (entity values, words of the paraphrase lexicon, function and
   question words) are never changed, nor a token with a digit: a number or a code
   (the matcher reads numbers).
4. A word of the English frequency list (:mod:`bot.nlu.english`) is meant as typed:
   "founded" is not a typo of "funded", nor "maker" of "make", however much more
   frequent the other word is.
5. Any other token is corrected to a knowledge-base word within the edit budget (OSA
   distance via rapidfuzz, so a swap of two letters is one edit: one edit for words of
   4 to 6 letters, two from 7), the closest and then the most used; the knowledge base's
   words come first because they carry the evidence (unless an English word is fewer
   edits away). Failing that, to a frequent English word within the same budget
   (pyspellchecker's candidates one edit away; two edits are searched with rapidfuzz
   among the words of the same first letter, much faster than generating them),
   preferring a word whose stem the knowledge base uses ("weigts" -> "weights", not
   "weighs"), then the more frequent word; a word the knowledge base has no evidence for
   must be the clear reading among those as close, else the token is a name ("tencent"
   is not "tenant" or "tenet"). Another form of a knowledge-base word
   ("chatbots" when the examples say "chatbot") is read as that word, fully trusted.
   Two edits from English need a word of more than ``long_word_chars`` letters.
6. A token of three letters or fewer is corrected only to a function or question word
   ("teh" -> "the"; "cfo" is not "ceo"), and never to other English: a short word has too
   many neighbours. An English correction needs ``min_english_chars`` letters. A token
   with no candidate in budget is a name ("xai", "anthropic") and is left as typed, so the
   bot can still say that its sources do not cover it.

Each correction carries a trust in (0, 1] for the matcher: how much the corrected word
counts as the word it stands for (see :meth:`SpellingCorrector.correct`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.nlu.english import frequencies
from bot.nlu.lexicon import FUNCTION_WORDS, QUESTION_WORDS
from bot.nlu.normalize import stem
from bot.nlu.parse import Correction

logger = logging.getLogger(__name__)

SHORTHAND_PATH = Path(__file__).with_name("shorthand.yml")

__all__ = ["ENGLISH", "KB", "SHORTHAND", "Correction", "ShorthandError", "SpellingCorrector",
           "load_shorthand", "shipped_shorthand"]

KB = "kb"
ENGLISH = "english"
SHORTHAND = "shorthand"


class ShorthandError(ValueError):
    """The shorthand file is unreadable or malformed; the message names file:line:col."""


def load_shorthand(path: Path = SHORTHAND_PATH) -> dict[str, tuple[str, ...]]:
    """Return the shorthand table: token -> the words it stands for.

    Raises:
        ShorthandError: When the file is unreadable or not a mapping of words to words.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ShorthandError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ShorthandError(f"{where}: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise ShorthandError(f"{path}:1:1: expected a mapping of shorthand to words")
    table: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not isinstance(value, str) or not value.split():
            raise ShorthandError(f"{path}: entry {key!r}: expected 'shorthand: words'")
        table[key.casefold()] = tuple(value.casefold().split())
    return table


@lru_cache(maxsize=1)
def shipped_shorthand() -> dict[str, tuple[str, ...]]:
    """Return the shipped shorthand table (empty, with a warning, if it cannot be read)."""
    try:
        return load_shorthand()
    except ShorthandError as exc:
        logger.warning("chat shorthand unavailable: %s", exc)
        return {}


class _EnglishIndex:
    """The frequent English words, by first letter and length, for candidate searches.

    Two-edit candidates are searched among the words that begin with the same letter
    (a typing error rarely hits the first letter, and the search is then some twenty
    times smaller); one-edit candidates are pyspellchecker's, any letter.
    """

    def __init__(self) -> None:
        self._checker = None
        self._by_start: dict[tuple[str, int], list[str]] = {}
        for word in frequencies():
            self._by_start.setdefault((word[0], len(word)), []).append(word)
        self._pool = lru_cache(maxsize=4096)(self._pool_of)

    def near(self, word: str, distance: int) -> list[tuple[str, int]]:
        """Return the English words at most ``distance`` edits from ``word``, with distances."""
        if distance <= 1:
            return [(w, 1) for w in self._one_edit(word)]
        hits = process.extract(word, self._pool(word[0], len(word), distance),
                               scorer=OSA.distance, score_cutoff=distance, limit=None)
        return [(w, int(d)) for w, d, _ in hits]

    def _pool_of(self, first: str, length: int, distance: int) -> tuple[str, ...]:
        return tuple(w for n in range(length - distance, length + distance + 1)
                     for w in self._by_start.get((first, n), ()))

    def _one_edit(self, word: str) -> set[str]:
        if self._checker is None:
            from spellchecker import SpellChecker

            checker = SpellChecker(language=None, distance=1)
            checker.word_frequency.load_json(frequencies())
            self._checker = checker
        return set(self._checker.candidates(word) or ()) - {word}


@lru_cache(maxsize=1)
def _median_count() -> int:
    counts = sorted(frequencies().values())
    return counts[len(counts) // 2] if counts else 1


@lru_cache(maxsize=1)
def _total_count() -> int:
    return max(1, sum(frequencies().values()))


@lru_cache(maxsize=1)
def _english_index() -> _EnglishIndex:
    return _EnglishIndex()


class SpellingCorrector:
    """Reads typed tokens as the words they stand for (see the module docstring).

    Args:
        kb_words: The knowledge base's words and how often its examples use each.
        protected: More words never changed (entity values, paraphrase-lexicon words).
        kb_stems: Stems the knowledge base uses (examples and answers), to prefer an
            English correction the knowledge base has evidence for.
        answer_stems: Stems that only answers use: a token of one is meant as typed (a
            name only an answer gives, "canopyos", is not the English "canopy").
        max_distance: Most edits for a word of ``long_word_chars`` letters or more.
        kb_share: The share of a question's words expected to be the knowledge base's
            words rather than English at large (for the trust of a correction).
        english_share: An English correction whose stem the knowledge base never uses
            needs this share of the English frequency of the words as close: otherwise
            the token is ambiguous, and more likely a name ("tencent").
        short_word_length: Tokens of at most this many letters are corrected only to a
            function or question word.
        min_english_chars: Fewest letters for a correction to a word the knowledge base
            does not use.
        long_word_chars: Words at least this long may be ``max_distance`` edits away.
        shorthand: Token -> words; the shipped table when None.
    """

    def __init__(
        self,
        kb_words: Mapping[str, int],
        protected: Iterable[str] = (),
        kb_stems: Iterable[str] = (),
        answer_stems: Iterable[str] = (),
        *,
        max_distance: int = 2,
        kb_share: float = 0.5,
        english_share: float = 0.6,
        short_word_length: int = 3,
        min_english_chars: int = 5,
        long_word_chars: int = 7,
        shorthand: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._counts = dict(kb_words)
        self._words = sorted(self._counts, key=lambda w: (-self._counts[w], w))
        self._known = frozenset(self._counts) | frozenset(protected) | FUNCTION_WORDS | (
            QUESTION_WORDS)
        self._targets = self._words + sorted(
            (FUNCTION_WORDS | QUESTION_WORDS) - frozenset(self._counts))
        self._kb_stems = frozenset(kb_stems) | {stem(w) for w in self._counts}
        self._answer_stems = frozenset(answer_stems)
        self._max_distance = max_distance
        self._kb_share = kb_share
        self._english_share = english_share
        self._total = max(1, sum(self._counts.values()))
        self._short = short_word_length
        self._min_english = min_english_chars
        self._long = long_word_chars
        self._shorthand = dict(shipped_shorthand() if shorthand is None else shorthand)
        self.correct = lru_cache(maxsize=8192)(self._correct)

    def _budget(self, word: str) -> int:
        return 1 if len(word) < self._long else self._max_distance

    def _correct(self, token: str) -> Correction | None:
        """Return how ``token`` is read, or None when it stands as typed.

        The trust of a knowledge-base correction is its share among the words as close
        (:meth:`_share`); an English correction and shorthand have trust 1.0 (the word is
        then ordinary English, not evidence for an intent).
        """
        if token in self._counts:
            return None  # the knowledge base's own wording, shorthand or not
        meant = self._shorthand.get(token)
        if meant is not None:
            return Correction(token, meant, SHORTHAND, 0, 1.0)
        if token in self._known or not token.isalpha() or len(token) < 3:
            return None
        if stem(token) in self._answer_stems:
            return None  # a word only an answer uses ("canopyos"), as the answer says it
        if token in frequencies():
            return None  # a word English knows is meant as typed ("founded", "maker")
        found = self._kb_candidate(token)
        if found is not None and found[1] > 1 and len(token) >= self._min_english:
            closer = self._english_candidate(token, found[1] - 1)
            if closer is not None:
                return closer  # one edit from English beats two from the knowledge base
        if found is not None:
            word, distance = found
            # another form of the word ("chatbots" for "chatbot") is that word, fully
            trust = 1.0 if stem(word) == stem(token) else self._share(token, word, distance)
            return Correction(token, (word,), KB, distance, trust)
        if len(token) < self._min_english:
            return None
        # two edits from English only for a word longer than the knowledge base needs: a
        # name of seven letters is two edits from too many words ("tencent", "tenant")
        budget = 1 if len(token) <= self._long else self._max_distance
        return self._english_candidate(token, budget)

    def _kb_candidate(self, token: str) -> tuple[str, int] | None:
        hits = process.extract(token, self._targets, scorer=OSA.distance,
                               score_cutoff=self._budget(token), limit=None)
        if len(token) <= self._short:
            hits = [h for h in hits if h[0] in FUNCTION_WORDS or h[0] in QUESTION_WORDS]
        if not hits:
            return None
        # the closest, then the most used (targets are sorted by use)
        word, distance, _ = min(hits, key=lambda hit: (hit[1], hit[2]))
        return word, int(distance)

    def _share(self, token: str, word: str, distance: int) -> float:
        """Return how likely ``word`` is what ``token`` means, against its rivals.

        The rivals are the other words as close to ``token`` (English words, and the
        knowledge base's), each counted by its English frequency (a word outside the list,
        such as a name the knowledge base uses, as the list's median word); words of the
        same stem are one reading, and so are the knowledge base's own misspellings of
        ``word``. Each word is weighed by how likely a question to this bot is to use it:
        a mixture of its share of the knowledge base's words (``kb_share``) and of
        English (the rest), so "forgee" is "forge" in a bot about Forge, not "forget".
        """
        counts = frequencies()
        floor = _median_count()
        meant = stem(word)
        rivals = {w for w, d in _english_index().near(token, distance) if d == distance}
        rivals.update(w for w, d, _ in process.extract(
            token, self._words, scorer=OSA.distance, score_cutoff=distance, limit=None)
            if d == distance)
        rivals = {w for w in rivals if stem(w) != meant and (
            w in counts or OSA.distance(w, word) > self._budget(word))}

        def weight(candidate: str) -> float:
            english = max(counts.get(candidate, 0), floor) / _total_count()
            own = self._counts.get(candidate, 0) / self._total
            return self._kb_share * own + (1.0 - self._kb_share) * english

        mine = weight(word)
        return mine / (mine + sum(weight(w) for w in rivals))

    def _english_candidate(self, token: str, budget: int) -> Correction | None:
        near = _english_index().near(token, budget)
        if not near:
            return None
        counts = frequencies()
        word, distance = min(near, key=lambda hit: (
            hit[1], stem(hit[0]) not in self._kb_stems, -counts.get(hit[0], 0), hit[0]))
        if stem(word) not in self._kb_stems:
            # no evidence for it: it must be the clear reading, not one of several words
            # as close ("lakers": layers, bakers, makers...; "tencent": tenant, tenet...)
            rivals = [w for w, d in near if d == distance]
            mine = sum(counts.get(w, 0) for w in rivals if stem(w) == stem(word))
            if mine < self._english_share * sum(counts.get(w, 0) for w in rivals):
                return None
        return Correction(token, (word,), ENGLISH, distance, 1.0)

    def read(self, tokens: Iterable[str]) -> tuple[list[str], list[float], list[Correction]]:
        """Return the corrected tokens, the trust of each, and the corrections made.

        Args:
            tokens: Normalised tokens of a message.

        Returns:
            Tokens with each correction's words in place of the typed token (shorthand may
            give several), their trust (1.0 for a token kept as typed), and the corrections.
        """
        out: list[str] = []
        trust: list[float] = []
        made: list[Correction] = []
        for token in tokens:
            correction = self.correct(token)
            if correction is None:
                out.append(token)
                trust.append(1.0)
                continue
            made.append(correction)
            out.extend(correction.meant)
            trust.extend([correction.trust] * len(correction.meant))
        return out, trust, made
