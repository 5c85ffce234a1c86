"""The paraphrase lexicon: loading, error messages, and rewriting against a KB's words."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from bot.kb.loader import load_knowledge_base
from bot.nlu.matcher import build_matcher
from bot.nlu.normalize import stem, tokenize
from bot.nlu.paraphrase import (
    DEFAULT_PATH,
    Lexicon,
    LexiconError,
    Rewrite,
    count_phrases,
    load_lexicon,
    parse_lexicon,
)

SMALL = """\
version: 1
groups:
- [based, located, headquartered, HQ, head office]
- [CEO, boss, chief executive, in charge]
- [revenue, turnover, top line, sales]
- [founded, established, Set-Up, started]
- [start, started, begin, kick off]
- {weak: true, members: [revenue, income, earnings]}
- {weak: true, members: [ceo, head, leader]}
- [cost, price, fee]
- [cost, expense]
- [according to, based on, as per]
- [cancelled, canceled, called off]
"""


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return parse_lexicon(SMALL, "small.yml")


def knows(text: str):
    """A knowledge base's word and phrase counts (its sentences are split on '.')."""
    counts: Counter[str] = Counter()
    for sentence in text.split("."):
        tokens = tokenize(sentence)
        for n in range(1, 5):
            counts.update(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return lambda word: counts[word]


def rewrite(lexicon: Lexicon, message: str, kb_text: str) -> Rewrite:
    return lexicon.rewrite(tokenize(message), knows(kb_text))


def test_unknown_synonym_becomes_the_word_the_kb_uses(lexicon: Lexicon) -> None:
    result = rewrite(lexicon, "where is it located", "where is it based")
    assert result.tokens == ("where", "is", "it", "based")
    assert result.from_lexicon == (False, False, False, True)
    assert result.weak == (False, False, False, False)


def test_the_member_the_kb_uses_most_is_chosen(lexicon: Lexicon) -> None:
    kb = "what is the revenue. revenue last year. what are its sales"
    assert rewrite(lexicon, "what is the turnover", kb).tokens[-1] == "revenue"


def test_words_the_kb_knows_are_left_alone(lexicon: Lexicon) -> None:
    kb = "where is it based. is the office located in paris"
    result = rewrite(lexicon, "where is it located", kb)
    assert result.tokens == ("where", "is", "it", "located")
    assert not any(result.from_lexicon)


def test_words_outside_the_lexicon_and_unusable_groups_are_left_alone(
    lexicon: Lexicon,
) -> None:
    kb = "who founded the museum"
    assert rewrite(lexicon, "what is the turnover", kb).tokens == ("what", "is", "the", "turnover")
    assert rewrite(lexicon, "quantum flux", kb).tokens == ("quantum", "flux")
    assert lexicon.rewrite([], knows(kb)) == Rewrite((), (), ())


def test_a_phrase_becomes_a_word_and_a_word_a_phrase(lexicon: Lexicon) -> None:
    result = rewrite(lexicon, "what is the top line", "what is the revenue")
    assert result.tokens == ("what", "is", "the", "revenue")
    assert result.from_lexicon == (False, False, False, True)
    result = rewrite(lexicon, "who is the boss", "who is the chief executive of it")
    assert result.tokens == ("who", "is", "the", "chief", "executive")
    assert result.from_lexicon == (False, False, False, True, True)


def test_longest_phrase_first(lexicon: Lexicon) -> None:
    # "head office" is a place, not the "head" of the weak ceo group
    kb = "where is it based. who is the ceo"
    assert rewrite(lexicon, "where is the head office", kb).tokens == (
        "where", "is", "the", "based")
    assert rewrite(lexicon, "who is the head", kb).tokens == ("who", "is", "the", "ceo")


def test_phrases_with_function_words_are_matched_on_their_content(lexicon: Lexicon) -> None:
    # "in" is known, "charge" is not: the phrase is the user's, and is replaced
    assert rewrite(lexicon, "who is in charge", "who is the ceo in france").tokens == (
        "who", "is", "ceo")
    # the KB says "in charge" itself: nothing to do
    kb = "who is in charge of it"
    assert rewrite(lexicon, "who is in charge", kb).tokens == ("who", "is", "in", "charge")


def test_the_longest_phrase_decides_alone(lexicon: Lexicon) -> None:
    # no member of "based on" is known: it is kept whole, not read as the "based" of a place
    kb = "where is it located. who is in charge"
    result = rewrite(lexicon, "is it based on facts", kb)
    assert result.tokens == ("is", "it", "based", "on", "facts")
    assert not any(result.from_lexicon)
    # "in charge" is the KB's own phrase: its "charge" is not a price either
    kb = "who is in charge. what is the price"
    assert rewrite(lexicon, "who is in charge", kb).tokens == ("who", "is", "in", "charge")


def test_a_known_word_is_preferred_to_a_phrase_whose_words_are_common(
    lexicon: Lexicon,
) -> None:
    # "called" is frequent in another sense; "canceled" is the KB's word for it
    kb = "what are you called. who called me. i was called. my order was canceled"
    assert rewrite(lexicon, "my flight was cancelled", kb).tokens[-1] == "canceled"
    # with no single word known, the phrase is used
    kb = "the match was called off"
    assert rewrite(lexicon, "the match was cancelled", kb).tokens[-2:] == ("called", "off")


def test_a_phrase_is_a_replacement_only_when_the_kb_uses_it_as_a_phrase() -> None:
    lexicon = parse_lexicon("groups:\n- [near, nearby, next to, close to]\n")
    # "next" and "to" are known, apart: "what comes next", "talk to us"
    kb = "what comes next. talk to us"
    assert rewrite(lexicon, "is there a cafe nearby", kb).tokens[-1] == "nearby"
    kb = "is there a cafe next to it"
    assert rewrite(lexicon, "is there a cafe nearby", kb).tokens[-2:] == ("next", "to")
    # a lookup that knows words only never yields a phrase
    words_only = Counter(tokenize("is there a cafe next to it"))
    result = lexicon.rewrite(tokenize("a cafe nearby"), lambda w: words_only[w])
    assert result.tokens == ("a", "cafe", "nearby")


def test_count_phrases_counts_the_lexicon_phrases_of_documents(lexicon: Lexicon) -> None:
    documents = [tokenize("who is in charge of the head office"), tokenize("in charge")]
    assert count_phrases(lexicon, documents) == {"in charge": 2, "head office": 1}
    assert ("in", "charge") in lexicon.phrases and ("ceo",) not in lexicon.phrases


def test_entries_are_normalised_like_messages(lexicon: Lexicon) -> None:
    assert "set up" in lexicon and "set-up" in lexicon and "hq" in lexicon
    assert rewrite(lexicon, "when was it set-up?", "when was it founded").tokens == (
        "when", "was", "it", "founded")
    assert rewrite(lexicon, "Where's the HQ", "where is it based").tokens == (
        "where", "is", "the", "based")


def test_ties_go_to_the_member_listed_first(lexicon: Lexicon) -> None:
    # "price" and "fee" are used once each: "price" comes first in the group
    assert rewrite(lexicon, "what is the cost", "the price. the fee").tokens[-1] == "price"


def test_a_word_in_two_groups_takes_the_group_the_kb_knows_best(lexicon: Lexicon) -> None:
    # "started": founding (founded, established) or beginning (begin, kick off)
    museum = "does the tour begin soon. does it begin on time. when was it founded"
    company = "when was it founded. who established it. when does it begin"
    assert rewrite(lexicon, "when was it started", company).tokens[-1] == "founded"
    assert rewrite(lexicon, "has the tour started", museum).tokens[-1] == "begin"
    # same total: the group written first wins ("cost" -> [cost, price, fee])
    assert rewrite(lexicon, "the cost", "the price. the expense").tokens[-1] == "price"


def test_weak_groups_only_when_no_strong_group_applies(lexicon: Lexicon) -> None:
    result = rewrite(lexicon, "what is its income", "what is the revenue")
    assert result.tokens[-1] == "revenue"
    assert result.from_lexicon[-1] and result.weak[-1]
    # "head" is only in the weak group; "boss" in a strong one
    result = rewrite(lexicon, "who is the boss", "who is the ceo")
    assert result.tokens[-1] == "ceo" and not result.weak[-1]


def test_rewrite_accepts_any_sequence_and_returns_tuples(lexicon: Lexicon) -> None:
    result = lexicon.rewrite(("where", "located"), knows("based"))
    assert result == Rewrite(("where", "based"), (False, True), (False, False))


# -- loading and errors ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "where", "words"), [
    ("groups:\n- [a, b\n- [c, d]\n", ":3:", "invalid YAML"),
    ("groups:\n  - [a, b]\n - [c, d]\n", ":3:", "invalid YAML"),
    ("- [a, b]\n", ":1:1", "'groups:'"),
    ("groups: [a, b]\n", ":1:10", "a group is a list"),
    ("groups: {a: b}\n", ":1:9", "'groups' must be a list"),
    ("version: 1\n", ":1:1", "'groups' must be a list"),
    ("groups:\n- [alone]\n", ":2:3", "at least two members"),
    ("groups:\n- [a, b]\n- [c, [d, e]]\n", ":3:7", "a member must be a word"),
    ("groups:\n- [a, b]\n- [c, '']\n", ":3:7", "a member must be a word"),
    ("groups:\n- [a, '!!!']\n", ":2:7", "has no word in it"),
    ("groups:\n- [Based, based]\n", ":2:11", "appears twice"),
    ("groups:\n- {weak: maybe, members: [a, b]}\n", ":2:10", "'weak' must be true or false"),
    ("groups:\n- {weak: true, member: [a, b]}\n", ":2:16", "unknown key 'member'"),
    ("groups:\n- {weak: true}\n", ":2:3", "needs 'members'"),
    ("groups: []\nwords: []\n", ":2:1", "unknown key 'words'"),
    ("", ":1:1", "empty file"),
])
def test_malformed_lexicon_names_file_line_and_column(text: str, where: str, words: str) -> None:
    with pytest.raises(LexiconError) as caught:
        parse_lexicon(text, "lex.yml")
    message = str(caught.value)
    assert message.startswith("lex.yml" + where), message
    assert words in message


def test_load_lexicon_reads_a_file_and_reports_its_path(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text("groups:\n- [hq, headquarters]\n", encoding="utf-8")
    assert len(load_lexicon(good)) == 1
    assert load_lexicon(good) is load_lexicon(good)
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n- [hq]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.yml:2:3: .*at least two"):
        load_lexicon(bad)
    with pytest.raises(LexiconError, match=r"missing\.yml: cannot read"):
        load_lexicon(tmp_path / "missing.yml")
    binary = tmp_path / "binary.yml"
    binary.write_bytes(b"\xff\xfe\x00groups")
    with pytest.raises(LexiconError, match="binary.yml"):
        load_lexicon(binary)


# -- the shipped lexicon ---------------------------------------------------------------


def test_shipped_lexicon_loads_once_and_is_large() -> None:
    lexicon = load_lexicon()
    assert lexicon is load_lexicon(DEFAULT_PATH)
    assert len(lexicon) >= 300
    assert all(len(group.members) >= 2 for group in lexicon.groups)


@pytest.mark.parametrize(("first", "second"), [
    ("ceo", "cfo"), ("ceo", "cto"), ("ceo", "coo"), ("cto", "cfo"),
    ("revenue", "profit"), ("revenue", "funding"), ("revenue", "valuation"),
    ("funding", "valuation"), ("founded", "funded"), ("investors", "customers"),
    ("investors", "competitors"), ("customers", "competitors"), ("partners", "investors"),
    ("employees", "customers"), ("cost", "revenue"), ("lead", "ceo"), ("run", "ceo"),
    ("before", "after"), ("previous", "next"), ("increase", "decrease"),
    ("cheap", "expensive"), ("open", "closed"), ("hot", "cold"), ("buy", "sell"),
    ("debit card", "credit card"), ("flat", "apartment"), ("capital", "funding"),
])
def test_shipped_lexicon_keeps_different_things_apart(first: str, second: str) -> None:
    """Words people must not get each other's answers for are in no group together."""
    lexicon = load_lexicon()
    shared = set(lexicon.groups_of(first)) & set(lexicon.groups_of(second))
    assert not shared, f"{first!r} and {second!r} share {[g.line for g in shared]}"


def assert_last_word_read_as(lexicon: Lexicon, known, cases: dict[str, str]) -> None:
    """Each message's last word or phrase is rewritten, by the lexicon, to the word given."""
    for message, word in cases.items():
        result = lexicon.rewrite(tokenize(message), known)
        assert result.tokens[-1] == word, (message, result)
        assert result.from_lexicon[-1], (message, result)


def test_shipped_lexicon_rewrites_common_question_words() -> None:
    lexicon = load_lexicon()
    company = knows(
        "when was the company founded. where is it based. who is the ceo. "
        "how much revenue does it make. how much funding has it raised. "
        "how many employees does it have. who are its investors"
    )
    cases = {
        "when was it established": "founded",
        "where is it headquartered": "based",
        "who is the chief executive officer": "ceo",
        "what is the turnover": "revenue",
        "how much financing": "funding",
        "what is the headcount": "employees",
        "who are its backers": "investors",
    }
    assert_last_word_read_as(lexicon, company, cases)


def test_shipped_lexicon_reads_business_idioms_as_plain_words() -> None:
    """An idiom at the end of a question is read as the plain word the examples use."""
    lexicon = load_lexicon()
    company = knows("who is the ceo. how much funding has it raised. who are its investors. "
                    "what are its plans. give me a summary")
    cases = {
        "who runs the show": "ceo",
        "how big is the war chest": "funding",
        "who are the money men": "investors",
        "anything in the pipeline": "plans",
        "the company in a nutshell": "summary",
    }
    assert_last_word_read_as(lexicon, company, cases)


def test_no_member_is_repeated_in_one_group_and_phrases_are_short() -> None:
    for group in load_lexicon().groups:
        assert len(set(group.members)) == len(group.members)
        assert all(1 <= len(member) <= 6 for member in group.members), group.line


def test_no_group_is_only_inflections_of_one_word() -> None:
    """The matcher's lookup is stem-aware: "passports" already counts as "passport"."""
    for group in load_lexicon().groups:
        stems = {tuple(stem(t) for t in member) for member in group.members}
        assert len(stems) > 1, (group.line, group.members)


def test_members_of_different_groups_may_overlap_only_partially() -> None:
    """Two groups with the same members would be one group written twice."""
    groups = [frozenset(g.members) for g in load_lexicon().groups]
    for a, b in itertools.combinations(range(len(groups)), 2):
        assert groups[a] != groups[b], (load_lexicon().groups[a].line,
                                        load_lexicon().groups[b].line)


def test_a_word_only_the_answers_use_is_a_replacement_of_its_own_weight(
        lexicon: Lexicon) -> None:
    examples = knows("who runs it")
    answers = knows("the company posted revenue of 5 million")
    tokens = tokenize("what is the turnover")
    # no example says revenue: the answers' word is used, marked weak (trusted less)
    result = lexicon.rewrite(tokens, examples, answers)
    assert result.tokens[-1] == "revenue" and result.from_lexicon[-1] and result.weak[-1]
    # without the answers, nothing the knowledge base says is in the group
    assert lexicon.rewrite(tokens, examples).tokens[-1] == "turnover"
    # an example's word still wins over an answer's, at full trust
    both = lexicon.rewrite(tokens, knows("what are the sales"), answers)
    assert both.tokens[-1] == "sales" and not both.weak[-1]


def test_the_matcher_counts_the_lexicon_phrases_its_examples_and_answers_use(
        tmp_path: Path) -> None:
    """A group of phrases only ("funding rounds", "rounds of financing") reads a phrase as
    the one the knowledge base uses: the examples' first, else the answers'."""
    (tmp_path / "kb.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: rounds\n"
        "  examples: |\n"
        "    - how many funding rounds were there\n"
        "- intent: hq\n"
        "  examples: |\n"
        "    - where is the head office\n"
        "responses:\n"
        "  utter_rounds:\n"
        "  - text: There were three funding rounds.\n"
        "  utter_hq:\n"
        "  - text: The head office is in Lyon, and its opening hours are 9 to 5.\n",
        encoding="utf-8")
    matcher = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    assert matcher.understand("list the rounds of financing")[0][-2:] == ["funding", "rounds"]
    # only an answer says "opening hours": a weak replacement, trusted less
    tokens, trust = matcher.understand("what are its business hours")
    assert tokens[-2:] == ["opening", "hours"] and trust[-1] < 1.0
