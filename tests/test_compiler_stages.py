"""Tests for the compiler's stages on small inline documents, the self-test and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.compiler import questions as qs
from bot.compiler import spans as sp
from bot.compiler.clause import read_clause
from bot.compiler.document import parse_text, read_document
from bot.compiler.entries import build_entries
from bot.compiler.pipeline import CompileError, compile_seeds
from bot.compiler.questions import clean_examples
from bot.compiler.segment import find_subject, segment
from bot.kb.loader import load_knowledge_base

FOUNDING = """Harbour Kites: a small kite maker
Original reporting by Wind Weekly

Harbour Kites is a kite workshop in Galway, Ireland. It was founded in 2009 by Nora Byrne, \
Liam Walsh and Aoife Kelly in Galway.
Nora Byrne is the company's chief executive. The workshop employs 35 people.
"""


def _doc(text: str = FOUNDING):
    doc = parse_text(text, "harbour.txt")
    return doc, find_subject(doc)


def _entries_with(sentences: str):
    """The entries of FOUNDING with ``sentences`` added after its last one."""
    doc, subject = _doc(FOUNDING.replace("The workshop employs 35 people.",
                                         f"The workshop employs 35 people. {sentences}"))
    return build_entries(doc, subject)


def test_subject_short_name_and_nouns() -> None:
    doc, subject = _doc()
    assert subject.name == "Harbour Kites"
    assert subject.short == "harbour"
    assert "harbour kites" in subject.aliases
    assert "workshop" in subject.nouns


def test_pronoun_is_resolved_to_the_subject() -> None:
    doc, subject = _doc()
    facts = [f.text for f in segment(doc, subject)]
    assert any(f.startswith("Harbour was founded in 2009") for f in facts)
    assert any(f.startswith("Harbour employs 35 people") for f in facts)


def test_a_pronoun_after_a_sentence_about_the_subject_opening_with_an_adverb_is_the_subject(
) -> None:
    doc, subject = _doc(FOUNDING.replace(
        "The workshop employs 35 people.",
        "Today the workshop sells through Skyward Toys and Windmart. In 2024 its shops sold "
        "9,000 units."))
    facts = [f.text for f in segment(doc, subject)]
    assert any(f.startswith("In 2024 Harbour's shops sold") for f in facts), facts
    doc, subject = _doc(FOUNDING.replace("The workshop employs", "Today it employs"))
    facts = [f.text for f in segment(doc, subject)]
    assert any(f.startswith("Today Harbour employs 35 people") for f in facts), facts


def test_spans_are_typed() -> None:
    spans = sp.extract_spans("It was founded in 2009 by Nora Byrne and Liam Walsh in Galway "
                             "with a $2.5 million loan and employs 35 people.")
    kinds = {(s.kind, s.text) for s in spans}
    assert (sp.YEAR, "2009") in kinds and (sp.MONEY, "$2.5 million") in kinds
    assert (sp.PERSON, "Nora Byrne") in kinds and (sp.PERSON, "Liam Walsh") in kinds
    assert (sp.PLACE, "Galway") in kinds
    assert any(s.kind == sp.COUNT and s.noun == "people" for s in spans)


def test_a_figure_followed_by_a_comma_counts_nothing() -> None:
    """"About 9,000, according to ...": the word after the comma is not what is counted."""
    spans = sp.extract_spans("About 9,000, according to the club, from 12 boats of 8 metres.")
    nouns = {s.noun for s in spans if s.kind in (sp.COUNT, sp.MEASURE)}
    assert "according" not in nouns and "boats" in nouns


def test_role_belongs_to_the_person_next_to_it() -> None:
    spans = sp.extract_spans("Baird is the company's chief executive and Asante its chief "
                             "technology officer.", people=frozenset({"baird", "asante"}))
    roles = {s.text: s.role_short for s in spans if s.kind == sp.PERSON}
    assert roles == {"Baird": "ceo", "Asante": "cto"}


def test_clause_reads_passive_verb_and_agent() -> None:
    clause = read_clause("The turbines are made by the Danish manufacturer Skovby Turbines.")
    assert (clause.subject, clause.verb, clause.passive) == ("the turbines", "make", True)
    assert "skovby" in clause.agent


def test_clause_skips_a_relative_clause_and_reads_most_of_the_x_as_the_x() -> None:
    clause = read_clause("Nora Byrne, who joined as head of design in 2012, led the talks "
                         "with the banks.")
    assert (clause.subject, clause.verb, clause.obj) == ("nora byrne", "lead", "the talks")
    clause = read_clause("A group of four banks is providing most of the money.")
    assert (clause.verb, clause.obj, clause.progressive) == ("provide", "the money", True)


def test_an_active_clause_about_someone_else_asks_who_does_it() -> None:
    asked = _questions("A group of four banks is providing most of the money for the shop.")
    assert {"who provides the money", "who is providing the money"} <= set(asked)
    led = _questions("Nora Byrne, who joined in 2012, led the talks with the banks.")
    assert "who led the talks" in led


def test_founding_sentence_gives_who_when_where_questions() -> None:
    doc, subject = _doc()
    entries = {e.intent: e for e in build_entries(doc, subject)}
    founding = entries["fact_founding"]
    assert founding.title == "Founding"
    examples = set(founding.examples)
    assert {"who founded harbour", "when was harbour founded", "founders"} <= examples
    assert any(e.startswith("where") for e in examples)
    assert "2009" in founding.answer and "Nora Byrne" in founding.answer
    assert "who is the ceo" in entries["fact_ceo"].examples
    assert "how many people work at harbour" in entries["fact_headcount"].examples


def test_a_long_opening_phrase_is_left_as_written() -> None:
    from bot.compiler.segment import Subject, resolve

    subject = Subject("Harbour Kites", "harbour", ("workshop",))
    assert resolve("For its first years Harbour sewed in a rented shed on the edge of town.",
                   "", subject) == (
        "For its first years Harbour sewed in a rented shed on the edge of town.")
    assert resolve("In 2023 the workshop opened a shop.", "", subject) == (
        "In 2023 Harbour opened a shop.")


def test_a_named_thing_keeps_its_own_name_and_an_age_is_no_count(tmp_path: Path) -> None:
    doc, subject = _doc(FOUNDING.replace(
        "The workshop employs 35 people.",
        "The Skua, a large stunt kite, can lift 4 kilograms. The Petrel is a children's "
        "kite that suits fliers from about five to ten years old."))
    examples = [e for entry in build_entries(doc, subject) for e in entry.examples]
    assert "is the petrel a children's kite" in examples
    assert not any("skua a children's kite" in e for e in examples)
    assert not any(e.startswith(("how many years old", "how many old")) for e in examples)


def test_the_thing_a_sentence_introduces_is_asked_what_and_where_it_is() -> None:
    subject = _doc()[1]
    sentence = ("The largest project in Harbour's history is a new flying field on Salthill "
                "Road in Galway, which will open in 2026.")
    spans = sp.extract_spans(sentence)
    assert ("the new flying field", "is") in qs.defined_names(sentence, spans, subject)
    assert "where is the new flying field" in _questions(sentence)
    # a sentence saying what the subject is introduces nothing else
    about = "The Harbour Kites is a kite workshop based in Galway."
    assert qs.defined_names(about, sp.extract_spans(about), subject) == []


def test_a_name_after_a_possessive_descriptor_and_a_comma_is_defined() -> None:
    subject = _doc()[1]
    software = ("Every line is cut by Harbour's own software, SailCut, which nests the "
                "panels.")
    assert ("sailcut", "is") in qs.defined_names(software, sp.extract_spans(software), subject)
    # without the comma the name is the head of the noun phrase, not described by it
    custom = "Customers can use the studio to build their own custom Kitemaker."
    assert qs.defined_names(custom, sp.extract_spans(custom), subject) == []


def test_the_name_a_sentence_before_introduced_is_never_one_of_the_articles_people() -> None:
    from bot.compiler.entries import _context_name

    subject = _doc()[1]
    quote = '"Kites are for everyone," Byrne said.'
    assert _context_name(quote, subject, frozenset({"byrne"})) == ""
    assert _context_name("The Skua is its best seller.", subject) == "Skua"


def test_junk_examples_are_dropped() -> None:
    kept = clean_examples(["the", "founded", "2009", "march", "who founded it", "decaf",
                           "Who founded it?", "studio's", "the studio's founder"])
    assert kept == ["who founded it", "decaf", "the studio's founder"]


def test_a_question_ending_on_a_word_that_can_be_no_noun_is_dropped() -> None:
    kept = clean_examples(["how big is the less", "what is harbour's grow", "how much raised",
                           "number of later", "how big is the fleet",
                           "who does the roasting", "what is harbour's county",
                           "how many vessels", "how much did they raise"])
    assert kept == ["how much raised", "how big is the fleet", "who does the roasting",
                    "what is harbour's county", "how many vessels", "how much did they raise"]
    assert clean_examples(["how many people will the loft will hold",
                           "do they have played in halls", "who makes the own sails",
                           "do they have a shop"]) == ["who makes its own sails",
                                                       "do they have a shop"]


def test_fragments_dates_and_pronoun_leftovers_are_not_examples() -> None:
    kept = clean_examples(["saturday", "every saturday", "in 2020", "m", "who owns they"])
    assert kept == ["who owns them"]
    from bot.compiler.questions import _chunks
    from bot.compiler.segment import Subject

    chunks = _chunks("Every member holds one vote in recent years; a Swiss Water decaf "
                     "joined, with outside investment.", Subject("Harbour", "harbour", ()))
    assert "member holds" not in chunks and "recent years" not in chunks
    assert "swiss water decaf" in chunks and "outside investment" in chunks


def test_each_detail_of_a_sentence_is_asked_with_the_noun_it_belongs_to() -> None:
    questions = _questions("In 2020 Harbour moved into a boathouse of 900 square metres in "
                           "Galway's dock district, paid for with a $1.2 million loan from "
                           "Atlantic Credit Union.")
    for expected in ("where is the boathouse", "how big is the boathouse",
                     "how much was the loan", "who provided the loan",
                     "how was the boathouse paid for"):
        assert expected in questions


def test_a_participle_phrase_with_its_own_detail_is_a_fact_of_its_own() -> None:
    from bot.compiler.segment import split_details

    assert split_details("In 2020 Harbour moved into a boathouse of 900 square metres in "
                         "Galway's dock district, paid for with a $1.2 million loan from "
                         "Atlantic Credit Union.") == [
        "In 2020 Harbour moved into a boathouse of 900 square metres in Galway's dock "
        "district.", "The boathouse was paid for with a $1.2 million loan from Atlantic "
        "Credit Union."]
    whole = "The breakthrough came with Gullwing, a stunt kite, released in May 2023."
    assert split_details(whole) == [whole]
    paid = _questions("The boathouse was paid for with a $1.2 million loan from Atlantic "
                      "Credit Union.")
    assert "how was the boathouse financed" in paid
    assert not any(q.endswith(("get", "is the boathouse paid")) for q in paid)


def test_a_measure_is_asked_with_what_its_unit_measures() -> None:
    questions = _questions("The farm will have 12 turbines of 5 megawatts each.")
    assert "how powerful is each turbine" in questions
    assert not any(q.startswith("how tall") or "size" in q for q in questions)


def test_heading_questions_read_as_english() -> None:
    from bot.compiler.entries import _heading_questions
    from bot.compiler.segment import Subject

    subject = Subject("Harbour Kites", "harbour", ())
    person = _heading_questions("Chief executive: Nora Byrne", subject)
    assert "who is nora byrne" in person and "what is the nora byrne" not in person
    assert "what is his vision" in _heading_questions("His vision", subject)
    asked = _heading_questions("Is it a toy company?", subject)
    assert "is it a toy company" in asked and not any("what is the is" in q for q in asked)


def test_a_customer_asks_what_the_subject_sells_and_a_title_shortened() -> None:
    sells = _questions("Harbour Kites sells four stunt kites.")
    assert "what kites can i buy" in sells and "what can i buy from harbour" in sells
    certified = _questions("Harbour Kites became a certified B Corporation in 2021.")
    assert "is harbour a certified b corporation" in certified
    assert "are they a b corp" in certified


def test_a_fact_is_named_after_the_name_it_introduces() -> None:
    from bot.compiler.entries import _name
    from bot.compiler.segment import Subject

    sentence = "A Swiss Water decaf called Quiet Hour joined the range in 2022."
    spans = sp.extract_spans(sentence)
    clause = read_clause(sentence, [(s.start, s.end) for s in spans])
    assert _name(sentence, spans, clause, Subject("Harbour", "harbour", ())) == (
        "quiet_hour", "Quiet Hour")


def test_a_passive_amount_is_asked_in_its_own_direction() -> None:
    questions = _questions("Growers are paid a floor price of $2.60 per pound.")
    assert "how much are growers paid" in questions
    assert "how much did growers pay" not in questions
    assert "what do growers get" in questions


def test_two_nouns_joined_are_one_subject_and_paid_for_has_its_plain_forms() -> None:
    assert "where are the towers and blades put together" in _questions(
        "The towers and blades are being put together at the Port of Invercarran.")
    loan = _questions("In 2020 Harbour moved into a boathouse in Galway, paid for with a "
                      "$1.2 million loan from Atlantic Credit Union.")
    assert "how was the boathouse financed" in loan


def test_what_came_first_what_comes_next_who_led_and_how_it_sold() -> None:
    first = _questions("The workshop's first release, the stunt kite Gullwing, sold about "
                       "9,000 copies in its first year.")
    assert "what was their debut release" in first and "what was their first kite" in first
    assert not any("first year" in q for q in first)
    assert "how well did gullwing sell" in first
    nxt = _questions("The next kite, Storm Petrel, is planned for release in 2026.")
    assert "what are they doing next" in nxt and "what is the next kite" in nxt
    led = _questions("In 2022 Harbour Kites raised a $2 million round led by Atlantic "
                     "Ventures.")
    assert "who led the round" in led and "which vc led the round" in led
    chain = _questions("Since 2022 the kites have been sold in all 31 stores of the regional "
                       "toy chain Northfield Markets.")
    assert "which toy chain" in chain


def test_the_fact_saying_what_the_subject_is_answers_what_is_it() -> None:
    doc, subject = _doc()
    entries = {e.intent: e for e in build_entries(doc, subject)}
    owner = [name for name, e in entries.items() if "what is harbour" in e.examples]
    assert owner and entries[owner[0]].answer.startswith("Harbour Kites is a kite workshop")
    assert "tell me about harbour" in entries[owner[0]].examples


def test_a_listed_group_is_asked_who_and_with_its_verb() -> None:
    questions = _questions("The investors named are Atlantic Ventures, Gull Capital and "
                           "Tern Partners.", "Harbour Kites")
    assert "who are the investors" in questions and "who invested in harbour" in questions


def test_a_heading_about_his_vision_names_whose() -> None:
    from bot.compiler.entries import _heading_questions
    from bot.compiler.segment import Subject

    asked = _heading_questions("His vision", Subject("Harbour", "harbour", ()), "Nora Byrne")
    assert "what is byrne's vision" in asked and "nora byrne's vision" in asked


def test_a_defined_name_and_the_items_of_a_list_are_asked_about() -> None:
    defined = _questions("Skyline is a design tool on which customers draw their own kites.")
    assert {"what is skyline", "what is skyline for", "what can i do with skyline"} <= set(
        defined)
    items = _questions("Harbour Kites makes stunt kites, delta kites, box kites and "
                       "power kites for two Galway clubs.", "Harbour Kites")
    assert "do they have box kites" in items and "box kites" in items
    assert not any("galway" in q and q.startswith("do they have") for q in items)


def test_what_a_name_is_stays_with_the_sentence_that_defines_it(tmp_path: Path) -> None:
    text = FOUNDING + (
        "Its flagship is Gull Point, a harbour shop on the Galway quays. "
        "Gull Point is expected to cost 40,000 euros to fit out.\n\n"
        "The kites are sewn by the Cork workshop Fenwick Sails, and each kite is tested.\n\n"
        "Fenwick Sails is paid 20 euros for each kite it sews for the company.\n")
    seed = tmp_path / "harbour.txt"
    seed.write_text(text, encoding="utf-8")
    compile_seeds([seed], tmp_path / "out", curated_dirs=[], self_test=False)
    kb = load_knowledge_base(tmp_path / "out")
    owners = {e.text: i.name for i in kb.intents.values() for e in i.examples
              if e.text in ("what is gull point", "what is fenwick sails")}
    assert set(owners) == {"what is gull point", "what is fenwick sails"}
    assert "harbour shop" in kb.responses[f"utter_{owners['what is gull point']}"].variants[0].text
    assert "sewn" in kb.responses[f"utter_{owners['what is fenwick sails']}"].variants[0].text
    # "a year once X is running" and "an enabler of X" describe no X
    assert qs.defined_names("It pays a year once Gull Point is running.",
                            sp.extract_spans("It pays a year once Gull Point is running."),
                            find_subject(_doc()[0])) == []


def test_an_faq_verb_gets_its_plain_synonyms_in_the_same_form() -> None:
    from bot.compiler.questions import faq_questions
    from bot.compiler.segment import Subject

    asked = faq_questions("When will the mill start producing flour?",
                          Subject("Harbour", "harbour", ()))
    assert "when will the mill start generating flour" in asked
    assert not any("found producing" in q or "set up producing" in q for q in asked)
    assert not any("years" in q for q in _questions("For nine years Harbour sewed kites."))


def test_an_faq_about_what_goes_to_someone_is_also_asked_from_their_side() -> None:
    from bot.compiler.questions import faq_questions
    from bot.compiler.segment import Subject

    asked = faq_questions("How much goes to local clubs?", Subject("Harbour", "harbour", ()))
    assert "what do local clubs get" in asked


def test_intent_names_are_stable_across_recompiles(tmp_path: Path) -> None:
    seed = tmp_path / "harbour.txt"
    seed.write_text(FOUNDING, encoding="utf-8")
    compile_seeds([seed], tmp_path / "a", curated_dirs=[], self_test=False)
    compile_seeds([seed], tmp_path / "b", curated_dirs=[], self_test=False)
    for name in ("harbour.nlu.yml", "harbour.responses.yml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_self_test_reports_and_drops_collisions(tmp_path: Path) -> None:
    seed = tmp_path / "harbour.txt"
    seed.write_text(FOUNDING, encoding="utf-8")
    result = compile_seeds([seed], tmp_path / "out", curated_dirs=[])
    report = result.self_test
    assert report is not None and report.asked > 10
    assert all(c.example not in {d.example for d in report.dropped} or c in report.dropped
               for c in report.collisions)
    lines = report.lines()
    assert lines[0].startswith("self-test: ")


def test_check_writes_nothing(tmp_path: Path) -> None:
    seed = tmp_path / "harbour.txt"
    seed.write_text(FOUNDING, encoding="utf-8")
    result = compile_seeds([seed], tmp_path / "out", curated_dirs=[], write=False)
    assert result.intents > 3 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, message", [
    (b"", "empty document"),
    (b"\x00\x01\x02binary", "binary content"),
    (b"x" * (5 * 1024 * 1024), "larger than"),
])
def test_bad_input_is_a_clear_message_and_writes_nothing(tmp_path: Path, content: bytes,
                                                          message: str) -> None:
    seed = tmp_path / "bad.txt"
    seed.write_bytes(content)
    with pytest.raises(CompileError, match=message):
        compile_seeds([seed], tmp_path / "out", curated_dirs=[])
    assert not (tmp_path / "out").exists()


def test_another_language_is_compiled_best_effort_with_a_warning(tmp_path: Path) -> None:
    seed = tmp_path / "fr.txt"
    seed.write_text("Boulangerie Soleil : une petite boulangerie\nSource : Le Pain\n\n"
                    "Boulangerie Soleil est une boulangerie à Lyon. Elle a été fondée en 2019 "
                    "par Claire Dubois. Elle emploie 12 personnes.\n", encoding="utf-8")
    result = compile_seeds([seed], tmp_path / "out", curated_dirs=[])
    assert any("does not read as English" in w for w in result.warnings)
    assert (tmp_path / "out" / "fr.nlu.yml").is_file()


def test_no_faq_section_is_a_warning(tmp_path: Path) -> None:
    seed = tmp_path / "harbour.txt"
    seed.write_text(FOUNDING, encoding="utf-8")
    result = compile_seeds([seed], tmp_path / "out", curated_dirs=[], self_test=False)
    assert any("no FAQ section" in w for w in result.warnings)


def _questions(sentence: str, name: str = "Harbour Kites") -> list[str]:
    from bot.compiler.questions import fact_questions
    from bot.compiler.segment import Subject

    spans = sp.extract_spans(sentence)
    clause = read_clause(sentence, [(s.start, s.end) for s in spans if s.kind != sp.ROLE])
    return fact_questions(sentence, spans, clause, Subject(name, name.split()[0].lower(),
                                                            ("workshop",)))


@pytest.mark.parametrize("sentence, expected", [
    ("The breakthrough came with Saltmarsh, a survival game, released in May 2023.",
     "when was saltmarsh released"),
    ("The turbines are made by the Danish manufacturer Skovby Turbines.",
     "who makes the turbines"),
    ("Corran Bank is expected to cost £1.9 billion.", "how much will corran bank cost"),
    ("The towers are being put together at the Port of Invercarran.",
     "where are the towers put together"),
    ("The project will have 42 turbines of 15 megawatts each.",
     "how many turbines will the project have"),
    ("The console editions are published by Kestrel Interactive.",
     "who publishes the console editions"),
])
def test_each_span_is_asked_with_the_verb_that_governs_it(sentence: str,
                                                           expected: str) -> None:
    assert expected in _questions(sentence)


def test_an_infinitive_is_asked_of_whoever_does_it() -> None:
    wants = _questions("Harbour Kites wants half of its fleet to run on batteries by 2030.")
    assert not any(q.startswith(("when did harbour", "what year did harbour")) for q in wants)
    plans = _questions("Harbour Kites plans to open a shop in Cork in 2026.")
    assert "when will harbour open" in plans
    assert "when did harbour open" not in plans


def test_negation_and_availability_give_yes_no_questions() -> None:
    questions = _questions("Saltmarsh is available on PC and on Nintendo Switch; there is no "
                           "Xbox version.", "Lanternfish Games")
    assert "is there a xbox version" in questions or "is there an xbox version" in questions
    assert "is saltmarsh on nintendo switch" in questions


def test_ongoing_work_and_an_event_are_asked_on_the_clause_verb() -> None:
    ongoing = _questions("Together with a local college it has been designing folding frames "
                         "for beach kites.")
    assert {"what is harbour designing", "what are they working on",
            "are they designing folding frames"} <= set(ongoing)
    event = _questions("Work on the new workshop began in June 2024.")
    assert {"has work begun", "did work begin"} <= set(event)
    # a state is no event, and a span of time is no subject
    assert not any(q.startswith("has ") for q in _questions(
        "One year before that, the workshop stood at ten staff."))


def test_a_measure_of_material_and_a_product_on_sale_are_asked_as_a_customer_would() -> None:
    made = _questions("The new loft sews about 900 metres of ripstop nylon a month.")
    assert {"how much nylon", "how much nylon does the new loft sew a month",
            "how much nylon does harbour sew a month"} <= set(made)
    sold = set(_questions("The kites are sold in 40 toy shops and on the shelves of the "
                          "chain Seaside Toys."))
    assert {"how many shops sell the kites", "where can i buy the kites",
            "who stocks harbour kites"} <= sold
    assert "how many shops does the kites sell" not in sold


def test_a_topic_is_asked_the_ways_readers_ask_it_by_the_one_entry_about_it() -> None:
    doc, subject = _doc(FOUNDING + "Harbour's revenue reached $2 million in 2023, with sales "
                        "up a third.\nThe workshop sells kites and repair kits.\n")
    entries = build_entries(doc, subject)
    owners = [e.intent for e in entries if "how much does harbour earn" in e.examples]
    assert owners == ["fact_revenue"]
    revenue = next(e for e in entries if e.intent == "fact_revenue")
    assert {"how much revenue does harbour have", "how much does the workshop earn",
            "annual revenue"} <= set(revenue.examples)
    # a topic nothing in the article speaks of, or only in passing, is asked of no entry
    assert not any("worth" in x for e in entries for x in e.examples)
    doc, subject = _doc(FOUNDING + "Byrne has turned away outside investors twice.\n")
    assert not any("funding" in x for e in build_entries(doc, subject) for x in e.examples)


def test_who_founded_runs_chairs_and_works_there_are_asked_of_the_entry_saying_so() -> None:
    text = ("Gull Ferries: an island ferry line\nOriginal reporting by Sea Weekly\n\n"
            "Gull Ferries is a ferry line based in Oban. Two sisters, Mary and Ann Reid, set "
            "it up in 1990 with one boat.\nAnn Reid now chairs the three-member board.\n"
            "Day-to-day management is in the hands of Tom Hay, who became chief executive in "
            "2015.\nGull employs 120 people.\n")
    doc, subject = _doc(text)
    entries = build_entries(doc, subject)

    def owner(question: str) -> str:
        found = [e for e in entries if question in e.examples]
        assert len(found) == 1, question
        return found[0].answer

    assert "set it up in 1990" in owner("who founded gull")
    assert "chairs" in owner("who is the chair of gull")
    assert "chief executive" in owner("who is in charge")
    assert "120 people" in owner("how many people work at gull")
    # with no chief executive, the organisation's director runs it
    directed = text.replace("who became chief executive in 2015", "its director since 2015")
    doc, subject = _doc(directed)
    entries = build_entries(doc, subject)
    assert "its director" in owner("who is in charge")


def test_what_a_thing_is_made_with_is_asked() -> None:
    questions = set(_questions("Both kites are sewn with a waxed Dyneema thread."))
    assert {"what are the kites sewn with", "what thread do they use", "which thread"} <= (
        questions)


def test_each_noun_of_a_hyphenated_count_is_asked() -> None:
    questions = set(_questions("Harbour now has 40 worker-owners in Galway."))
    assert {"how many worker-owners", "how many workers", "how many owners"} <= questions


def test_an_faq_about_visiting_is_asked_the_ways_visitors_ask() -> None:
    doc, subject = _doc(FOUNDING + "Frequently asked questions\n- Can people see the workshop?"
                        "\n- Yes. Visitors can watch the sewing every Sunday, and no booking "
                        "is needed.\n")
    faq = next(e for e in build_entries(doc, subject) if e.kind == "faq")
    assert {"can i visit harbour", "do i need to book", "can i visit at the weekend"} <= set(
        faq.examples)


def test_what_a_person_thinks_is_asked_by_name_and_by_role() -> None:
    doc, subject = _doc(FOUNDING + "Nora Byrne wants kites to be made by hand again: she argues "
                        "that machines waste cloth.\n")
    entries = build_entries(doc, subject)
    view = next(e for e in entries if "Nora Byrne wants" in e.answer)
    assert {"what does byrne want", "what does byrne think", "what does the ceo think"} <= (
        set(view.examples))
    # the role's own intent keeps "who is the ceo"
    assert "who is the ceo" not in view.examples


def test_junk_names_and_naming_verbs_give_no_questions() -> None:
    made = set(_questions("The sails are made by the Danish weaver Holm Sails."))
    assert "what is danish" not in made and "danish" not in made
    assert "what is holm sails" in made
    called = set(_questions("Harbour is called a unicorn, meaning a startup valued at "
                            "$1 billion or more."))
    assert not {"caller", "who is the caller", "how much is harbour called"} & called


def test_a_heading_that_is_a_name_or_a_why_question_is_asked_as_such(tmp_path: Path) -> None:
    seed = tmp_path / "harbour.md"
    seed.write_text("# Harbour Kites\n\n## Overview\n\nHarbour Kites is a kite workshop in "
                    "Galway.\n\n## Loft {#loft}\n\nLoft is a Harbour service on which "
                    "customers design their own kites.\n\n## Why it matters {#impact}\n\n"
                    "Harbour keeps kite sewing alive in Ireland.\n", encoding="utf-8")
    doc = read_document(seed)
    entries = {e.intent: e for e in build_entries(doc, find_subject(doc))}
    assert {"what is loft", "tell me about loft", "what is loft used for"} <= set(
        entries["fact_loft"].examples)
    assert "what is harbour's loft" not in entries["fact_loft"].examples
    assert {"why does it matter", "why does harbour matter"} <= set(
        entries["fact_impact"].examples)
    assert not any("why it matters" in x for x in entries["fact_impact"].examples)


def test_passive_counts_and_expected_dates_are_asked_in_good_english() -> None:
    founded = set(_questions("It was founded in 2009 by three sailmakers."))
    assert "how many sailmakers founded harbour" in founded
    assert not any(q.endswith("harbour found") for q in founded)
    expected = set(_questions("The first shop abroad is expected in 2027."))
    assert "when is the first shop abroad expected" in expected
    assert not any(q.endswith(" expect") for q in expected)


def test_a_pronoun_after_an_opening_phrase_is_the_clause_subject() -> None:
    clause = read_clause("Together with Galway College it has been testing new frames.")
    assert (clause.subject, clause.verb, clause.progressive) == ("it", "test", True)


def test_an_faq_keeps_its_own_wording_and_a_fact_wins_over_an_faq_answer(
        tmp_path: Path) -> None:
    seed = tmp_path / "harbour.txt"
    seed.write_text(FOUNDING + "Frequently asked questions\n- Who founded Harbour Kites?\n"
                    "- Nora Byrne, Liam Walsh and Aoife Kelly founded it in 2009.\n",
                    encoding="utf-8")
    from bot.kb.loader import load_knowledge_base

    compile_seeds([seed], tmp_path / "out", curated_dirs=[], self_test=False)
    kb = load_knowledge_base(tmp_path / "out")
    owners = {}
    for name, intent in kb.intents.items():
        for example in intent.examples:
            owners.setdefault(example.text, set()).add(name)
    assert all(len(names) == 1 for names in owners.values())
    assert owners["who founded harbour kites"] == {"faq/founded_harbour_kites"} or any(
        n.startswith("faq/") for n in owners["who founded harbour kites"])
    assert "fact_founding" in owners["when was harbour founded"]


def test_a_plural_is_as_common_as_its_singular_for_a_clipped_question() -> None:
    from bot.compiler.questions import _clipped_noun_phrase

    # "platforms" ranks lower than "platform" in the word list, but says no more
    assert not _clipped_noun_phrase(["platforms"])
    assert not _clipped_noun_phrase(["sectors"])
    assert _clipped_noun_phrase(["decaf"])
    assert _clipped_noun_phrase(["turbines"]) == _clipped_noun_phrase(["turbine"])


def test_counts_stop_at_the_next_figure_and_a_group_is_asked_how_big() -> None:
    spans = sp.extract_spans("In 2024 its ships carried 3.6 million passengers and 720,000 "
                             "vehicles, and it has 64 roastery and café workers.")
    assert [s.noun for s in spans if s.kind == sp.COUNT] == [
        "passengers", "vehicles", "roastery café workers"]
    money = [s.text for s in sp.extract_spans("The budget is A$21.4 million.")
             if s.kind == sp.MONEY]
    assert money == ["A$21.4 million"]
    asked = _questions("Harbour Kites runs six shops with a fleet of 14 vans.")
    assert {"how big is the fleet", "fleet size", "how many vans are in the fleet"} <= set(asked)
    assert "how big is the total" not in _questions("Harbour Kites sold a total of 30 kites.")
    # each figure with its own verb: "employs 230 people and built 46,000 kites"
    spans = sp.extract_spans("Harbour employs 230 people and built 46,000 kites in 2024.")
    assert [s.noun for s in spans if s.kind == sp.COUNT] == ["people", "kites"]
    built = _questions("Harbour Kites employs 230 people and built 46,000 kites in 2024.")
    assert "how many kites did harbour build" in built


def test_a_leading_year_is_no_comma_phrase_and_its_pronoun_is_resolved() -> None:
    from bot.compiler.segment import resolve

    _, subject = _doc()
    assert resolve("In 2024 its shops sold 720,000 kites.", "", subject).startswith(
        "In 2024 Harbour's shops")


def test_plans_and_owners_are_asked_of_the_subject_not_of_an_faq_about_another_name() -> None:
    text = ("Gull Ferries: an island ferry line\nOriginal reporting by Sea Weekly\n\n"
            "Gull Ferries is a ferry line based in Oban. Gull wants to open two new routes by "
            "2028 and plans a third boat.\nKelp Point is a harbour shop in Oban.\n"
            "Frequently asked questions\n- Who owns Kelp Point?\n"
            "- Gull owns 60 percent and a local trust owns the rest.\n")
    doc, subject = _doc(text)
    entries = build_entries(doc, subject)
    assert [e.answer[:30] for e in entries if "what are gull's plans" in e.examples] == [
        "Gull wants to open two new rou"]
    assert not any("who owns gull" in e.examples for e in entries)


def test_an_area_the_subject_holds_is_asked_as_its_size() -> None:
    held = _questions("Harbour Kites opened in 2019 and has 900 square metres of floor space.")
    assert {"how big is harbour", "harbour size"} <= set(held)
    # an area of something else is that thing's size, not the subject's
    other = _questions("In 2020 Harbour Kites moved into a loft of 400 square metres.")
    assert "how big is the loft" in other and "how big is harbour" not in other


def test_a_quotation_is_asked_as_what_its_speaker_said() -> None:
    entries = _entries_with(
        "\"A kite without a good spar is a kite that never climbs,\" Byrne said, explaining "
        "why every frame is tested. \"We only want kites that outlast their owners.\"")
    quoted = next(e for e in entries if "never climbs" in e.answer)
    assert {"what did byrne say", "what does byrne say about kites",
            "what does byrne say about spars"} <= set(quoted.examples)
    # not the clause inside the quotation
    assert not any(e.startswith(("is a kite", "are they a kite")) for e in quoted.examples)
    # a sentence all quotation goes on with the speaker before it
    assert qs.quote_speaker('"We only want kites that outlast their owners."', "byrne") == (
        "byrne", "We only want kites that outlast their owners.")
    assert qs.quote_speaker('"The field is never going away," de Wit said.') == (
        "de wit", "The field is never going away,")
    assert qs.quote_speaker("The workshop employs 35 people.") is None


def test_a_part_of_a_whole_is_asked_as_its_share() -> None:
    made_up = _questions("Stunt kites made up 40 percent of sales last year.")
    assert {"what share of sales are stunt kites",
            "how much of sales comes from stunt kites"} <= set(made_up)
    shop = _questions("Kites are also sold through the Harbour app, which accounts for 15 "
                      "percent of all sales.")
    assert "what share of sales is the harbour app" in shop


def test_a_title_or_saint_before_a_name_does_not_end_a_sentence() -> None:
    from bot.compiler.text import sentences

    assert sentences("It flies between Gander, St. John's and Halifax. Dr. Okafor leads it. "
                     "No. Fines were dropped.") == [
        "It flies between Gander, St. John's and Halifax.", "Dr. Okafor leads it.", "No.",
        "Fines were dropped."]


def test_a_name_holding_the_subjects_short_name_may_name_something_else() -> None:
    from bot.compiler.segment import Subject

    subject = Subject("Corvo Mill Bakery", "corvo", ("bakery",))
    product = "Corvo Rye, a sourdough loaf made with local flour, is the bread most know."
    assert ("corvo rye", "is") in qs.defined_names(product, sp.extract_spans(product),
                                                   subject)
    itself = "Corvo Mill, a bakery in Porto, bakes bread."
    assert qs.defined_names(itself, sp.extract_spans(itself), subject) == []


def test_what_a_person_did_before_is_asked_of_the_sentence_that_tells_it() -> None:
    entries = _entries_with(
        "In 2015 they hired Sean Doyle, formerly a sailmaker in Cork, as head of design. "
        "Doyle says every kite is tested on the beach. Mary Quinn, who joined in 2018 from a "
        "Dublin bank, runs the shop.")
    hired = next(e for e in entries if "sailmaker" in e.answer)
    assert {"what did doyle do before", "what did doyle do before harbour"} <= set(
        hired.examples)
    joined = next(e for e in entries if "Dublin bank" in e.answer)
    assert "what did quinn do previously" in joined.examples
    # a later sentence naming the person tells nothing of their past
    assert not any("do before" in x for e in entries if "tested on the beach" in e.answer
                   for x in e.examples)
    assert not any("byrne do before" in x for e in entries for x in e.examples)
