"""A shallow reading of a sentence: who or what it is about, its verb, and what follows.

No parser model is loaded: the main verb is the first word that ``lemminflect``'s word
lists know as a verb and that is inflected as one (or follows an auxiliary), outside the
sentence's names and figures. That is enough to ask a question with the sentence's own
verb: "The turbines are made by X" gives "who makes the turbines".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.compiler import lexicon as lx

_TOKEN = re.compile(r"[$€£]?\d[\d,.]*\d%?|[\w'’\-$€£%]+(?:\.\w+)*|[,;:()]")
_PARTICLES = frozenset(["off", "out", "up", "together", "back", "down", "away", "over", "on"])
_SUBJECT_PRONOUNS = frozenset(["it", "they", "he", "she", "we"])
_RELATIVES = frozenset(["who", "which", "whose", "whom"])
# a count before a word makes it a noun ("four banks"); "no one knows" has its verb
_NUMBER_WORDS = (frozenset(lx.NUMBER_WORDS) - {"one"}) | lx.SCALES | {"several", "many"}
_QUANTIFIERS = frozenset(["most", "all", "some", "much", "part", "half", "many", "none", "each",
                          "one", "several", "few", "any"])
_BE = frozenset(["is", "are", "was", "were", "be", "been", "being", "am"])
_MODALS = frozenset(
    ["will", "would", "can", "could", "may", "might", "shall", "should", "must", "do",
     "does", "did"])


@dataclass(frozen=True)
class Clause:
    """The parts of a sentence a question is built from (all lower case).

    Attributes:
        subject: The words before the verb ("the turbines"), introductory phrase removed.
        verb: The main verb's lemma ("make"), or "" when none was found.
        particle: A particle that belongs to the verb ("together" in "put together").
        passive: The verb is a participle after a form of "be" ("are made").
        aux: The auxiliary before the verb ("are", "has", "will"), or "".
        obj: The words after the verb up to the first preposition or comma.
        agent: The words after "by" in a passive clause ("the danish manufacturer ...").
        progressive: The verb is an -ing form after a form of "be" ("has been developing").
    """

    subject: str
    verb: str
    particle: str = ""
    passive: bool = False
    aux: str = ""
    obj: str = ""
    agent: str = ""
    progressive: bool = False

    def form(self, tag: str) -> str:
        """Return the verb inflected (``VBZ``, ``VBD``, ``VBN``, ``VB``), with its particle."""
        word = inflect(self.verb, tag) if self.verb else ""
        return f"{word} {self.particle}".strip()


@lru_cache(maxsize=4096)
def lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """Return lemminflect's lemmas of ``word`` by part of speech (empty when unknown)."""
    import lemminflect

    return lemminflect.getAllLemmas(word)


@lru_cache(maxsize=4096)
def inflect(lemma: str, tag: str) -> str:
    """Return ``lemma`` inflected for ``tag`` ("make", "VBZ" -> "makes")."""
    if tag == "VB":
        return lemma
    import lemminflect

    forms = lemminflect.getInflection(lemma, tag)
    return forms[0] if forms else lemma


def _verb_lemma(word: str) -> str | None:
    found = lemmas(word).get("VERB") or lemmas(word).get("AUX")
    return found[0] if found else None


def read_clause(sentence: str, protected: list[tuple[int, int]] = ()) -> Clause:
    """Return the clause reading of ``sentence``.

    Args:
        sentence: One (resolved) sentence.
        protected: Character ranges of names and figures, never read as verbs.
    """
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(sentence)]
    start = _after_intro(tokens)
    index = start
    aux = ""
    verb_at = None
    passive = progressive = False
    while index < len(tokens):
        word, offset = tokens[index]
        low = word.casefold()
        if any(a <= offset < b for a, b in protected) or word in ",;:()":
            if word in ";:" and verb_at is None and aux:
                break
            index = _past_relative(tokens, index) if word == "," else index + 1
            continue
        if low in lx.AUXILIARIES and index > start:
            aux = low
            nxt = index + 1
            while nxt < len(tokens) and tokens[nxt][0].casefold() in lx.ADVERBS | {"not", "been",
                                                                                   "being"}:
                nxt += 1
            skipped = {t[0].casefold() for t in tokens[index + 1:nxt]}
            if low in _MODALS and nxt < len(tokens) and _verb_lemma(tokens[nxt][0].casefold()):
                verb_at = nxt
            elif nxt < len(tokens) and _participle(tokens[nxt][0]):
                verb_at = nxt
                progressive = tokens[nxt][0].casefold().endswith("ing")
                passive = not progressive and (low in _BE or "been" in skipped)
            else:
                verb_at = index
                if "been" in skipped:
                    aux = "been"
            break
        if index > start and low not in lx.NAMING_PARTICIPLES and _finite(word, tokens, index):
            verb_at = index
            break
        index += 1
    if verb_at is None:
        return Clause(_words(tokens[start:]), "")
    verb_word = tokens[verb_at][0].casefold()
    lemma = _verb_lemma(verb_word) or verb_word
    subject_end = index if aux else verb_at
    subject = _words(_without_relatives(tokens[start:subject_end]))
    subject = re.sub(r"(?:\s(?:" + "|".join(sorted(lx.ADVERBS)) + r"))+$", "", subject)
    words = subject.split()
    if len(words) > 1 and words[-1] in _SUBJECT_PRONOUNS:  # "together with x it has ..."
        subject = words[-1]
    rest = tokens[verb_at + 1:]
    particle = ""
    if rest and rest[0][0].casefold() in _PARTICLES:
        particle = rest[0][0].casefold()
        rest = rest[1:]
    obj = []
    for word, _ in rest:
        low = word.casefold()
        if low == "of" and len(obj) == 1 and obj[0].casefold() in _QUANTIFIERS:
            obj = []  # "most of the money": the money
            continue
        if word in ",;:()" or low in lx.PREPOSITIONS or low in ("and", "while", "which", "who"):
            break
        obj.append(word)
    agent = ""
    if passive:
        words = [w for w, _ in rest]
        lowered = [w.casefold() for w in words]
        if "by" in lowered:
            after = []
            for word in words[lowered.index("by") + 1:]:
                if word in ",;:()" or word.casefold() in ("and", "while", "which", "who"):
                    break
                after.append(word)
            agent = " ".join(after).casefold()
    if verb_at == index and aux:
        lemma = "be" if aux in _BE else "have" if aux in ("has", "have", "had") else lemma
    return Clause(subject, lemma, particle, passive, aux if verb_at != index else "",
                  " ".join(obj).casefold(), agent, progressive and verb_at != index)


def _past_relative(tokens: list[tuple[str, int]], comma: int) -> int:
    """Return the index after a relative clause opening at ``comma``, else after the comma.

    "Lukas Brandt, who joined as finance chief in 2021, led the talks": the main verb is
    "led", not "joined".
    """
    if comma + 1 < len(tokens) and tokens[comma + 1][0].casefold() in _RELATIVES:
        for index in range(comma + 2, len(tokens)):
            if tokens[index][0] == ",":
                return index + 1
    return comma + 1


def _without_relatives(tokens: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Return ``tokens`` without the relative clauses set off by commas (", who ... ,")."""
    kept, index = [], 0
    while index < len(tokens):
        if tokens[index][0] == ",":
            after = _past_relative(tokens, index)
            if after != index + 1 or index + 1 >= len(tokens) or (
                    tokens[index + 1][0].casefold() not in _RELATIVES):
                kept.append(tokens[index])
            index = after
            continue
        kept.append(tokens[index])
        index += 1
    return kept


def _after_intro(tokens: list[tuple[str, int]]) -> int:
    """Skip an introductory phrase ("In 2020", "Under its scheme,")."""
    if not tokens or tokens[0][0].casefold() not in lx.PREPOSITIONS | {"together"}:
        return 0
    for i, (word, _) in enumerate(tokens[:14]):
        if word == ",":
            return i + 1
    if len(tokens) > 2 and re.fullmatch(r"(?:1[89]|20)\d\d", tokens[1][0]):
        return 2
    for i, (word, _) in enumerate(tokens[1:10], start=1):  # "For its first years Ridgeline"
        if word[:1].isupper() or word.casefold() in ("it", "they", "we", "he", "she"):
            return i
    return 0


def _participle(word: str) -> bool:
    low = word.casefold()
    if low.endswith("ing"):
        return _verb_lemma(low) is not None
    lemma = _verb_lemma(low)
    return lemma is not None and inflect(lemma, "VBN") == low


def _finite(word: str, tokens: list[tuple[str, int]], index: int) -> bool:
    """True when ``word`` reads as an inflected main verb here."""
    low = word.casefold()
    if not low.isalpha() or word[:1].isupper() or low.endswith("ing"):
        return False
    lemma = _verb_lemma(low)
    if lemma is None or lemma == low:
        return False
    previous = tokens[index - 1][0].casefold()
    if previous in lx.DETERMINERS or previous in lx.PREPOSITIONS or previous.endswith(
            ("'s", "’s")) or previous in _NUMBER_WORDS or previous[:1].isdigit():
        return False  # "the banks", "four banks": a noun
    return low in (inflect(lemma, "VBZ"), inflect(lemma, "VBD"))


def _words(tokens: list[tuple[str, int]]) -> str:
    """Join tokens in lower case, leaving out punctuation and bracketed asides ("(ARR)")."""
    kept, depth = [], 0
    for word, _ in tokens:
        depth += (word == "(") - (word == ")")
        if depth <= 0 and word not in ",;:()":
            kept.append(word)
    return " ".join(kept).casefold()
