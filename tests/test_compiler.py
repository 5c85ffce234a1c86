"""Tests for ``faqbot compile``: parsing, examples, YAML output, merging, bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.compiler.document import DocumentError, parse_markdown, parse_text, read_document
from bot.compiler.pipeline import CompileError, compile_seeds
from bot.compiler.segment import find_subject
from bot.compiler.writer import GENERATED_MARK
from bot.config import BotConfig
from bot.dialog.engine import Engine, build_brain
from bot.kb.loader import load_knowledge_base
from bot.kb.model import FALLBACK_INTENT

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "seeds"
WEBB = FIXTURES / "webb_telescope.md"
LIGHTHOUSE = FIXTURES / "lighthouse_article.txt"
MISTRAL_SEED = ROOT / "seeds" / "mistral_ai.md"

ARTICLE = """A guide to the Orbital Bakery
Original reporting by Pastry News

The Orbital Bakery is a small bakery in Lyon that sells "moon bread" to cafes.
Its founder, Claire Dubois, opened the first shop in 2019 with a loan of $50,000.
CEO Jane Roe wants to open ten more shops across France by 2030.
Frequently asked questions
- Does the Orbital Bakery deliver?
- Yes, it delivers across Lyon every morning.
- Is the bread organic?
- All flour comes from organic farms near the city.
"""

MARKDOWN = """# The Orbital Bakery

Source: Pastry News, "A guide to the Orbital Bakery".

## Founder {#founder}

Claire Dubois is the founder and chief baker.

### Her training

Claire Dubois trained in Paris for ten years.

## Prices

A loaf of moon bread costs $6.

## FAQ

### Does the bakery deliver?

Yes, every morning across Lyon.
"""


def _engine(kb_dir: Path) -> Engine:
    return Engine(build_brain(load_knowledge_base(kb_dir)), BotConfig())


# -- parsing --------------------------------------------------------------------------
def test_parse_text_article_shape() -> None:
    doc = parse_text(ARTICLE)
    assert doc.title == "A guide to the Orbital Bakery"
    assert doc.source == "Pastry News"
    assert len(doc.sections) == 3
    assert [q.question for q in doc.faq] == [
        "Does the Orbital Bakery deliver?", "Is the bread organic?"]
    assert doc.faq[1].answer.startswith("All flour")


def test_parse_markdown_sections_keys_and_faq() -> None:
    doc = parse_markdown(MARKDOWN)
    assert doc.title == "The Orbital Bakery"
    assert doc.source == "Pastry News"
    headings = [(s.heading, s.key, s.level) for s in doc.sections]
    assert headings == [("Founder", "founder", 2), ("Her training", None, 3),
                        ("Prices", None, 2)]
    assert doc.sections[1].parent == 0
    assert [(q.question, q.answer) for q in doc.faq] == [
        ("Does the bakery deliver?", "Yes, every morning across Lyon.")]


def test_reference_article_parses(tmp_path: Path) -> None:
    doc = read_document(LIGHTHOUSE)
    assert doc.source == "Coastal Heritage Weekly"
    assert len(doc.faq) == 2
    assert find_subject(doc).name.startswith("Cordouan")


def test_compile_is_deterministic_and_valid(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    compile_seeds([WEBB, LIGHTHOUSE], first, curated_dirs=[])
    compile_seeds([WEBB, LIGHTHOUSE], second, curated_dirs=[])
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()
        text = (first / name).read_text(encoding="utf-8")
        assert text.startswith(GENERATED_MARK)
        assert yaml.safe_load(text)["version"] == "3.1"
    kb = load_knowledge_base(first)
    assert "source" in kb.intents and "help" in kb.intents
    assert "utter_default" in kb.responses
    for name in kb.intents:
        assert kb.actions_for(name), f"{name} has no answer"
        assert len(kb.intents[name].examples) >= 2, name
    assert "Coastal Heritage Weekly" in kb.responses["utter_source"].variants[0].text


def test_no_example_belongs_to_two_intents(tmp_path: Path) -> None:
    compile_seeds([MISTRAL_SEED], tmp_path / "out", curated_dirs=[])
    kb = load_knowledge_base(tmp_path / "out")
    owners: dict[str, str] = {}
    for name, intent in kb.intents.items():
        for example in intent.examples:
            assert owners.setdefault(example.text, name) == name, example.text


def test_unseen_markdown_document_answers_paraphrases_and_refuses(tmp_path: Path) -> None:
    compile_seeds([WEBB], tmp_path / "kb", curated_dirs=[])
    engine = _engine(tmp_path / "kb")
    expected = {
        "when did webb launch": "fact_launch",
        "how big is webb's mirror": "fact_primary_mirror",
        "how much did the telescope cost": "fact_cost",
        "who are the partners of the telescope": "fact_partners",
        "what does the telescope look at": "faq/look",
        "how long does the mission last": "faq/long_mission_last",
        "where did you get this information": "source",
    }
    for question, intent in expected.items():  # ranked first (the confidence is the matcher's)
        turn = engine.handle("t", question)
        assert turn.parse.intent_ranking[0].name == intent, (question,
                                                             turn.parse.intent_ranking[:3])
    for question in ("what is the capital of peru", "how do i bake sourdough bread",
                     "who won the football match yesterday"):
        turn = engine.handle("t", question)
        assert turn.parse.intent.name == FALLBACK_INTENT, (question, turn.parse.intent)


def test_unseen_text_article_answers_its_faq(tmp_path: Path) -> None:
    compile_seeds([LIGHTHOUSE], tmp_path / "kb", curated_dirs=[])
    engine = _engine(tmp_path / "kb")
    turn = engine.handle("t", "who designed the lighthouse")
    assert turn.parse.intent.name == "faq/designed_lighthouse"
    assert "Louis de Foix" in turn.responses[0].text
    turn = engine.handle("t", "can i visit the cordouan lighthouse")
    assert turn.parse.intent.name == "faq/visit_lighthouse"
    assert engine.handle("t", "what is the price of bitcoin").parse.intent.name == (
        FALLBACK_INTENT)


# -- merging with curated files -------------------------------------------------------
def _curated(tmp_path: Path) -> Path:
    curated = tmp_path / "intents" / "curated"
    curated.mkdir(parents=True)
    (curated / "mine.yml").write_text(
        "# my own file\n"
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: fact_cost\n"
        "  metadata:\n"
        "    title: Price tag\n"
        "  examples: |\n"
        "    - how expensive was webb\n"
        "    - cost\n"
        "responses:\n"
        "  utter_fact_cost:\n"
        "  - text: Roughly ten billion dollars.\n",
        encoding="utf-8",
    )
    return curated


def test_curated_answers_examples_and_metadata_win(tmp_path: Path) -> None:
    curated = _curated(tmp_path)
    before = (curated / "mine.yml").read_bytes()
    out = tmp_path / "intents" / "generated"
    result = compile_seeds([WEBB], out)  # curated folder found next to --out
    assert "utter_fact_cost" in result.skipped_responses
    assert (curated / "mine.yml").read_bytes() == before
    generated = yaml.safe_load((out / "webb_telescope.nlu.yml").read_text())
    cost = next(i for i in generated["nlu"] if i.get("intent") == "fact_cost")
    assert "title" not in cost.get("metadata", {})
    assert "- cost\n" not in cost["examples"]
    responses = yaml.safe_load((out / "webb_telescope.responses.yml").read_text())
    assert "utter_fact_cost" not in responses["responses"]
    kb = load_knowledge_base(tmp_path / "intents")
    assert kb.responses["utter_fact_cost"].variants[0].text == "Roughly ten billion dollars."
    assert kb.intents["fact_cost"].metadata["title"] == "Price tag"
    texts = [e.text for e in kb.intents["fact_cost"].examples]
    assert "how expensive was webb" in texts and "how much cost" in texts


def test_topic_questions_yield_to_curated_phrasings_of_the_intent(tmp_path: Path) -> None:
    seed = tmp_path / "bakery.txt"
    seed.write_text(ARTICLE.replace("Frequently asked", "The bakery's revenue reached $900,000 "
                                    "in 2023.\nFrequently asked"), encoding="utf-8")
    alone = tmp_path / "alone"
    compile_seeds([seed], alone, curated_dirs=[])
    examples = load_knowledge_base(alone).intents["fact_revenue"].examples
    assert "what are bakery's sales" in [e.text for e in examples]
    curated = tmp_path / "intents" / "curated"
    curated.mkdir(parents=True)
    (curated / "mine.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: fact_revenue\n  examples: |\n'
        "    - what do the shops take in a year\n", encoding="utf-8")
    out = tmp_path / "intents" / "generated"
    compile_seeds([seed], out)
    generated = (out / "bakery.nlu.yml").read_text(encoding="utf-8")
    assert "what are bakery's sales" not in generated  # the maintainer's wording rules
    assert "revenue" in generated  # what the article itself says is still asked


def test_a_topic_goes_to_the_entry_whose_title_asks_about_it(tmp_path: Path) -> None:
    compile_seeds([LIGHTHOUSE, WEBB], tmp_path / "kb", curated_dirs=[])
    kb = load_knowledge_base(tmp_path / "kb")
    owners = {name for name, intent in kb.intents.items()
              for example in intent.examples if example.text == "when can i visit"}
    assert owners == {"faq/visit_lighthouse"}  # not the fact that also mentions visitors
    partners = [e.text for e in kb.intents["fact_partners"].examples]
    assert "who does webb partner with" in partners


def test_never_overwrites_files_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "webb_telescope.nlu.yml"
    mine.write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    with pytest.raises(CompileError, match="refusing to overwrite"):
        compile_seeds([WEBB], out, curated_dirs=[])
    assert mine.read_text(encoding="utf-8") == 'version: "3.1"\nnlu: []\n'
    compile_seeds([WEBB], out, curated_dirs=[], force=True)
    assert mine.read_text(encoding="utf-8").startswith(GENERATED_MARK)


def test_stale_generated_files_are_removed_but_not_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    compile_seeds([WEBB, LIGHTHOUSE], out, curated_dirs=[])
    keep = out / "notes.yml"
    keep.write_text('version: "3.1"\n', encoding="utf-8")
    result = compile_seeds([WEBB], out, curated_dirs=[])
    assert {p.name for p in result.removed} == {"lighthouse_article.nlu.yml",
                                                 "lighthouse_article.responses.yml"}
    assert keep.exists()


def test_broken_curated_file_stops_the_compile(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    curated.mkdir()
    (curated / "bad.yml").write_text("nlu:\n- intent: x\n  examples: [oops\n")
    with pytest.raises(CompileError, match="curated files do not load"):
        compile_seeds([WEBB], tmp_path / "out", curated_dirs=[curated])


# -- bad input ------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    (b"", "empty document"),
    (b"   \n\n  ", "empty document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary content"),
    (b"\xff\xfe\xfa bad utf8", "not UTF-8"),
    (b"Just a title line\n", "no paragraphs or questions"),
])
def test_bad_documents_get_clear_errors(tmp_path: Path, content: bytes | None,
                                        message: str) -> None:
    seed = tmp_path / "seed.txt"
    if content is not None:
        seed.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        read_document(seed)
    with pytest.raises(CompileError, match=message):
        compile_seeds([seed], tmp_path / "out", curated_dirs=[])
    assert not (tmp_path / "out").exists()


def test_document_without_faq_still_compiles(tmp_path: Path) -> None:
    seed = tmp_path / "nofaq.md"
    seed.write_text("# Tea\n\n## Origin\n\nTea comes from China.\n\n## Caffeine\n\n"
                    "A cup of black tea holds about 47 mg of caffeine.\n", encoding="utf-8")
    compile_seeds([seed], tmp_path / "out", curated_dirs=[])
    kb = load_knowledge_base(tmp_path / "out")
    assert {"fact_origin", "fact_caffeine", "help"} <= set(kb.intents)
    assert not any(name.startswith("faq/") for name in kb.intents)
    assert "source" not in kb.intents  # the document names no source


def test_cli_compile_and_errors(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "bot", "compile"]
    ok = subprocess.run([*run, str(WEBB), "--out", str(tmp_path / "kb"), "--no-curated"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "intents" in ok.stdout
    load_knowledge_base(tmp_path / "kb")
    missing = subprocess.run([*run, str(tmp_path / "nope.md"), "--out", str(tmp_path / "x")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr and "Traceback" not in missing.stderr


def test_shipped_generated_files_are_up_to_date(tmp_path: Path) -> None:
    """``intents/generated`` is what compiling ``seeds/`` with ``intents/curated`` gives."""
    out = tmp_path / "generated"
    compile_seeds(sorted((ROOT / "seeds").glob("*.md")), out,
                  curated_dirs=[ROOT / "intents" / "curated"])
    shipped = ROOT / "intents" / "generated"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in shipped.iterdir())
    for path in out.iterdir():
        assert path.read_text() == (shipped / path.name).read_text(), (
            f"{path.name} is stale: run faqbot compile seeds/*.md --out intents/generated")


def test_faq_items_without_question_marks_alternate() -> None:
    doc = parse_text("Title\nA paragraph.\nFrequently asked questions\n- Who made it\n"
                     "- Ann did.\n- Where\n- In Rome.\n")
    assert [(q.question, q.answer) for q in doc.faq] == [("Who made it", "Ann did."),
                                                          ("Where", "In Rome.")]


def test_markdown_faq_as_a_list_and_multi_line_answers() -> None:
    doc = parse_markdown("# T\n\n## Alpha\n\nAlpha text.\n\n## FAQ\n\nSome intro.\n\n"
                         "- Is it good?\n- Yes it is.\n  Really good.\n- Is it cheap?\n"
                         "- No.\n")
    assert [(q.question, q.answer) for q in doc.faq] == [
        ("Is it good?", "Yes it is. Really good."), ("Is it cheap?", "No.")]
    assert [s.heading for s in doc.sections] == ["Alpha"]


def test_subject_aliases_become_synonyms(tmp_path: Path) -> None:
    compile_seeds([WEBB], tmp_path / "kb", curated_dirs=[])
    kb = load_knowledge_base(tmp_path / "kb")
    webb = [s for s in kb.synonyms if s.value == "webb"]
    assert webb and "james webb space telescope" in webb[0].examples
    # a common word is never read as the subject's name
    assert not {"telescope", "the telescope"} & set(webb[0].examples)


def test_reference_article_answers_chat_paraphrases_and_refuses_near_misses(
        tmp_path: Path) -> None:
    article = Path("/work/shared/seeds/000_053741f1b8a21a75.txt")
    if not article.is_file():
        pytest.skip("the reference article is not available")
    compile_seeds([article], tmp_path / "kb", curated_dirs=[])
    engine = _engine(tmp_path / "kb")
    funding = "faq/funding_raised_major_investors"
    expected = {
        "how much money did mistral raise": funding,
        "how much did they raise": funding,
        "who invested": funding,
        "who are the investors": funding,
        "what models do they make": "faq/types_ai_models_develop",
        "what kind of models": "faq/types_ai_models_develop",
    }
    for question, intent in expected.items():  # ranked first (the confidence is the matcher's)
        turn = engine.handle("t", question)
        assert turn.parse.intent_ranking[0].name == intent, (question,
                                                             turn.parse.intent_ranking[:3])
    for question in ("when was mistral founded", "who invested in openai",
                     "what models does openai make", "what is the capital of peru"):
        turn = engine.handle("t", question)
        assert turn.parse.intent.name == FALLBACK_INTENT, (question, turn.parse.intent)


@pytest.mark.parametrize("paragraph, expected", [
    ("The Palantir Playbook This involves deploying engineers.",
     ("The Palantir Playbook", "This involves deploying engineers.")),
    ("Funding and Investors In 2024 the company raised money.",
     ("Funding and Investors", "In 2024 the company raised money.")),
    ("CEO Arthur Mensch champions a grand vision.", None),
    ("Mistral AI is a French company.", None),
    ("In Paris The mayor spoke.", None),
    ("The company This is odd.", None),
])
def test_run_in_heading_is_split_from_its_paragraph(paragraph, expected) -> None:
    from bot.compiler.document import split_run_in_heading

    assert split_run_in_heading(paragraph) == expected


def test_reference_article_run_in_heading_and_phrasings(tmp_path: Path) -> None:
    article = Path("/work/shared/seeds/000_053741f1b8a21a75.txt")
    if not article.is_file():
        pytest.skip("the reference article is not available")
    compile_seeds([article], tmp_path / "kb", curated_dirs=[])
    kb = load_knowledge_base(tmp_path / "kb")
    texts = [v.text for r in kb.responses.values() for v in r.variants]
    assert not any(t.startswith("The Palantir Playbook This") for t in texts)
    assert any(t.startswith("The Palantir Playbook involves") for t in texts)
    examples = {x.text for i in kb.intents.values() for x in i.examples}
    for clumsy in ("what is the french", "mistral about mistral ai",
                   "what is the about mistral ai", "what is the europe",
                   "what are the decentralizes", "palantir playbook this"):
        assert clumsy not in examples

