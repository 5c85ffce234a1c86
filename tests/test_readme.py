"""The README shows what the bot really does.

Every transcript in the README (a ```text block whose first line runs ``make chat`` or
``faqbot console``) is replayed through the real console subprocess, and the bot's replies
must be the ones shown; the README's headline figures must be what benchmarks/run_all.py
writes from the benchmarks/RESULTS.md in the tree; its links must lead somewhere.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
TIMEOUT = 120
MAX_LINES = 250
_BLOCK = re.compile(r"^```text\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
_CONSOLE = re.compile(r"^\$ (?:make chat|(?:\.venv/bin/)?faqbot console)\s*$")


@dataclass(frozen=True)
class Transcript:
    """A console session as the README shows it."""

    line: int
    shown: str

    @property
    def questions(self) -> list[str]:
        return [line[len("you> "):] for line in self.shown.splitlines()
                if line.startswith("you> ")]


def transcripts(text: str) -> list[Transcript]:
    found = []
    for match in _BLOCK.finditer(text):
        first, _, rest = match.group("body").partition("\n")
        if _CONSOLE.match(first):
            found.append(Transcript(text[:match.start()].count("\n") + 1, rest))
    return found


def words(text: str) -> str:
    """The text with line wrapping undone: the README wraps, piped output does not."""
    return " ".join(text.split())


def replay(questions: list[str], tmp_path: Path) -> str:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "FAQBOT_INTENTS", "FAQBOT_HISTORY")}
    env.update(HOME=str(tmp_path), FAQBOT_DATA_DIR=str(tmp_path / "data"),
               PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "bot", "console",
                           "--intents", str(REPO / "intents")],
                          input="".join(q + "\n" for q in questions), capture_output=True,
                          text=True, timeout=TIMEOUT, env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def turns(transcript: str) -> list[str]:
    """Split a transcript at each ``you>`` line: the banner, then one chunk per turn."""
    return [words(chunk) for chunk in re.split(r"^(?=you> )", transcript, flags=re.MULTILINE)]


README_TEXT = README.read_text(encoding="utf-8")


@pytest.mark.parametrize("transcript", transcripts(README_TEXT),
                         ids=lambda t: f"README.md:{t.line}")
def test_readme_transcript_is_what_the_bot_says(transcript: Transcript, tmp_path) -> None:
    assert transcript.questions, "a transcript with no question"
    shown = turns(transcript.shown)
    said = turns(replay(transcript.questions, tmp_path))
    for expected, actual in zip(shown, said, strict=True):
        assert actual == expected, (
            f"README.md line {transcript.line}: the bot now says\n{actual}\ninstead of\n"
            f"{expected}\n(update the README's transcript if the change is wanted)")


def test_readme_has_a_transcript() -> None:
    assert transcripts(README_TEXT)


def test_headline_figures_are_the_ones_run_all_writes() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import headline
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    results = REPO / "benchmarks" / "RESULTS.md"
    expected = headline.render(results.read_text(encoding="utf-8")
                               if results.is_file() else None)
    assert headline.current_block(README_TEXT) == expected, (
        "the README's headline figures differ from benchmarks/RESULTS.md: run "
        "`make bench` (it rewrites both), never edit the figures by hand")


def test_readme_is_short_and_its_links_lead_somewhere() -> None:
    assert len(README_TEXT.splitlines()) <= MAX_LINES
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", README_TEXT):
        if "://" in target:
            continue
        assert (REPO / target).exists(), f"README.md links to {target}, which is missing"
