"""The matcher's evidence: answer text, unknown words by rarity, answer kinds, paraphrases."""

from pathlib import Path

import pytest

from bot.kb.loader import load_knowledge_base
from bot.nlu.english import rarity
from bot.nlu.kinds import AMOUNT, PERSON, PLACE, TIME, answer_kinds, question_kind
from bot.nlu.matcher import MatcherSettings, build_matcher

KB = """\
version: "3.1"
nlu:
- intent: fact_pets
  examples: |
    - what is the pet policy
    - pet policy
    - can i bring my pet
- intent: fact_boss
  examples: |
    - who is the boss
    - who runs the gallery
    - who leads the gallery
- intent: fact_tickets
  examples: |
    - how much is a ticket
    - ticket price
    - what does entry cost
- intent: fact_history
  examples: |
    - tell me about the history of the gallery
    - gallery history
    - the story of the gallery
responses:
  utter_fact_pets:
  - text: Only assistance dogs are allowed inside the gallery.
  utter_fact_boss:
  - text: Maria Lopez is the director of the gallery.
  utter_fact_tickets:
  - text: A ticket costs 12 euros; children go free.
  utter_fact_history:
  - text: The gallery grew out of a private collection and moved into the old mill.
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    (folder / "kb.yml").write_text(KB, encoding="utf-8")
    return build_matcher(load_knowledge_base(Path(folder)), use_cache=False)


def top(matcher, text):
    ranking = matcher.rank(text)
    return ranking[0].name, ranking[0].confidence


def test_a_word_of_the_answer_is_evidence_for_its_intent(matcher):
    name, confidence = top(matcher, "are dogs allowed")
    assert name == "fact_pets"
    # and weaker evidence than a phrasing people were seen to type
    assert confidence < top(matcher, "can i bring my pet")[1]


def test_a_common_unknown_word_costs_little_and_a_rare_one_a_lot(matcher):
    plain = top(matcher, "who runs the gallery")[1]
    common = top(matcher, "who actually runs the gallery these days")
    rare = top(matcher, "who runs the xanthoria gallery")
    assert common[0] == "fact_boss"
    assert common[1] > 0.5 * plain
    assert rare[1] < 0.6 * common[1]
    assert rarity("these", 3) < rarity("ticker", 3) < rarity("xanthoria", 3) == 1.0


def test_a_verb_form_is_as_common_as_its_base_but_a_plural_may_be_a_name():
    for form, base in (("flowed", "flow"), ("shrinking", "shrink"), ("competes", "compete"),
                       ("stopped", "stop"), ("copied", "copy")):
        assert rarity(form, 3) <= rarity(base, 3) < 1.0, form
    assert rarity("gpus", 3) == 1.0  # not listed, and no verb: a name or a term


def test_question_kind_against_what_the_answer_can_give(matcher):
    # "when" asks for a time: the history answer has no date or year
    when = top(matcher, "when was the gallery history")
    what = top(matcher, "what is the gallery history")
    assert when[0] == what[0] == "fact_history"
    assert when[1] < 0.5 * what[1]
    # "who" is answered by the answer naming a person
    assert top(matcher, "who is the boss")[1] > 0.9


def test_kinds_are_read_from_question_words_and_answer_spans():
    assert question_kind(["in", "which", "year", "was", "it", "set", "up"]) == TIME
    assert question_kind(["who", "is", "the", "cfo"]) == PERSON
    assert question_kind(["how", "much", "did", "they", "raise"]) == AMOUNT
    assert question_kind(["where", "is", "it", "based"]) == PLACE
    assert question_kind(["is", "it", "open", "on", "sundays"]) is None
    assert answer_kinds(["It opened in 2014."]) >= {TIME, AMOUNT}
    assert PERSON in answer_kinds(["Maria Lopez is the director."])
    # a name written in camel case, or one word an appositive describes, names someone
    assert PERSON in answer_kinds(["SkyTable Catering buys its herbs."])
    assert PERSON in answer_kinds(["Most of it goes to Buurtmarkt, a supermarket chain."])
    assert PLACE in answer_kinds(["It is based in Aberdeen."])
    assert answer_kinds(["It grew out of a private collection."]) == frozenset()


def test_a_paraphrase_reads_as_the_word_the_knowledge_base_uses(matcher):
    tokens, trust = matcher.understand("what is the fee")
    assert "cost" in tokens or "price" in tokens
    assert min(trust) < 1.0  # read through the lexicon: a little less sure
    assert top(matcher, "what is the fee")[0] == "fact_tickets"


def test_an_unknown_word_of_a_known_family_reads_as_the_known_word_trusted_less(matcher):
    # "historical" is English, so no typo; its family's "history" is what the examples say
    tokens, trust = matcher.understand("anything historical")
    assert tokens[-1] == "history" and 0 < trust[-1] < 1
    assert top(matcher, "anything historical")[0] == "fact_history"
    # a form the stems already match is left to them, fully trusted
    assert matcher.understand("tickets") == (["tickets"], [1.0])


def test_a_common_word_keeps_its_sense_beside_a_rarer_relative(tmp_path):
    # "public" is far more common than "publication": no reading of one as the other
    (tmp_path / "kb.yml").write_text(KB.replace("    - the story of the gallery\n",
                                                "    - the story of the gallery\n"
                                                "    - which publication covered it\n"),
                                     encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    assert "publication" not in built.understand("any public money")[0]
    assert built.understand("anything historical")[0][-1] == "history"


def test_a_type_noun_is_covered_by_an_answer_giving_one(matcher):
    # the ticket answer gives a price (12 euros) but no year
    assert matcher.covers("what price", "fact_tickets")
    assert not matcher.covers("what year", "fact_tickets")


FLEET_KB = """\
version: "3.1"
nlu:
- intent: fact_fleet
  examples: |
    - how big is the fleet
    - fleet size
- intent: fact_passengers
  examples: |
    - how many passengers do the ships carry
    - passengers carried
    - passengers carried per year
    - passengers a year
responses:
  utter_fact_fleet:
  - text: The company runs 11 routes with a fleet of 14 vessels.
  utter_fact_passengers:
  - text: Its ships carried 3.6 million passengers in 2024.
"""


def test_a_word_known_elsewhere_is_covered_by_the_answer_saying_a_synonym(tmp_path):
    # "ships" is the passengers intent's word, but the fleet answer counts "vessels",
    # its synonym in the paraphrase lexicon: the fleet answer covers it, if less
    (tmp_path / "kb.yml").write_text(FLEET_KB, encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    fleet = built.intents.index("fact_fleet")
    by_synonym = built.coverage(["ships"])[fleet]
    by_own_word = built.coverage(["vessels"])[fleet]
    assert 0 < by_synonym < by_own_word
    # and "yearly", read as the knowledge base's common "year", points nowhere else
    assert "yearly" not in built.foreign_words("yearly fleet size", "fact_fleet")


def test_an_answer_listing_other_intents_questions_is_no_evidence_of_their_words(tmp_path):
    menu = KB.replace("responses:\n", """- intent: help
  examples: |
    - what can you do
    - help
responses:
  utter_help:
  - text: "You can ask, for example:\\n- can i bring my pet\\n- ticket price"
""", 1)
    (tmp_path / "kb.yml").write_text(menu, encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    help_column = built.intents.index("help")
    assert built.coverage(["ticket", "price"])[help_column] == 0
    assert built.rank("what can you do")[0].name == "help"


def test_answer_words_raise_an_intent_in_the_ranking_not_only_in_coverage(tmp_path):
    # no example of fact_history says "mill"; its answer does: the answer's words add to
    # its score before the softmax, so it ranks first and with more confidence than
    # without that evidence
    (tmp_path / "kb.yml").write_text(KB, encoding="utf-8")
    kb = load_knowledge_base(tmp_path)
    with_answers = build_matcher(kb, use_cache=False)
    without = build_matcher(kb, use_cache=False, settings=MatcherSettings(
        answer_score_weight=0.0))
    question = "when did they move into the mill"
    assert with_answers.rank(question)[0].name == "fact_history"
    history = with_answers.intents.index("fact_history")
    boosted, _ = with_answers.scores(["move", "mill"])
    plain, _ = without.scores(["move", "mill"])
    assert boosted[history] > plain[history]
    # an adverb says when, not what about: no evidence from an answer's "before"
    from bot.nlu.english import adverb_only

    assert adverb_only("before") and adverb_only("since") and not adverb_only("mill")
    (tmp_path / "kb.yml").write_text(KB.replace("old mill.", "old mill before 1990."),
                                     encoding="utf-8")
    dated = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    column = dated.intents.index("fact_history")
    assert dated._answer_evidence(["before"], None)[column] == 0
    # a message mostly of words the knowledge base never saw gains little from one
    # word an answer happens to use
    evidence = with_answers._answer_evidence
    assert evidence(["boiling", "point", "mill"], None)[history] < evidence(
        ["mill"], None)[history] / 2


def test_an_answer_in_the_bots_own_voice_is_no_evidence(tmp_path):
    # "My answers are based on ...": the source answer speaks of the bot; "where are
    # they based" asks where the subject is
    source = KB.replace("responses:\n", """- intent: source
  examples: |
    - what is your source
    - where does this information come from
responses:
  utter_source:
  - text: "My answers are based on reporting by the Harbour Gazette."
""", 1)
    (tmp_path / "kb.yml").write_text(source, encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    assert built.covered_share("where are they based", "source") == 0.0
    assert built.rank("what is your source")[0].name == "source"


def test_a_name_only_another_answer_says_points_away(tmp_path):
    # no example says "zwolle"; the answer on the second gallery does: a question about
    # ticket prices in Zwolle is not about the tickets answer
    branch = KB.replace("responses:\n", """- intent: fact_branch
  examples: |
    - is there a second gallery
    - are they opening another gallery
responses:
  utter_fact_branch:
  - text: A second gallery is planned in Zwolle for 2027.
""", 1)
    (tmp_path / "kb.yml").write_text(branch, encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    assert "zwolle" in built.foreign_words("how much is a ticket in zwolle", "fact_tickets")
    assert "zwolle" not in built.foreign_words("is there a gallery in zwolle", "fact_branch")


def test_a_count_of_any_noun_for_people_is_a_count_of_people(tmp_path):
    board = KB.replace("responses:\n", """- intent: fact_board
  examples: |
    - who sits on the board
responses:
  utter_fact_board:
  - text: The gallery is run by a board of seven members.
""", 1)
    (tmp_path / "kb.yml").write_text(board, encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    assert built.gives_kind("how many people sit on the board", "fact_board")
    assert not built.gives_kind("how many people sit on the board", "fact_history")
    assert built.gives_kind("how many members does the board have", "fact_board")


def test_before_someone_sets_them_aside_besides_only_where_they_are_the_topic(tmp_path):
    owners = """\
version: "3.1"
nlu:
- intent: fact_owners
  examples: |
    - who owns the company
    - who are the shareholders
- intent: fact_founders
  examples: |
    - who founded the company
    - who are the founders
    - founders
    - when did the founders start it
responses:
  utter_fact_owners:
  - text: The founders own 70 percent; Tejo Partners bought the rest in 2021.
  utter_fact_founders:
  - text: Ana Costa and Rui Lima founded it in 2009.
"""
    (tmp_path / "kb.yml").write_text(owners, encoding="utf-8")
    built = build_matcher(load_knowledge_base(tmp_path), use_cache=False)
    # an answer naming the founders among other owners answers "besides the founders"
    assert built.unanswered("who owns it besides the founders", "fact_owners") == []
    assert built.unanswered("who founded it besides the founders", "fact_founders") == [
        "founders"]
    # "before tejo" asks about someone else, against any answer naming Tejo
    assert built.unanswered("who owned it before tejo", "fact_owners") == ["tejo"]
