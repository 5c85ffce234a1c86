"""The questions people ask about the common topics of an organisation, whatever the wording.

An article says "revenue reached $41 million"; readers ask "how much money do they make" or
"what are their sales". Those questions belong to the topic, not to the sentence: each
topic here has the words that show an entry is about it and the questions readers ask
about it, written around the subject's short name. Each topic goes to the one entry that
speaks of it most (its key or title names the topic or uses its words, else its answer uses
them most), so one question is never spread over several intents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.compiler import text as tx


@dataclass(frozen=True)
class Topic:
    """A topic: its name, the words showing an entry is about it, and readers' questions.

    Attributes:
        name: The topic key ("revenue"); an entry keyed or titled so owns the topic.
        words: Regular expression of the words an answer about the topic uses.
        questions: Question templates with ``{s}`` for the subject's short name.
        mentions: How often an answer must use the words to own the topic when its key and
            title do not name it (one passing "investors" is no answer about funding).
        fallback: Words that show the topic only when no entry uses ``words``: an
            organisation with no chief executive is run by its director.
    """

    name: str
    words: str
    questions: tuple[str, ...]
    mentions: int = 2
    fallback: str = ""


TOPICS = (
    Topic("revenue", r"revenue|sales|turnover|recurring revenue|arr", (
        "how much does {s} earn", "how much revenue does {s} have", "what does {s} earn",
        "what are {s}'s sales", "{s} sales", "annual revenue", "yearly revenue",
        "how big is {s}'s revenue", "what is {s}'s income", "what are their earnings",
    )),
    Topic("funding", r"raised|raise|funding|funded|round|series [a-e]|venture|investors?", (
        "how much funding has {s} raised", "how much funding does {s} have", "total funding",
        "how much money have they raised so far", "{s} funding", "how is {s} funded",
        "how much capital",
    )),
    Topic("valuation", r"valuation|valued|worth", (
        "what is {s} worth", "how much is {s} worth", "what is {s} valued at",
        "{s} valuation", "how much is the company worth",
    )),
    Topic("strategy", r"strategy|playbook|business model|sells mainly|customers", (
        "what is {s}'s business model", "business model", "how does {s} make money",
        "who are {s}'s customers", "who does {s} sell to", "what is their strategy",
        "what is {s}'s approach",
    )),
    Topic("partnerships", r"partnerships?|partners?|alliances?", (
        "who does {s} partner with", "who are {s}'s partners", "does {s} have partners",
        "what partnerships does {s} have", "{s} partners",
    )),
    Topic("products", r"products?|range of|line-up|lineup|models", (
        "what products does {s} have", "what does {s} offer", "{s} products",
        "what is {s}'s product range",
    )),
    Topic("visiting", r"visit|visitors?|visiting|open to the public|booking|tickets?|"
                      r"guided tours?", (
        "can i visit {s}", "can i visit", "is it open to the public", "when can i visit",
        "when is it open", "opening hours", "do i need to book", "is it free to visit",
    )),
    Topic("founding", r"founded|co-founded|set (?:it |them )?up|established", (
        "when was {s} founded", "who founded {s}", "who started {s}", "when did {s} start",
        "who set up {s}", "founders", "who are the founders", "who founded it",
        "how did {s} start",
    ), mentions=1),
    Topic("headcount", r"employs|employees|staff of|workforce|headcount|people work", (
        "how many employees does {s} have", "how many people work at {s}", "how many staff",
        "headcount", "how big is the team",
        "number of employees",
    ), mentions=1),
    Topic("leadership", r"chief executive|ceo|managing director|general manager", (
        "who runs {s}", "who is the ceo of {s}", "who is in charge", "who is the boss",
        "who leads {s}", "who manages {s}", "who is the head of {s}",
    ), mentions=1, fallback=r"(?:its|the|executive) director|director general"),
    Topic("chair", r"chairs|chaired|chairman|chairwoman|chairperson|chair of the board", (
        "who is the chair of {s}", "who chairs {s}", "who is the chairman", "board chair",
        "who heads the board", "chair of the board",
    ), mentions=1),
    Topic("plans", r"plans?|planned|planning|wants to|aims? to|intends? to|hopes? to|"
                   r"expects? to|ambitions?|by 20\d\d", (
        "what are {s}'s plans", "what is next for {s}", "future plans", "what is {s} planning",
        "what are their plans for the future", "what are their goals",
        "where is {s} heading",
    ), mentions=2),
    Topic("ownership", r"owns|owned by|own the|stake|shareholders?|equity|stakeholders?", (
        "who owns {s}", "who are the owners", "who has a stake in {s}", "ownership",
        "who are the shareholders", "is {s} independent",
    ), mentions=1),
    Topic("weekend", r"saturdays?|sundays?|weekends?", (
        "is it open at the weekend", "can i visit at the weekend", "what is on at weekends",
    ), mentions=1),
)


def topic_questions(entries: list, short: str, nouns: tuple[str, ...] = ()) -> dict[
        int, list[str]]:
    """Return, by entry index, the topic questions each entry owns.

    Args:
        entries: The document's entries (``key``, ``title`` and ``answer`` are read).
        short: The subject's short name ("mistral"); no topic questions without it.
        nouns: The nouns the article uses for the subject ("studio"): the first is asked
            with too ("how much money does the studio make").

    An FAQ whose question names something else ("Who owns Corran Bank?") owns no topic of
    the subject's.
    """
    if not short:
        return {}
    owned: dict[int, list[str]] = {}
    for topic in TOPICS:
        best = _owner(entries, short, topic.words, topic)
        if best is None and topic.fallback:
            best = _owner(entries, short, topic.fallback, topic)
        if best is not None:
            names = [short, *(f"the {noun}" for noun in nouns[:1])]
            owned.setdefault(best, []).extend(  # the first two also with "the studio"
                q.format(s=name) for rank, q in enumerate(topic.questions) for name in (
                    names if rank < 2 and "{s} " in q else names[:1]))
    return owned


def _owner(entries: list, short: str, words: str, topic: Topic) -> int | None:
    """Return the index of the entry that speaks of ``words`` most, or None."""
    pattern = re.compile(rf"\b(?:{words})\b", re.IGNORECASE)
    best, best_score = None, 0
    for index, entry in enumerate(entries):
        if entry.kind == "faq" and any(short not in tx.words(name)
                                       for name in tx.capitalised_phrases(entry.title)):
            continue  # "Who owns Corran Bank?" is about Corran Bank, not the subject
        heading = f"{entry.key.replace('_', ' ')} {entry.title}"
        named = topic.name in tx.words(heading) or bool(pattern.search(heading))
        mentions = len(pattern.findall(entry.answer))
        score = 100 * named + (mentions if mentions >= topic.mentions else 0)
        if score > best_score:
            best, best_score = index, score
    return best
