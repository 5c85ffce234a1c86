"""Answers about Mistral AI's investors, from the facts file (no rasa_sdk here).

"Did X invest?" is answered from what the message says, in this order: the ``investor``
entities found by the NLU; else the subject of the question ("did *google* invest...",
"is *apple* an investor...") matched against the investors in the facts; a pronoun ("did
they invest?") refers to the ``investor`` slot. A listed investor gets a yes with what the
source says; any other name gets a clear "the source does not list X", never a guess; with
no name at all, the bot asks which one. A name within a typo or two of a listed one
(``nvdia``, ``cicso``, ``microsfot``) is that investor: it is confirmed under its right
name, never answered with "not listed".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .facts import Facts, Investor
from .spelling import edit_distance, fold
from .text import format_usd, join_names, number_word

INVESTOR_ENTITY = "investor"
INVESTOR_SLOT = "investor"
LIST_PAYLOAD = "/ask_investors_list"
LIST_BUTTON_TITLE = "Who invested?"
# Typos forgiven in a name, by the length of the listed name: none in "hp", one in "ibm"
# or "cisco", two from six letters on ("nvidia"). Short names get one only, else "arm"
# would be taken for "asml".
TYPO_BUDGET = ((6, 2), (3, 1))
MAX_SUBJECT_WORDS = 5
MAX_NAME_CHARS = 80

_GROUP_MEMBER = {
    "venture": "a venture capital firm",
    "strategic": "a technology company investing strategically",
    "corporate_venture": "a corporate venture arm",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PRONOUNS = _words("it they them he she this that these those its their")
_VAGUE = frozenset({
    "anyone", "anybody", "someone", "somebody", "who", "whom", "which", "what", "whoever",
    "any company", "any companies", "companies", "company", "the company", "people",
    "investors", "investor", "any investor", "an investor", "firm", "firms", "big tech",
    "everyone", "everybody", "mistral", "mistral ai",
})
_VERBS = (
    r"invest|invests|invested|investing|back|backs|backed|backing|fund|funds|funded|"
    r"funding|finance|finances|financed|financing|put|puts|putting|participate|"
    r"participated|bet|bets|betting|own|owns|hold|holds|support|supports|supported|"
    r"sponsor|sponsored|chip|chipped|pour|poured"
)
_QUALIFIERS = (
    r"key|main|major|big|bigger|biggest|large|larger|largest|early|earliest|first|new|"
    r"strategic|financial|corporate|venture|mistral|ai|its|their|official|named|listed|"
    r"known|notable|important|top|leading|lead|current|american|us|french|european"
)
_ROLE = r"investors?|backers?|shareholders?|funders?|financiers?|stakeholders?|supporters?"
_SUBJECT_PATTERNS = tuple(re.compile(p) for p in (
    # did google invest / has samsung ever backed / does ibm fund
    rf"\b(?:did|does|do|has|have|had|is|was|were|are|will|would)\s+(?P<x>.+?)\s+"
    rf"(?:ever\s+|also\s+|actually\s+|really\s+|already\s+|even\s+)?(?:{_VERBS})\b",
    # is apple an investor / was cisco one of the backers / are ibm and sap investors
    rf"\b(?:is|was|are|were)\s+(?P<x>.+?)\s+(?:(?:also|really|actually)\s+)?"
    rf"(?:an?\s+|one\s+of\s+|among\s+|on\s+the\s+list\s+of\s+|part\s+of\s+|listed\s+as\s+"
    rf"(?:an?\s+)?|listed\s+among\s+)?(?:the\s+)?(?:(?:{_QUALIFIERS})\s+){{0,3}}(?:{_ROLE})\b",
    # money from google / investment from the french state
    r"\b(?:investment|investments|money|funding|funds|cash|capital|backing|stake)\s+"
    r"(?:from|by)\s+(?P<x>.+)$",
    # google invested in mistral
    rf"^(?P<x>.+?)\s+(?:{_VERBS})\s+(?:in|into|on)\b",
    # is google in the list / what about google / and nvidia
    r"^(?:what|how)\s+about\s+(?P<x>.+)$",
    r"^and\s+(?P<x>.+)$",
))
_NOISE_WORDS = _words("mistral ai the a an in into on to money any also ever please")
# "invested in openai", "backers of openai", "openai's investors": a question about another
# company's investors, which the source says nothing about.
_TARGET = re.compile(
    rf"\b(?:{_VERBS}|{_ROLE}|stake|stakes|shares|investment|investments)\s+"
    r"(?:in|into|of|behind)\s+(?:the\s+|a\s+)?(?P<t>[\w&.+-]+(?:\s+[\w&.+-]+)?)"
)
_POSSESSIVE_TARGET = re.compile(
    r"(?P<t>[\w&.+-]+)'s\s+(?:main\s+|key\s+|major\s+|biggest\s+)?"
    r"(?:investors|backers|shareholders|funders)\b"
)
_SELF_WORDS = _words(
    """mistral mistralai it its them they their this that company startup firm business
    french european ai round rounds funding series research anything anyone what which"""
)


@dataclass(frozen=True)
class Verdict:
    """One name asked about, and the investor it is (None: not listed)."""

    asked: str
    investor: Investor | None


def normalize_question(text: str) -> str:
    """Fold, drop possessives and punctuation, squeeze spaces."""
    folded = fold(text).replace("\u2019", "'")
    folded = re.sub(r"'s\b", "", folded)
    folded = re.sub(r"[^\w&.+-]+", " ", folded)
    folded = re.sub(r"(?<!\w)[.+-]|[.+-](?!\w)", " ", folded)
    return " ".join(folded.split())


def extract_subjects(text: str) -> list[str] | None:
    """Return the names asked about ("google", "ibm and sap" -> two), or None.

    Args:
        text: The user's message.

    Returns:
        Cleaned names in the order written; ``[]`` when the subject was only noise
        ("did mistral raise money from investors"); None when no pattern applied.
    """
    question = normalize_question(text)
    for pattern in _SUBJECT_PATTERNS:
        match = pattern.search(question)
        if match:
            return _split_subject(match.group("x"))
    return None


def _split_subject(raw: str) -> list[str]:
    names = []
    for part in re.split(r"\s*(?:,|\band\b|\bor\b|\bnor\b|&|\bas well as\b)\s*", raw):
        words = [w for w in part.split() if w not in _NOISE_WORDS]
        while words and words[-1] in {"in", "into", "to", "s", "too", "as", "well"}:
            words.pop()
        if words:
            names.append(" ".join(words))
    return names


def typo_budget(name: str) -> int:
    """Return how many edits away from ``name`` a spelling still means ``name``."""
    return next((edits for length, edits in TYPO_BUDGET if len(name) >= length), 0)


def match_investor(name: str, facts: Facts) -> Investor | None:
    """Return the listed investor called ``name`` (name, short name or alias; typos ok)."""
    wanted = normalize_question(name)
    if not wanted:
        return None
    best: tuple[int, Investor] | None = None
    for investor in facts.investors:
        for candidate in (investor.name, investor.short, *investor.aliases):
            if not candidate:
                continue
            known = normalize_question(candidate)
            if known == wanted:
                return investor
            budget = typo_budget(known)
            edits = edit_distance(wanted, known, budget)
            if edits <= budget and (best is None or edits < best[0]):
                best = (edits, investor)
    return best[1] if best else None


def _by_value(value: object, facts: Facts) -> Investor | None:
    return match_investor(str(value), facts) if value else None


def resolve(
    text: str, entities: Iterable[Mapping[str, object]], slots: Mapping[str, object],
    facts: Facts,
) -> list[Verdict] | None:
    """Work out which names the message asks about.

    Args:
        text: The user's message.
        entities: Entities of the message in Rasa's shape.
        slots: Current slot values (``investor`` is used for "did they invest?").
        facts: The facts.

    Returns:
        Verdicts in order; None when the message names nobody (ask which).
    """
    verdicts: list[Verdict] = []
    covered: set[str] = set()
    for entity in entities:
        if entity.get("entity") != INVESTOR_ENTITY:
            continue
        investor = _by_value(entity.get("value"), facts)
        surface = _surface(text, entity)
        covered.add(normalize_question(surface))
        if investor is not None and all(v.investor != investor for v in verdicts):
            verdicts.append(Verdict(surface or investor.name, investor))
            covered.add(normalize_question(investor.name))
        elif investor is None and surface and _is_payload(text):
            # ``/ask_invested{"investor": "Google"}``: a name given, but not a listed one
            verdicts.append(Verdict(surface, None))
    for name in extract_subjects(text) or []:
        if any(c and re.search(rf"\b{re.escape(c)}\b", name) for c in covered):
            continue
        if name in _PRONOUNS:
            investor = _by_value(slots.get(INVESTOR_SLOT), facts)
            if investor is not None and all(v.investor != investor for v in verdicts):
                verdicts.append(Verdict(investor.name, investor))
            continue
        if name in _VAGUE or len(name.split()) > MAX_SUBJECT_WORDS:
            continue
        investor = match_investor(name, facts)
        if investor is not None and any(v.investor == investor for v in verdicts):
            continue
        verdicts.append(Verdict(as_written(text, name), investor))
    return verdicts or None


def _is_payload(text: str) -> bool:
    """Return whether ``text`` is a button payload (``/intent{...}``), not a sentence."""
    return text.lstrip().startswith("/")


def _surface(text: str, entity: Mapping[str, object]) -> str:
    """Return the entity as the user wrote it (its value when it came in a payload)."""
    start, end = entity.get("start"), entity.get("end")
    if (not _is_payload(text) and isinstance(start, int) and isinstance(end, int)
            and 0 <= start < end <= len(text)):
        return text[start:end]
    return " ".join(str(entity.get("value") or "").split())[:MAX_NAME_CHARS]


def other_company(text: str) -> str | None:
    """Return the company whose investors are asked about, when it is not Mistral.

    ``"who invested in openai"`` -> ``"openai"``; ``"did ibm invest in mistral"`` -> None.
    """
    folded = fold(text).replace("\u2019", "'")
    match = _POSSESSIVE_TARGET.search(folded) or _TARGET.search(normalize_question(text))
    if match is None:
        return None
    words = match.group("t").split()
    if not words or words[0] in _SELF_WORDS or words[0] in _NOISE_WORDS:
        return None
    if edit_distance(words[0], "mistral", 2) <= 2:  # "mistal", "mystral": still Mistral
        return None
    name = words[0] if len(words) == 1 or words[1] in _NOISE_WORDS else " ".join(words)
    return as_written(text, name)


def other_company_text(name: str, facts: Facts) -> str:
    """Return the reply to a question about another company's investors."""
    return (
        f"I only know about Mistral AI's investors, from {facts.source.name}'s reporting; "
        f"it says nothing about who invested in {_display_asked(name)}."
    )


def as_written(text: str, name: str) -> str:
    """Return ``name`` (found folded) with the case the user typed it in ``text``."""
    pattern = r"\s+".join(re.escape(word) for word in name.split())
    match = re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE) if pattern else None
    return match.group() if match else name


def _display_asked(name: str) -> str:
    return name[:1].upper() + name[1:] if name.islower() else name


def investor_list_text(facts: Facts) -> str:
    """Return the investors as a sentence: ``A, B and C``."""
    return join_names([i.display for i in facts.investors])


def funding_sentence(facts: Facts) -> str:
    """Return the total raised, e.g. "about $4 billion in total (venture rounds and ...)"."""
    about = "about " if facts.funding.approximate else ""
    kinds = f" ({join_names(list(facts.funding.kinds))})" if facts.funding.kinds else ""
    return f"{about}{format_usd(facts.funding.total_usd)} in total{kinds}"


def verdict_text(verdict: Verdict, facts: Facts) -> str:
    """Return the sentence answering one name."""
    source = facts.source.name
    if verdict.investor is None:
        asked = _display_asked(verdict.asked)
        return (
            f"{source}'s article does not list {asked} among Mistral AI's investors, so I "
            f"can't tell you that {asked} invested. The investors it names are "
            f"{investor_list_text(facts)}."
        )
    investor = verdict.investor
    member = _GROUP_MEMBER.get(investor.group, facts.group(investor.group).title.lower())
    return (
        f"Yes. {source} names {investor.display}, {member}, among Mistral AI's key "
        f"investors. The article does not say how much each investor put in; overall "
        f"Mistral has raised {funding_sentence(facts)}."
    )


def ask_which_text(facts: Facts) -> str:
    """Return the question asked when the message names no investor."""
    example = facts.investors[-2].short or facts.investors[-2].name
    return (
        f"Which company do you mean? Ask me, for example, \"did {example} invest in "
        f"Mistral?\", or see who invested."
    )


def investors_grouped_text(facts: Facts) -> str:
    """Return the investors grouped by kind, with the total raised."""
    lines = [
        f"{facts.source.name} names {number_word(len(facts.investors))} key investors in "
        f"Mistral AI, which has raised {funding_sentence(facts)}:"
    ]
    for group in facts.groups:
        members = [i.display for i in facts.investors if i.group == group.key]
        if members:
            lines.append(f"- {group.title}: {join_names(members)}")
    return "\n".join(lines)
