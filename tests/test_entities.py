"""Entity extraction from lookup tables and synonyms, with typo tolerance."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.loader import load_knowledge_base
from bot.nlu.entities import FuzzyLookupExtractor, build_entity_extractor

REPO = Path(__file__).resolve().parents[1]
ACTIONS_YML = REPO / "intents" / "curated" / "actions.yml"

# A made-up KB: two entity types, a synonym, and a matcher-only synonym.
SMALL_KB = """\
version: "3.1"
nlu:
- intent: ask_city
  examples: |
    - do you fly to [paris](city)
- lookup: city
  examples: |
    - Paris
    - New York
    - Saint-Étienne
- lookup: airline
  examples: |
    - Lufthansa
    - KLM
- synonym: New York
  examples: |
    - nyc
    - big apple
- synonym: purchase
  examples: |
    - buy
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> FuzzyLookupExtractor:
    path = tmp_path_factory.mktemp("kb") / "kb.yml"
    path.write_text(SMALL_KB, encoding="utf-8")
    return FuzzyLookupExtractor(load_knowledge_base(path))


@pytest.fixture(scope="module")
def investors() -> FuzzyLookupExtractor:
    extractor = build_entity_extractor(load_knowledge_base(ACTIONS_YML))
    assert extractor is not None
    return extractor


def values(extractor: FuzzyLookupExtractor, text: str) -> list[tuple[str, str]]:
    return [(e.entity, e.value) for e in extractor.extract(text)]


def test_entity_has_rasa_shape_and_offsets(small: FuzzyLookupExtractor) -> None:
    text = "Do you fly to Paris tomorrow?"
    [entity] = small.extract(text)
    assert entity.to_json() == {
        "entity": "city", "value": "Paris", "start": 14, "end": 19, "confidence": 1.0,
        "extractor": "FuzzyLookupExtractor",
    }
    assert text[entity.start:entity.end] == "Paris"


def test_synonym_maps_to_canonical_value_and_keeps_surface_offsets(
    small: FuzzyLookupExtractor,
) -> None:
    text = "flights to the Big Apple"
    [entity] = small.extract(text)
    assert (entity.entity, entity.value) == ("city", "New York")
    assert text[entity.start:entity.end] == "Big Apple"
    assert values(small, "nyc or paris") == [("city", "New York"), ("city", "Paris")]


def test_accents_and_case_are_ignored(small: FuzzyLookupExtractor) -> None:
    assert values(small, "SAINT ETIENNE please") == [("city", "Saint-Étienne")]


def test_typo_is_tolerated_with_lower_confidence(small: FuzzyLookupExtractor) -> None:
    [entity] = small.extract("I love lufthanza")
    assert (entity.entity, entity.value) == ("airline", "Lufthansa")
    assert 0.85 <= entity.confidence < 1.0


def test_short_elements_need_an_exact_match(small: FuzzyLookupExtractor) -> None:
    assert values(small, "klm") == [("airline", "KLM")]
    assert values(small, "kml or klx") == []


def test_a_synonym_of_no_lookup_element_is_no_entity(small: FuzzyLookupExtractor) -> None:
    assert values(small, "can I buy a ticket") == []
    assert small.entity_names == ("airline", "city")


def test_no_lookup_tables_means_no_extractor(tmp_path: Path) -> None:
    path = tmp_path / "kb.yml"
    path.write_text('version: "3.1"\nnlu:\n- intent: hi\n  examples: |\n    - hello\n',
                    encoding="utf-8")
    assert build_entity_extractor(load_knowledge_base(path)) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("did nvidia invest", "Nvidia"),
    ("did nvdia invest", "Nvidia"),
    ("did NVIDIA's venture arm invest", "Nvidia"),
    ("is a16z an investor", "Andreessen Horowitz"),
    ("andreesen horowitz", "Andreessen Horowitz"),
    ("did samsung put money in", "Samsung Venture Investment Corporation"),
    ("Samsung Ventures", "Samsung Venture Investment Corporation"),
    ("lightspeed", "Lightspeed Venture Partners"),
    ("did lightspead invest", "Lightspeed Venture Partners"),
    ("mircosoft", "Microsoft"),
    ("IBM?", "IBM"),
    ("is asml an investor", "ASML"),
    ("genral catalyst", "General Catalyst"),
    ("did nvdiia back mistral", "Nvidia"),           # two letters swapped: one edit
    ("is microsft an investor", "Microsoft"),
    ("did andresen horowits invest", "Andreessen Horowitz"),
    ("did lightspeeed put money in", "Lightspeed Venture Partners"),
    ("general catalist", "General Catalyst"),
    ("did samsug invest", "Samsung Venture Investment Corporation"),
])
def test_investors_are_found(investors: FuzzyLookupExtractor, text: str, expected: str) -> None:
    assert values(investors, text) == [("investor", expected)]


def test_several_investors_in_one_message(investors: FuzzyLookupExtractor) -> None:
    found = values(investors, "did cisco, ibm and general catalyst invest?")
    assert found == [("investor", "Cisco"), ("investor", "IBM"),
                     ("investor", "General Catalyst")]


@pytest.mark.parametrize("text", [
    "did google invest in mistral",
    "is apple an investor",
    "we went to the disco",          # one letter from "cisco"
    "the media loves mistral",       # close to "nvidia"? it must not be
    "I bet it goes at light speed",  # "light speed" is not "lightspeed"
    "general knowledge about the company",
    "a generic catalog",
    "big tech money",
    "how much did revenue grow",
    "who are the investors",
    "ibmx asmr",                     # short tokens must match exactly
    "nviiddiaa",                     # long enough, but three edits away
    "the sico kid",                  # four letters: exact only ("cisco" is five)
    "general catalog",               # a common English word is never a typo
    "what is mistral ai",
    "",
    "!!! ??? ...",
])
def test_ordinary_words_are_not_entities(investors: FuzzyLookupExtractor, text: str) -> None:
    assert values(investors, text) == []


def test_common_english_words_never_resolve_to_an_entity(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yml"
    kb.write_text(
        'version: "3.1"\nnlu:\n- lookup: brand\n  examples: |\n    - Hause\n'
        "    - Moustache\n    - Nivea Plus\n", encoding="utf-8")
    extractor = FuzzyLookupExtractor(load_knowledge_base(kb))
    # "house" and "mustache" are one edit away, but they are English words
    assert values(extractor, "a house with a mustache") == []
    # a made-up word one edit away is a typo; an exact element always counts
    assert values(extractor, "do you sell moustashe") == [("brand", "Moustache")]
    assert values(extractor, "hause") == [("brand", "Hause")]
    # every word of a phrase is held to its own budget
    assert values(extractor, "niveo plus") == [("brand", "Nivea Plus")]
    assert values(extractor, "nivea plush") == []


def test_near_match_confidence_falls_with_the_edits(investors: FuzzyLookupExtractor) -> None:
    [one] = investors.extract("nvdia")
    [exact] = investors.extract("nvidia")
    assert exact.confidence == 1.0
    assert 0.5 < one.confidence < 1.0


def test_huge_and_binary_input_do_not_crash(investors: FuzzyLookupExtractor) -> None:
    huge = "did nvidia invest " * 2000
    assert len(investors.extract(huge)) == 2000
    assert investors.extract("\x00\x01\xff nvidia \ud800")[0].value == "Nvidia"


def test_shipped_kb_loads_with_the_actions_file() -> None:
    kb = load_knowledge_base(REPO / "intents")
    for intent, action in [("ask_invested", "action_check_investor"),
                           ("ask_investors_list", "action_list_investors"),
                           ("ask_revenue_growth", "action_revenue_growth")]:
        assert kb.actions_for(intent) == (action,)
        assert len(kb.intents[intent].examples) >= 10
    assert any(t.name == "investor" for t in kb.lookups)
