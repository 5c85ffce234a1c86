"""Question kinds, type nouns ("which city"), counts, prices, ages and comparison names."""

from pathlib import Path

import pytest

from bot.config import NluConfig
from bot.dialog.decision import ANSWER, decide
from bot.kb.loader import load_knowledge_base
from bot.nlu.kinds import (
    AGE,
    AMOUNT,
    DURATION,
    MONEY,
    WEIGHT,
    answer_kinds,
    asked_head,
    asked_noun,
    count_noun,
    counted_words,
    excluded_words,
    gives_noun,
    question_kind,
)
from bot.nlu.matcher import build_matcher
from bot.nlu.normalize import tokenize
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
    # a town the list does not know, told by the country after it
    assert gives_noun("town", ["Frames are welded at its factory in Águeda, Portugal."])
    assert not gives_noun("town", ["Frames are welded in Portugal."])


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
    assert question_subject(["what", "models", "does", "acme", "make"]) == "acme"
    assert question_subject(["which", "rockets", "does", "the", "acme", "sell"]) == "acme"
    assert question_subject(["what", "kind", "of", "models", "does", "it", "make"]) is None


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


STUDIO = """\
version: "3.1"
nlu:
- intent: fact_hit
  examples: |
    - how well did tidepool sell
    - how many copies of tidepool were sold
    - what were the sales of tidepool
    - how many copies did it sell
    - was tidepool a success
- intent: fact_start
  examples: |
    - when was the studio started
    - who started the studio
    - what year was the studio founded
    - who founded it
- intent: fact_range
  examples: |
    - which boxes does the studio make
    - what board games are for sale
    - what do they sell
    - tell me about the small box of tidepool
- intent: fact_team
  examples: |
    - how big is the team
    - how large is the studio
    - how many developers does the studio have
responses:
  utter_fact_hit:
  - text: Tidepool sold 2.4 million copies in its first two years.
  utter_fact_start:
  - text: The studio was started in 2012 by Ines Varga and Tom Okafor.
  utter_fact_range:
  - text: The studio makes three boxes of Tidepool, a small one, a family one and a
      collector's edition.
  utter_fact_team:
  - text: The studio employs about 35 people in two offices.
"""


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio")
    (folder / "kb.yml").write_text(STUDIO, encoding="utf-8")
    return build_matcher(load_knowledge_base(Path(folder)), use_cache=False)


def test_the_noun_a_what_noun_did_question_asks_about():
    from bot.nlu.kinds import asked_object

    assert asked_object(tokenize("what profit did they make in 2024")) == "profit"
    assert asked_object(tokenize("what electric models does it sell")) == "models"
    assert asked_object(tokenize("what year did it open")) is None  # a type noun
    assert asked_object(tokenize("what kind of bikes do they make")) is None
    assert asked_object(tokenize("what did the ceo say")) is None


def test_the_kind_a_question_asks_for():
    assert question_kind(tokenize("how much does the small box cost")) == MONEY
    assert question_kind(tokenize("how much is a small box")) == MONEY
    assert question_kind(tokenize("what is the price of the family box")) == MONEY
    assert question_kind(tokenize("how much of it is sold abroad")) == AMOUNT
    assert question_kind(tokenize("how much did sales grow")) == AMOUNT
    assert question_kind(tokenize("how old is ines")) == AGE
    assert question_kind(tokenize("how long does a game take")) == DURATION
    assert question_kind(tokenize("how long ago was it started")) != DURATION
    assert question_kind(tokenize("how far offshore is the farm")) == DURATION  # a length
    assert question_kind(tokenize("how heavy is the cargo bike")) == WEIGHT
    assert question_kind(tokenize("how much does the cargo bike weigh")) == WEIGHT


def test_what_a_how_many_question_counts():
    assert count_noun(tokenize("how many players can sit at one table")) == ("players",)
    assert count_noun(tokenize("how many of their staff work from home")) == ("staff", "work")
    assert count_noun(tokenize("how many times bigger is it")) == ()
    assert count_noun(tokenize("how much is it")) == ()
    # the same question without "how many"
    assert count_noun(tokenize("what is the number of players")) == ("players",)
    assert count_noun(tokenize("count of staff in the studio")) == ("staff",)
    assert count_noun(tokenize("player count?")) == ("player",)
    assert count_noun(tokenize("count the boxes")) == ()


def test_a_count_without_how_many_is_still_a_count_the_answer_must_give(studio):
    # the answer counts copies, not players: "player count" is not in the sources
    assert studio.missing_type("tidepool player count", "fact_hit") == "player"
    assert studio.missing_type("the number of copies sold", "fact_hit") is None


def test_the_noun_a_what_is_question_asks_about():
    assert asked_head(tokenize("what is openai's revenue")) == "revenue"
    assert asked_head(tokenize("what was the valuation")) == "valuation"
    assert asked_head(tokenize("what is the studio doing next year")) is None
    assert asked_head(tokenize("what is their revenue these days")) is None
    assert asked_head(tokenize("who is the director")) is None
    # the noun may go on with what it belongs to; "who" asks about a noun only so
    assert asked_head(tokenize("what is the interest rate on the loan")) == "rate"
    assert asked_head(tokenize("who is the ceo of northfield markets")) == "ceo"
    assert asked_head(tokenize("what is the name of the director")) is None
    # only a noun that belongs to something, when asked so
    assert asked_head(tokenize("what is the top speed of the ferry"), owned_only=True) == (
        "speed")
    assert asked_head(tokenize("what was the valuation"), owned_only=True) is None
    assert asked_head(tokenize("whats mistral famous for"), owned_only=True) is None
    assert asked_head(tokenize("what is the dollar figure on the fundraising")) is None


def test_what_the_figures_of_an_answer_count():
    assert "copies" in counted_words(tokenize("Tidepool sold 2.4 million copies in 2019."))
    assert "headcount" in counted_words(tokenize("It has a headcount of 300."))
    assert "audiobooks" in counted_words(tokenize("Members borrowed 1.3 million items, "
                                                  "410,000 of them audiobooks."))
    assert "ines" not in counted_words(tokenize("It was started in 2012 by Ines Varga."))
    assert "tidepool" not in counted_words(tokenize("Tidepool sold 2.4 million copies."))


def test_what_kinds_an_answer_gives():
    assert MONEY in answer_kinds(["A small box costs €25."])
    assert MONEY in answer_kinds(["It sells for 30 dollars."])
    assert MONEY not in answer_kinds(["It sold 2.4 million copies."])
    assert AGE in answer_kinds(["Ines Varga, 41 years old, runs it."])
    assert AGE not in answer_kinds(["It was started in 2012 by Ines Varga."])
    assert DURATION in answer_kinds(["A game lasts about forty minutes."])
    assert WEIGHT in answer_kinds(["The frame weighs 2.1 kg."])
    assert WEIGHT not in answer_kinds(["It fits riders from five to ten years old."])


def test_a_count_of_something_else_does_not_answer_how_many(studio):
    copies = studio.rank("how many copies were sold")
    players = studio.rank("how many players can play tidepool")
    assert copies[0].name == "fact_hit" and decide(copies, NLU).kind == ANSWER
    assert decide(players, NLU).kind != ANSWER
    assert studio.missing_type("how many players can play tidepool", "fact_hit") == "players"


def test_a_count_of_a_word_the_lexicon_groups_with_the_noun_answers(studio):
    # the answer counts "people"; the lexicon groups staff, employees and people
    staff = studio.rank("how many employees does the studio have")
    assert staff[0].name == "fact_team"
    assert studio.counting(("employees",))[studio.intents.index("fact_team")]
    assert not studio.counting(("players",)).any()
    assert studio.missing_type("how many employees does the studio have", "fact_team") is None


def test_a_price_question_is_not_answered_without_a_sum_of_money(studio, tmp_path):
    question = "what does the small box of tidepool cost"
    ranking = studio.rank(question)
    assert ranking[0].name == "fact_range"
    assert decide(ranking, NLU).kind != ANSWER
    assert studio.missing_type(question, "fact_range") == "price"
    priced = STUDIO.replace("a small one,", "a small one for €25,")
    (tmp_path / "kb.yml").write_text(priced, encoding="utf-8")
    with_price = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    ranking = with_price.rank(question)
    assert ranking[0].name == "fact_range" and decide(ranking, NLU).kind == ANSWER


def test_an_age_is_not_answered_by_a_founding_year(studio):
    when = studio.rank("when was the studio started")
    age = studio.rank("how old is ines varga")
    assert when[0].name == "fact_start" and decide(when, NLU).kind == ANSWER
    assert decide(age, NLU).kind != ANSWER
    assert studio.missing_type("how old is ines varga", "fact_start") == "age"


def test_an_edited_answer_is_read_anew_though_the_examples_are_the_same(tmp_path):
    question = "what does the small box of tidepool cost"
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "kb.yml").write_text(STUDIO, encoding="utf-8")
    cached = build_matcher(load_knowledge_base(folder), cache_dir=tmp_path / "cache")
    assert decide(cached.rank(question), NLU).kind != ANSWER
    (folder / "kb.yml").write_text(STUDIO.replace("a small one,", "a small one for €25,"),
                                   encoding="utf-8")
    edited = build_matcher(load_knowledge_base(folder), cache_dir=tmp_path / "cache")
    assert decide(edited.rank(question), NLU).kind == ANSWER


@pytest.mark.parametrize(("text", "words"), [
    ("who founded it besides mensch", ("mensch",)),
    ("which investors apart from the big ones", ("big", "ones")),
    ("who else invested other than nvidia", ("nvidia",)),
    ("who founded it", ()),
    ("who was director before ramanathan", ("ramanathan",)),
    ("where did they roast before the new building", ()),
])
def test_excluded_words_are_what_a_question_sets_aside(text, words):
    assert excluded_words(text.split()) == words


def test_a_refusal_never_says_the_sources_lack_a_count_another_answer_gives(tmp_path):
    from bot.config import BotConfig
    from bot.dialog.engine import Engine, build_brain

    (tmp_path / "kb.yml").write_text(STUDIO, encoding="utf-8")
    engine = Engine(build_brain(load_knowledge_base(tmp_path)), BotConfig())
    turn = engine.handle("c", "how many copies does the team have")
    text = " ".join(r.text for r in turn.responses)
    assert turn.decision != "answer"
    assert "\u201ccopies\u201d" not in text  # the answer on Tidepool counts copies
    # nor a count noun as read through the lexicon ("employees" as the team's word)
    turn = engine.handle("e", "how many employees did tidepool sell")
    assert "\u201cteam\u201d" not in " ".join(r.text for r in turn.responses)
    # a count nothing in the sources gives is named
    turn = engine.handle("p", "how many players can play tidepool")
    assert "\u201cplayers\u201d" in " ".join(r.text for r in turn.responses)


def test_what_time_asks_for_a_time_of_day_which_a_year_does_not_give(matcher, tmp_path):
    # the paraphrase lexicon reads "what time" as "when"; the type noun is read as typed
    assert gives_noun("time", ["The last ferry leaves at 21:30."])
    assert gives_noun("time", ["It opens at 7 pm."])
    assert not gives_noun("time", ["It entered service in April 2025."])
    when = matcher.rank("when did the bakery open")
    hour = matcher.rank("what time does the bakery open")
    assert when[0].name == "fact_opened" and decide(when, NLU).kind == ANSWER
    assert hour[0].confidence < 0.5 * when[0].confidence
    clocked = KB.replace("The bakery opened in 2011.", "The bakery opened in 2011; it opens "
                         "at 6 am every day.")
    (tmp_path / "kb.yml").write_text(clocked, encoding="utf-8")
    with_hours = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    hour = with_hours.rank("what time does the bakery open")
    assert hour[0].name == "fact_opened" and hour[0].confidence > 0.5 * when[0].confidence
