"""Type nouns ("which city") and comparison names ("in the manner of X") in the matcher."""

from pathlib import Path

import pytest

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.loader import load_knowledge_base
from bot.nlu.kinds import asked_noun, gives_noun
from bot.nlu.matcher import build_matcher
from bot.nlu.subjects import comparison_names, question_subject

KB = """\
version: "3.1"
nlu:
- intent: fact_home
  examples: |
    - where is the bakery based
    - where is the bakery
    - where are they located
    - which city is the bakery in
- intent: fact_style
  examples: |
    - how does the bakery work
    - what is their business model
    - what does the bakery do
    - what is the bakery like
    - tell me about sourdough hall
    - what is sourdough hall
- intent: fact_opened
  examples: |
    - when did the bakery open
    - what year did it open
    - when was it founded
    - who opened the bakery
responses:
  utter_fact_home:
  - text: The bakery is based in Norway.
  utter_fact_style:
  - text: The bakery bakes everything overnight, in the manner of Sourdough Hall, and
      sells only in the morning.
  utter_fact_opened:
  - text: The bakery opened in 2011.
"""

NLU = NluConfig()


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    (folder / "kb.yml").write_text(KB, encoding="utf-8")
    return build_matcher(load_knowledge_base(Path(folder)), use_cache=False)


def test_the_type_noun_of_which_and_what_questions():
    assert asked_noun(["which", "city", "is", "it", "in"]) == "city"
    assert asked_noun(["in", "what", "year", "did", "it", "open"]) == "year"
    assert asked_noun(["what", "is", "the", "city", "like"]) is None
    assert asked_noun(["where", "is", "it"]) is None


def test_an_answer_gives_a_type_only_with_a_span_of_it():
    assert gives_noun("city", ["It is based in Paris."])
    assert not gives_noun("city", ["It is based in France."])
    assert gives_noun("country", ["It is based in France."])
    assert gives_noun("year", ["It opened in 2011."])
    assert not gives_noun("year", ["Sales doubled in a year."])
    assert gives_noun("percentage", ["They own 12 % of it."])


def test_which_city_is_not_answered_by_a_country(matcher):
    where = matcher.rank("where is the bakery based")
    city = matcher.rank("which city is the bakery based in")
    assert where[0].name == city[0].name == "fact_home"
    assert decide(where, NLU).kind == ANSWER
    # its own example asks "which city", but the answer only names a country
    assert city[0].confidence < 0.5 * where[0].confidence
    assert decide(city, NLU).kind != ANSWER
    country = matcher.rank("which country is the bakery based in")
    assert country[0].name == "fact_home"
    assert country[0].confidence > 2 * city[0].confidence


def test_names_used_only_to_compare():
    texts = ["It bakes overnight, in the manner of Sourdough Hall, and cheaper than "
             "Crumb Co; shops such as Crumb Co sell bread too."]
    assert comparison_names(texts) == {"sourdough", "hall"}
    assert comparison_names(["It belongs to Sourdough Hall, in the manner of Sourdough Hall."]) \
        == frozenset()


def test_the_subject_of_a_question():
    assert question_subject(["what", "does", "acme", "do"]) == "acme"
    assert question_subject(["is", "acme", "a", "bank"]) == "acme"
    assert question_subject(["what", "is", "the", "acme", "comparison"]) is None
    assert question_subject(["explain", "the", "acme", "thing"]) is None


def test_a_question_about_a_compared_name_is_a_near_miss(matcher):
    about = matcher.rank("what does sourdough do as a company")
    mention = matcher.rank("what does the bakery do like sourdough hall")
    assert about[0].name == mention[0].name == "fact_style"
    assert about[0].confidence < 0.5 * mention[0].confidence
    assert decide(about, NLU).kind != ANSWER
    assert "sourdough" in matcher.foreign_words("what does sourdough do", "fact_style")
    assert "sourdough" not in matcher.foreign_words("the sourdough comparison", "fact_style")


def test_an_unknown_type_noun_is_covered_by_an_answer_giving_that_type(matcher, tmp_path):
    # no example says "nationality"; the answer naming a country covers it
    (tmp_path / "kb.yml").write_text(KB.replace("based in Norway", "based up north"),
                                     encoding="utf-8")
    no_country = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    question = "what nationality is the bakery"

    def home_coverage(m):
        tokens, trust = m.understand(question)
        return m.coverage(tokens, trust)[m.intents.index("fact_home")]

    assert home_coverage(matcher) > 1.5 * home_coverage(no_country)
    assert "nationality" not in matcher.foreign_words(question, "fact_home")
    assert "nationality" in no_country.foreign_words(question, "fact_home")


def test_one_example_asking_more_than_the_answer_says_does_not_make_it_say_it(matcher):
    # one of four examples asks "who", but the answer names nobody
    who = matcher.rank("who opened the bakery")
    when = matcher.rank("when did the bakery open")
    assert who[0].name == when[0].name == "fact_opened"
    assert who[0].confidence < 0.5 * when[0].confidence


def test_the_subject_every_intent_shares_is_no_evidence_for_one(matcher):
    # "bakery" is in every intent's examples: "the bakery in brief" names nothing asked
    tokens, _ = matcher.understand("the bakery in brief")
    assert matcher._without_evidence(tokens).all()
    assert decide(matcher.rank("the bakery in brief"), NLU).kind != ANSWER
    tokens, _ = matcher.understand("where is the bakery")
    assert not matcher._without_evidence(tokens)[matcher.intents.index("fact_home")]


def test_half_an_answer_to_two_questions_is_not_confident(matcher):
    one = matcher.rank("where is the bakery based")
    two = matcher.rank("where is the bakery based and when did it open")
    same = matcher.rank("where is the bakery based and where is it located")
    assert one[0].name == "fact_home" and decide(one, NLU).kind == ANSWER
    # the second question is another intent's: answering the first alone would mislead
    assert decide(two, NLU).kind != ANSWER
    assert decide(same, NLU).kind == ANSWER
