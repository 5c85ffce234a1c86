"""Find entities from the knowledge base's lookup tables and synonyms, tolerating typos.

Every element of a Rasa lookup table is a surface form of the entity named by the table;
so is every example of a synonym whose value is such an element (``a16z`` for
``Andreessen Horowitz``). A message is cut into word tokens and each run of tokens is
compared with the surface forms that have as many words:

- an exact match (case and accents ignored) is always taken, with confidence 1;
- a near match (rapidfuzz ``ratio`` at least ``min_score``) is taken only when the run is
  long enough (``min_fuzzy_chars``) and is not made of common English words, so that
  ``nvdia`` finds Nvidia while ``disco`` or ``the`` find nothing.

Overlapping candidates are resolved best first (exact, then longer, then higher score).
The value reported is canonical: the synonym's value, else the lookup element as written.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.kb.model import KnowledgeBase
from bot.nlu.normalize import fold
from bot.nlu.parse import Entity

logger = logging.getLogger(__name__)

EXTRACTOR_NAME = "FuzzyLookupExtractor"
_WORD = re.compile(r"[^\W_]+")

# Words never taken as a typo of an entity: frequent English words and the words of
# questions people ask a bot. Exact matches of a lookup element are not affected.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMMON_WORDS = _words(
    """
    a about above after again against all also am an and any anyone anything are around
    as ask at back be because been before being below between both but by can cannot
    company could did do does doing done down during each even ever every few first for
    from fund funded funding further get gets give go going good got grow growth had has
    have having he her here hers him his how i if in into invest invested investing
    investment investor investors is it its itself just know last like list made make
    many may me media might money more most much must my name need new next no not now
    of off often on once one only or other our out over own people please put raise
    raised really revenue said same say see she should since so some someone something
    still such tell than thank thanks that the their them then there these they thing
    think this those through to today too under until up us very want was way we well
    were what when where which while who whom whose why will with would year years yes
    you your about again always another because became become big billion million money
    number part place point right show small start state still system take tech
    technology than thing through time under use used using want world
    """
)


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
        min_score: Minimum rapidfuzz ``ratio`` (0-100) for a near match.
        min_fuzzy_chars: Runs shorter than this (letters, without spaces) must match
            exactly.
    """

    def __init__(
        self, kb: KnowledgeBase, min_score: float = 85.0, min_fuzzy_chars: int = 5
    ) -> None:
        self._min_score = min_score
        self._min_fuzzy_chars = min_fuzzy_chars
        self._forms = self._collect_forms(kb)
        self._exact = {f.words: f for f in self._forms}
        self._by_length: dict[int, list[_Form]] = {}
        for form in self._forms:
            self._by_length.setdefault(len(form.words), []).append(form)
        self._max_words = max(self._by_length, default=0)

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

    def _match(self, words: tuple[str, ...]) -> tuple[_Form, float] | None:
        exact = self._exact.get(words)
        if exact is not None:
            return exact, 100.0
        if all(w in COMMON_WORDS or w.isdigit() for w in words):
            return None
        if sum(len(w) for w in words) < self._min_fuzzy_chars:
            return None
        joined = " ".join(words)
        best: tuple[_Form, float] | None = None
        for form in self._by_length.get(len(words), ()):
            score = fuzz.ratio(joined, form.text, score_cutoff=self._min_score)
            if score and (best is None or score > best[1]):
                best = (form, score)
        return best


def build_entity_extractor(kb: KnowledgeBase) -> FuzzyLookupExtractor | None:
    """Return an extractor for ``kb``'s lookup tables, or None when it has none."""
    extractor = FuzzyLookupExtractor(kb)
    return extractor if extractor.entity_names else None
