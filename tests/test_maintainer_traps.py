"""Traps a new maintainer fell into, each checked the way they met it.

The Makefile (``make chat`` must not fetch Rasa's schemas), the console on a pipe (no
readline markers, no bare prompt at the end, history under ``$FAQBOT_DATA_DIR``), and the
``faqbot test`` summary (what is healthy, what needs a look).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from maintenance_helpers import write_sample_kb

from bot.adapters.console import history_path
from bot.evaluation.summary import summarize

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120


# -- Makefile ----------------------------------------------------------------------------
def make_dry_run(target: str, tmp_path: Path) -> str:
    """What ``make TARGET`` would run on a fresh checkout (no venv, no schemas yet)."""
    done = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}", "RASA_VERSION=0.0-absent"],
        cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_chat_does_not_fetch_rasa_but_make_test_does(tmp_path: Path) -> None:
    chat = make_dry_run("chat", tmp_path)
    assert "pip install" in chat and "bot console" in chat
    assert "fetch_rasa_schemas" not in chat and "rasa" not in chat.replace("rasa_sdk", "")
    assert "fetch_rasa_schemas" in make_dry_run("test", tmp_path)


# -- console on a pipe --------------------------------------------------------------------
def piped_console(tmp_path: Path, text: str, **env: str) -> subprocess.CompletedProcess:
    kb = write_sample_kb(tmp_path / "kb")
    child_env = {k: v for k, v in os.environ.items()
                 if k not in ("NO_COLOR", "FORCE_COLOR", "FAQBOT_HISTORY")}
    child_env.update(HOME=str(tmp_path / "home"), PYTHONPATH=str(REPO), **env)
    return subprocess.run([sys.executable, "-m", "bot", "console", "--intents", str(kb)],
                          input=text, capture_output=True, text=True, timeout=TIMEOUT,
                          env=child_env, check=False)


def test_forced_colour_on_a_pipe_has_no_readline_markers(tmp_path: Path) -> None:
    done = piped_console(tmp_path, "hello\n", FORCE_COLOR="1")
    assert done.returncode == 0, done.stderr
    assert "\x1b[" in done.stdout  # colour was asked for, and given
    assert "\x01" not in done.stdout and "\x02" not in done.stdout


def test_piped_output_is_a_transcript_without_a_bare_prompt(tmp_path: Path) -> None:
    done = piped_console(tmp_path, "hello\nhow much money has mistral raised\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert done.stdout.endswith("\n") and not lines[-1].startswith("you>")
    you = [line for line in lines if line.startswith("you> ")]
    assert you == ["you> hello", "you> how much money has mistral raised"]
    assert lines[lines.index("you> hello") + 1].startswith("bot> ")


def test_history_goes_under_the_data_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("FAQBOT_HISTORY", raising=False)
    monkeypatch.setenv("FAQBOT_DATA_DIR", str(tmp_path / "data"))
    assert history_path() == tmp_path / "data" / "console_history"
    monkeypatch.setenv("FAQBOT_HISTORY", str(tmp_path / "mine"))
    assert history_path() == tmp_path / "mine"
    monkeypatch.delenv("FAQBOT_HISTORY")
    monkeypatch.delenv("FAQBOT_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert history_path() == tmp_path / "home" / ".faqbot_history"


# -- faqbot test summary ------------------------------------------------------------------
@dataclass(frozen=True)
class Named:
    name: str


@dataclass(frozen=True)
class Result:
    passed: bool
    conversation: Named


@dataclass(frozen=True)
class Guess:
    text: str
    intent: str
    predicted: str


def test_a_passing_run_says_what_is_healthy_and_what_needs_a_look() -> None:
    guesses = (
        [Guess(f"hi {i}", "greet", "greet") for i in range(9)]
        + [Guess("yo", "greet", "nlu_fallback")]
        + [Guess(f"ceo {i}", "fact_ceo", "fact_ceo") for i in range(4)]
        + [Guess("who runs it", "fact_ceo", "fact_vision")]
        + [Guess(f"plan {i}", "fact_vision", "nlu_fallback") for i in range(3)]
        + [Guess("vision", "fact_vision", "fact_vision")]
    )
    summary = summarize([Result(True, Named("greets"))] * 3, guesses)
    text = "\n".join(summary.lines())
    assert summary.heldout.total == 19 and summary.heldout.wrong == 1
    assert summary.heldout.asked_back == 4 and summary.heldout.right == 14
    assert "+ all 3 conversation tests pass" in text
    assert "1 of 3 intents are never confused" in text  # greet
    assert "fact_ceo -> fact_vision (1, e.g. 'who runs it')" in text
    assert "fact_vision (1 of 4)" in text
    assert "accuracy" not in text and "failing" not in text


def test_a_clean_run_needs_nothing_and_a_failing_one_says_which() -> None:
    guesses = [Guess(f"hi {i}", "greet", "greet") for i in range(5)]
    clean = "\n".join(summarize([Result(True, Named("a"))], guesses).lines())
    assert "no hidden phrasing got another intent's answer" in clean
    assert "Needs a look: nothing." in clean
    failing = summarize([Result(True, Named("a")), Result(False, Named("funding"))], None)
    assert failing.needs_look == (
        "1 of 2 conversation tests fail: funding (details above)",)
    assert failing.healthy == ()
