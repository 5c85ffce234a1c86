"""Find entities from the knowledge base's lookup tables and synonyms, tolerating typos.

Every element of a Rasa lookup table is a surface form of the entity named by the table;
so is every example of a synonym whose value is such an element (``a16z`` for
``Andreessen Horowitz``). A message is cut into word tokens and each run of tokens is
compared with the surface forms that have as many words:

- an exact match (case and accents ignored) is always taken, with confidence 1;
- a near match is taken word by word, with the edit budget the matcher's typo correction
  uses (OSA distance, so a swap of two letters is one edit): a word of ``min_fuzzy_chars``
  letters or more may be one edit away from the form's word, a word of
  ``long_word_chars`` letters or more two edits ("nvdiia" is Nvidia, "andresen horowits"
  is Andreessen Horowitz). A word that is common English (:mod:`bot.nlu.english`'s
  frequency list, or a function word) must match exactly, so ``disco`` is not Cisco and
  ``a generic catalog`` is not General Catalyst; a word with digits must match exactly.

Overlapping candidates are resolved best first (exact, then longer, then higher score).
The value reported is canonical: the synonym's value, else the lookup element as written.
The confidence of a near match is the OSA similarity of the run to the form (0..1).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.kb.model import KnowledgeBase
from bot.nlu.english import frequencies
from bot.nlu.lexicon import FUNCTION_WORDS, QUESTION_WORDS
from bot.nlu.normalize import fold
from bot.nlu.parse import Entity

logger = logging.getLogger(__name__)

EXTRACTOR_NAME = "FuzzyLookupExtractor"
_WORD = re.compile(r"[^\W_]+")


def is_common_word(word: str) -> bool:
    """Return True for a word never taken as a typo of an entity: common English."""
    return word in FUNCTION_WORDS or word in QUESTION_WORDS or word in frequencies()


@dataclass(frozen=True)
class _Form:
    """A surface form to look for: its folded words, the entity and the canonical value."""

    words: tuple[str, ...]
    entity: str
    value: str

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class _Token:
    folded: str
    start: int
    end: int


def tokenize(text: str) -> list[_Token]:
    """Split ``text`` into word tokens with their character offsets in ``text``."""
    tokens = []
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if folded:
            tokens.append(_Token(folded, match.start(), match.end()))
    return tokens


class FuzzyLookupExtractor:
    """Entity extractor over lookup tables and synonyms (see the module docstring).

    Args:
        kb: The knowledge base whose ``lookups`` and ``synonyms`` define the entities.
        min_fuzzy_chars: Words shorter than this must match exactly; longer ones may be
            one edit away.
        long_word_chars: Words at least this long may be two edits away.
    """

    def __init__(
        self, kb: KnowledgeBase, min_fuzzy_chars: int = 5, long_word_chars: int = 7
    ) -> None:
        self._min_fuzzy_chars = min_fuzzy_chars
        self._long_word_chars = long_word_chars
        self._forms = self._collect_forms(kb)
        self._exact = {f.words: f for f in self._forms}
        self._by_length: dict[int, list[_Form]] = {}
        for form in self._forms:
            self._by_length.setdefault(len(form.words), []).append(form)
        self._texts_by_length = {n: [f.text for f in forms]
                                 for n, forms in self._by_length.items()}
        self._max_words = max(self._by_length, default=0)
        self._match = lru_cache(maxsize=8192)(self._match_words)

    @property
    def entity_names(self) -> tuple[str, ...]:
        """Names of the entities this extractor can find, sorted."""
        return tuple(sorted({f.entity for f in self._forms}))

    @staticmethod
    def _collect_forms(kb: KnowledgeBase) -> list[_Form]:
        forms: dict[tuple[str, ...], _Form] = {}
        canonical: dict[str, tuple[str, str]] = {}  # folded element -> (entity, value)
        synonym_of = {fold(text).strip(): s.value for s in kb.synonyms for text in s.examples}
        for table in kb.lookups:
            for element in table.elements:
                words = tuple(t.folded for t in tokenize(element))
                if not words:
                    continue
                value = synonym_of.get(fold(element).strip(), element)
                canonical[" ".join(words)] = (table.name, value)
                forms.setdefault(words, _Form(words, table.name, value))
        for synonym in kb.synonyms:
            value_words = " ".join(t.folded for t in tokenize(synonym.value))
            if value_words not in canonical:
                continue  # a synonym of no lookup element: a matcher synonym, not an entity
            entity = canonical[value_words][0]
            value = canonical[value_words][1]
            for text in (synonym.value, *synonym.examples):
                words = tuple(t.folded for t in tokenize(text))
                if words:
                    forms.setdefault(words, _Form(words, entity, value))
        return list(forms.values())

    def extract(self, text: str) -> list[Entity]:
        """Return the entities found in ``text``, in order of appearance.

        Args:
            text: The message.

        Returns:
            Entities in Rasa's shape; ``start``/``end`` index ``text``.
        """
        if not self._forms or not text:
            return []
        tokens = tokenize(text)
        candidates: list[tuple[tuple[int, int, float], int, int, _Form, float]] = []
        for i in range(len(tokens)):
            for n in range(1, min(self._max_words, len(tokens) - i) + 1):
                words = tuple(t.folded for t in tokens[i:i + n])
                found = self._match(words)
                if found is None:
                    continue
                form, score = found
                rank = (1 if score >= 100.0 else 0, n, score)
                candidates.append((rank, i, i + n, form, score))
        candidates.sort(key=lambda c: c[0], reverse=True)
        taken = [False] * len(tokens)
        chosen: list[Entity] = []
        for _, first, last, form, score in candidates:
            if any(taken[first:last]):
                continue
            for k in range(first, last):
                taken[k] = True
            chosen.append(Entity(
                entity=form.entity, value=form.value, start=tokens[first].start,
                end=tokens[last - 1].end, confidence=score / 100.0,
                extractor=EXTRACTOR_NAME,
            ))
        chosen.sort(key=lambda e: e.start)
        logger.debug("entities in %r: %s", text, chosen)
        return chosen

    def _budget(self, word: str) -> int:
        """Return how many edits ``word`` may be from a form's word (0: exact only)."""
        if not word.isalpha() or len(word) < self._min_fuzzy_chars or is_common_word(word):
            return 0
        return 1 if len(word) < self._long_word_chars else 2

    def _match_words(self, words: tuple[str, ...]) -> tuple[_Form, float] | None:
        exact = self._exact.get(words)
        if exact is not None:
            return exact, 100.0
        budgets = [self._budget(w) for w in words]
        if not any(budgets):
            return None
        joined = " ".join(words)
        forms = self._by_length.get(len(words), ())
        near = process.extract(
            joined, self._texts_by_length.get(len(words), ()), scorer=OSA.distance,
            score_cutoff=sum(budgets), limit=None,
        )
        for _, distance, index in sorted(near, key=lambda hit: (hit[1], hit[2])):
            form = forms[index]
            if all(OSA.distance(w, f, score_cutoff=b) <= b
                   for w, f, b in zip(words, form.words, budgets, strict=True)):
                return form, 100.0 * (1.0 - distance / max(len(joined), len(form.text)))
        return None


def build_entity_extractor(kb: KnowledgeBase) -> FuzzyLookupExtractor | None:
    """Return an extractor for ``kb``'s lookup tables, or None when it has none."""
    extractor = FuzzyLookupExtractor(kb)
    return extractor if extractor.entity_names else None
