"""The knowledge base and the engine's own lists hold none of the evaluation sets' wording.

``../shared/data`` holds questions written the way people type them (the dev questions
about the seed, and cases for articles the compiler has never seen). They measure the
mechanisms: a phrasing copied from them into an example, a word list or a rule would
raise the figures without making the bot understand anyone better. This test reads every
training example the shipped knowledge base has, every line of the engine's YAML data and
every string literal of the code (docstrings aside), and fails on one that is the same
question as an evaluation-set question of four words or more, give or take a few letters.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process

from bot.kb.loader import load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SETS = [DATA / "mistral_questions" / "dev.yml", *sorted((DATA / "articles").glob("*_cases.yml"))]
MIN_WORDS = 4
SAME_QUESTION = 92  # rapidfuzz ratio of the normalised texts


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def _questions() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in SETS:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for conversation in document.get("conversations") or []:
            for turn in conversation.get("turns") or []:
                text = _normal(str(turn.get("text") or ""))
                if len(text.split()) >= MIN_WORDS:
                    found.setdefault(text, path.name)
    return found


def _code_strings() -> list[tuple[str, str]]:
    """String literals of ``bot/``, without docstrings, with where they are."""
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings):
                found.append((node.value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def _data_lines() -> list[tuple[str, str]]:
    """Lines of the engine's YAML data files, with where they are."""
    found = []
    for path in sorted((ROOT / "bot").rglob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found.append((line, f"{path.relative_to(ROOT)}:{number}"))
    return found


def _examples() -> list[tuple[str, str]]:
    kb = load_knowledge_base(ROOT / "intents")
    return [(example.text, f"intents/ ({name})")
            for name, intent in kb.intents.items() for example in intent.examples]


@pytest.mark.skipif(not all(p.exists() for p in SETS[:1]),
                    reason="the evaluation sets (../shared/data) are not beside the project")
def test_no_evaluation_question_is_copied():
    questions = _questions()
    choices = list(questions)
    copies = []
    for text, where in [*_examples(), *_data_lines(), *_code_strings()]:
        for piece in re.split(r"[\"\n|]", text):
            normal = _normal(piece)
            if len(normal.split()) < MIN_WORDS:
                continue
            match = process.extractOne(normal, choices, scorer=fuzz.ratio,
                                       score_cutoff=SAME_QUESTION)
            if match is not None:
                copies.append(f"{where}: {piece.strip()!r} repeats {match[0]!r} "
                              f"({questions[match[0]]})")
    assert not copies, "evaluation-set wording in the project:\n" + "\n".join(copies)
