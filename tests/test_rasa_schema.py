"""The knowledge base's files against Rasa 3.x's OWN schemas (fetched at set-up, not here).

``scripts/fetch_rasa_schemas.sh`` (run by the set-up) extracts the schema files from the
``rasa`` wheel and installs pykwalify; this module never downloads anything. Without them
the tests are skipped on a developer machine and fail under CI, where the set-up ran.
"""

import os

import pytest
from maintenance_helpers import SHIPPED, write_sample_kb

from bot.kb.loader import find_yaml_files
from bot.kb.rasa_schema import (
    RasaSchemasUnavailableError,
    find_rasa_schemas,
    schemas_for,
    validate_with_rasa,
)


@pytest.fixture(scope="module")
def schemas():
    try:
        return find_rasa_schemas()
    except RasaSchemasUnavailableError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"set-up incomplete: {exc}")
        pytest.skip(str(exc))


def test_schemas_are_rasa_3(schemas):
    assert schemas.version.startswith("3.")
    nlu_schema = (schemas.directory / "nlu.yml").read_text(encoding="utf-8")
    assert "nlu:" in nlu_schema and "examples" in nlu_schema


def test_shipped_knowledge_base_passes_rasa_schemas(schemas):
    files = find_yaml_files(SHIPPED) if SHIPPED.is_dir() else []
    if not files:
        pytest.skip("no shipped knowledge base in intents/ yet")
    problems = [p for f in files for p in validate_with_rasa(f, schemas)]
    assert problems == [], "\n".join(str(p) for p in problems)


def test_sample_passes_and_broken_files_fail_with_lines(schemas, tmp_path):
    kb = write_sample_kb(tmp_path / "kb")
    for file in find_yaml_files(kb):
        assert validate_with_rasa(file, schemas) == []
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "version: 3.1\n"
        "nlu:\n"
        "- intent: greet\n"
        "  exampels: |\n"
        "    - hi\n"
        "responses:\n"
        "  utter_greet:\n"
        "  - txt: hello\n"
        "rules:\n"
        "- rule: r\n"
        "  stepz:\n"
        "  - intent: greet\n",
        encoding="utf-8",
    )
    problems = validate_with_rasa(broken, schemas)
    messages = "\n".join(str(p) for p in problems)
    assert "Value '3.1' is not of type 'str'" in messages
    assert any("exampels" in p.message and p.source.line == 4 for p in problems), messages
    assert any("txt" in p.message and p.source.line == 8 for p in problems), messages
    assert any("stepz" in p.message and p.source.line == 11 for p in problems), messages


def test_yaml_syntax_error_is_located(schemas, tmp_path):
    broken = tmp_path / "syntax.yml"
    broken.write_text("nlu:\n- intent: a\n  examples: [\n", encoding="utf-8")
    (problem,) = validate_with_rasa(broken, schemas)
    assert problem.source.line >= 3 and "YAML" in problem.message


def test_files_are_checked_like_rasa_picks_readers():
    assert schemas_for({"nlu": []}) == ["nlu.yml"]
    assert schemas_for({"responses": {}}) == ["nlu.yml"]
    assert schemas_for({"rules": [], "nlu": []}) == ["nlu.yml", "stories.yml"]
    assert schemas_for({"intents": [], "responses": {}}) == ["nlu.yml", "domain.yml"]
