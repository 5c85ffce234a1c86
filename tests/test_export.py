"""``faqbot export rasa DIR``: a Rasa 3.x project that Rasa's own schemas accept, complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from isolated_actions import BLOCKED, run_isolated
from maintenance_helpers import SHIPPED, write_sample_kb

from bot.action_client.endpoints import load_endpoints
from bot.config import NluConfig, load_config
from bot.export.data import copy_data
from bot.export.project import ExportError, export_rasa_project
from bot.kb.errors import KnowledgeBaseError
from bot.kb.loader import find_yaml_files, load_knowledge_base
from bot.kb.model import KnowledgeBase, Response, ResponseVariant, SourceRef
from bot.kb.rasa_schema import RasaSchemasUnavailableError, find_rasa_schemas, validate_with_rasa
from bot.kb.validate import ENGINE_RESPONSES

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def schemas():
    try:
        return find_rasa_schemas()
    except RasaSchemasUnavailableError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"set-up incomplete: {exc}")
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("rasa") / "project"
    export_rasa_project(SHIPPED, directory, load_config().nlu)
    return directory


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class Project:
    """What a Rasa project's files say, read back from disk the way Rasa combines them."""

    def __init__(self, directory: Path) -> None:
        self.domain = read(directory / "domain.yml")
        self.intents: set[str] = set()
        self.responses: set[str] = set()
        self.rules: list[tuple[str, list[str]]] = []
        for file in find_yaml_files(directory / "data"):
            document = read(file) or {}
            for block in document.get("nlu") or []:
                if "intent" in block:
                    self.intents.add(block["intent"])
            self.responses |= set(document.get("responses") or {})
            for rule in document.get("rules") or []:
                steps = rule["steps"]
                intents = [s["intent"] for s in steps if "intent" in s]
                self.rules.append((intents[0], [s["action"] for s in steps if "action" in s]))
        self.ruled_intents = {intent for intent, _ in self.rules}
        self.uttered = {action for _, actions in self.rules for action in actions}


def test_project_has_every_file_rasa_needs(tmp_path: Path) -> None:
    report = export_rasa_project(SHIPPED, tmp_path, NluConfig())
    for name in ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml",
                 "data/rules.yml", "actions/__init__.py", "actions/facts.yml"):
        assert name in report.files and (tmp_path / name).is_file(), name
    assert {c.source.resolve() for c in report.data} == set(find_yaml_files(SHIPPED))
    for copied in report.data:
        assert copied.target == tmp_path / "data" / copied.source.relative_to(SHIPPED)
        if not copied.dropped:
            assert copied.target.read_bytes() == copied.source.read_bytes(), (
                "data/ holds the YAML as it is")


def test_exported_files_pass_rasas_own_schemas(exported: Path, schemas) -> None:
    files = [exported / "domain.yml", *find_yaml_files(exported / "data")]
    problems = [p for f in files for p in validate_with_rasa(f, schemas)]
    assert problems == [], "\n".join(str(p) for p in problems)


def test_every_intent_and_response_is_referenced(exported: Path) -> None:
    project = Project(exported)
    domain_intents = set(project.domain["intents"])
    groups = {name.split("/", 1)[0] for name in project.intents}
    assert groups == domain_intents, "the domain lists each intent (faq/* once, as faq)"
    assert domain_intents <= project.ruled_intents, domain_intents - project.ruled_intents
    assert ("nlu_fallback", ["utter_default"]) in project.rules
    # Responses faqbot's engine says by name (the near-miss and rephrase refusals) have no
    # rule in Rasa, which simply leaves them unused.
    unreferenced = {r for r in project.responses
                    if r not in project.uttered and r.split("/", 1)[0] not in project.uttered
                    and r not in ENGINE_RESPONSES}
    assert unreferenced == set()
    for _, actions in project.rules:
        for action in actions:
            known = (action in project.responses or action in project.domain["actions"]
                     or any(r.startswith(action + "/") for r in project.responses))
            assert known, f"rule action {action} is neither a response nor a domain action"


def test_domain_declares_entities_slots_actions_and_session(exported: Path) -> None:
    domain = read(exported / "domain.yml")
    assert domain["version"] == "3.1"
    assert domain["entities"] == ["investor"]
    assert domain["slots"]["investor"]["mappings"] == [
        {"type": "from_entity", "entity": "investor"}]
    assert set(domain["actions"]) == {
        "action_check_investor", "action_list_investors", "action_revenue_growth"}
    assert domain["session_config"]["session_expiration_time"] > 0


def test_config_is_a_pipeline_with_faqbots_thresholds(tmp_path: Path) -> None:
    nlu = NluConfig(answer_threshold=0.6, ambiguity_threshold=0.2)
    export_rasa_project(SHIPPED, tmp_path / "p", nlu)
    config = read(tmp_path / "p" / "config.yml")
    names = [c["name"] for c in config["pipeline"]]
    assert names[0] == "WhitespaceTokenizer" and "DIETClassifier" in names
    assert {c.get("analyzer", "word") for c in config["pipeline"]
            if c["name"] == "CountVectorsFeaturizer"} == {"word", "char_wb"}
    (selector,) = [c for c in config["pipeline"] if c["name"] == "ResponseSelector"]
    assert selector["retrieval_intent"] == "faq"
    (fallback,) = [c for c in config["pipeline"] if c["name"] == "FallbackClassifier"]
    assert (fallback["threshold"], fallback["ambiguity_threshold"]) == (0.6, 0.2)
    assert [p["name"] for p in config["policies"]] == ["RulePolicy"]
    assert config["language"] == "en" and config["assistant_id"]


def test_endpoints_point_at_an_action_server(exported: Path) -> None:
    assert set(read(exported / "endpoints.yml")["action_endpoint"]) == {"url"}
    assert load_endpoints(exported / "endpoints.yml").url == "http://localhost:5055/webhook"
    assert "rest" in read(exported / "credentials.yml")


def test_exported_actions_run_without_faqbot(exported: Path) -> None:
    """``rasa run actions`` in the project imports ``actions``: no ``bot`` package needed."""
    result = run_isolated("actions", exported, blocked=(*BLOCKED, "bot"))
    assert result["loaded"] == []
    assert result["responses"][0]["text"].startswith("Yes.")


def test_a_small_knowledge_base_exports_too(tmp_path: Path, schemas) -> None:
    kb = write_sample_kb(tmp_path / "kb")
    export_rasa_project(kb, tmp_path / "p", NluConfig())
    project = Project(tmp_path / "p")
    assert set(project.domain["intents"]) <= project.ruled_intents
    problems = [p for f in [tmp_path / "p" / "domain.yml",
                            *find_yaml_files(tmp_path / "p" / "data")]
                for p in validate_with_rasa(f, schemas)]
    assert problems == [], "\n".join(str(p) for p in problems)


def test_a_curated_response_replaces_the_generated_one_in_data(tmp_path: Path) -> None:
    generated = tmp_path / "kb" / "generated" / "facts.responses.yml"
    curated = tmp_path / "kb" / "curated" / "answers.yml"
    generated.parent.mkdir(parents=True)
    curated.parent.mkdir(parents=True)
    generated.write_text(
        '# Generated: do not edit.\nversion: "3.1"\nresponses:\n'
        '  utter_fact_ceo:\n  - text: "Old answer."\n'
        '  utter_fact_revenue:  # kept\n  - text: "Revenue."\n', encoding="utf-8")
    curated.write_text('version: "3.1"\nresponses:\n  utter_fact_ceo:\n  - text: "New."\n',
                       encoding="utf-8")
    kb = KnowledgeBase(intents={}, responses={
        "utter_fact_ceo": Response("utter_fact_ceo", (ResponseVariant("New."),),
                                   SourceRef(str(curated), 4, 3)),
        "utter_fact_revenue": Response("utter_fact_revenue", (ResponseVariant("Revenue."),),
                                       SourceRef(str(generated), 6, 3)),
    }, files=(str(curated), str(generated)))
    copied = copy_data(kb, tmp_path / "kb", tmp_path / "data")
    assert [c.dropped for c in copied] == [(), ("utter_fact_ceo",)]
    text = (tmp_path / "data" / "generated" / "facts.responses.yml").read_text()
    assert "Old answer" not in text and "# Generated: do not edit." in text
    assert "# kept" in text and read(tmp_path / "data" / "generated" /
                                      "facts.responses.yml")["responses"] == {
        "utter_fact_revenue": [{"text": "Revenue."}]}
    assert (tmp_path / "data" / "curated" / "answers.yml").read_bytes() == curated.read_bytes()


def test_responses_only_faqbots_engine_says_are_left_out(tmp_path: Path) -> None:
    """A near-miss refusal said by name has no Rasa step: Rasa would warn it is unused."""
    kb = write_sample_kb(tmp_path / "kb")
    (kb / "refusals.yml").write_text(
        '# How the bot refuses.\nversion: "3.1"\nresponses:\n'
        '  utter_out_of_scope:\n  - text: "I know nothing about {words}."\n',
        encoding="utf-8")
    report = export_rasa_project(kb, tmp_path / "p", NluConfig())
    assert report.engine_only == ("utter_out_of_scope",) and report.unused_responses == ()
    copy = tmp_path / "p" / "data" / "refusals.yml"
    text = copy.read_text(encoding="utf-8")
    assert "utter_out_of_scope left out" in text and "# How the bot refuses." in text
    assert "responses" not in read(copy)
    assert "utter_out_of_scope" not in Project(tmp_path / "p").responses


def test_a_non_empty_directory_needs_force(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty; pass --force"):
        export_rasa_project(SHIPPED, tmp_path / "p", NluConfig())
    (tmp_path / "p" / "data").mkdir()
    (tmp_path / "p" / "data" / "stale.yml").write_text("nlu: []\n", encoding="utf-8")
    export_rasa_project(SHIPPED, tmp_path / "p", NluConfig(), force=True)
    assert not (tmp_path / "p" / "data" / "stale.yml").exists()
    assert (tmp_path / "p" / "notes.txt").read_text() == "mine"


def test_a_broken_knowledge_base_is_not_exported(tmp_path: Path) -> None:
    kb = write_sample_kb(tmp_path / "kb")
    broken = kb / "broken.yml"
    broken.write_text("nlu:\n- intent: a\n  examples: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="broken.yml"):
        export_rasa_project(kb, tmp_path / "p", NluConfig())
    assert not (tmp_path / "p").exists()


def test_command_line(tmp_path: Path) -> None:
    def faqbot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True,
                              text=True, timeout=120, check=False, cwd=tmp_path)

    done = faqbot("export", "rasa", "project", "--intents", str(SHIPPED))
    assert done.returncode == 0, done.stderr
    assert "rules added in data/rules.yml" in done.stdout and "rasa train" in done.stdout
    assert "warning" not in done.stdout
    again = faqbot("export", "rasa", "project", "--intents", str(SHIPPED))
    assert again.returncode == 2 and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    kb = load_knowledge_base(SHIPPED)
    assert len(read(tmp_path / "project" / "domain.yml")["intents"]) == len(
        {name.split("/", 1)[0] for name in kb.intents})


def test_a_curated_override_loaded_for_real_reaches_rasa_once(tmp_path: Path, schemas) -> None:
    """The loader lets a curated response win; the export leaves the generated one out."""
    kb = tmp_path / "kb"
    shutil.copytree(SHIPPED, kb)
    (kb / "curated" / "answers.yml").write_text(
        'version: "3.1"\nresponses:\n  utter_fact_ceo:\n'
        '  - text: "Mistral AI is led by Arthur Mensch."\n', encoding="utf-8")
    report = export_rasa_project(kb, tmp_path / "p", NluConfig())
    (copied,) = [c for c in report.data if "utter_fact_ceo" in c.dropped]
    assert copied.dropped == ("utter_fact_ceo",) and "generated" in copied.target.parts
    project = Project(tmp_path / "p")
    texts = [read(f).get("responses", {}).get("utter_fact_ceo")
             for f in find_yaml_files(tmp_path / "p" / "data")]
    assert [t for t in texts if t] == [[{"text": "Mistral AI is led by Arthur Mensch."}]]
    assert "utter_fact_ceo" in project.uttered
    problems = [p for p in validate_with_rasa(copied.target, schemas)]
    assert problems == [], "\n".join(str(p) for p in problems)
