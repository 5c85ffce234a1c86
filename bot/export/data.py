"""Copy the knowledge base's YAML files into the Rasa project's ``data/`` folder.

Rasa reads the files as they are (``nlu``, ``responses``, ``rules``, synonyms, lookup
tables, intent ``metadata``), so each file is copied byte for byte, with two kinds of
response left out (comments and the rest of the file kept, a comment saying why):

- a generated response that a curated one overrides: faqbot resolves that at load time,
  Rasa would see two definitions;
- a response only faqbot's engine says by name (a near-miss refusal, a request to
  rephrase) that no rule utters: Rasa has no such step and would warn that it is unused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from bot.kb.model import KnowledgeBase


@dataclass(frozen=True)
class CopiedFile:
    """One knowledge-base file in ``data/``.

    Attributes:
        source: The knowledge-base file.
        target: Where it was written.
        dropped: Responses left out (another file's definition wins, or nothing in Rasa
            would say them).
    """

    source: Path
    target: Path
    dropped: tuple[str, ...] = ()


def _same_file(first: str | Path, second: str | Path) -> bool:
    return Path(first).resolve() == Path(second).resolve()


def overridden_responses(kb: KnowledgeBase, file: Path, names: list[str]) -> list[str]:
    """Return those of ``names`` defined in ``file`` whose winning definition is elsewhere."""
    lost = []
    for name in names:
        response = kb.responses.get(name)
        if response is not None and response.source is not None and not _same_file(
                response.source.path, file):
            lost.append(name)
    return lost


def _without_responses(text: str, reasons: dict[str, str]) -> str:
    """Return the YAML ``text`` without the responses named in ``reasons``, comments kept."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    document = yaml.load(text)
    responses = document["responses"]
    for name in reasons:
        del responses[name]
    if not responses:
        del document["responses"]
    out = io.StringIO()
    yaml.dump(document, out)
    note = "".join(f"# faqbot export: {name} left out, {why}\n" for name, why in reasons.items())
    return note + out.getvalue()


def _response_names(text: str) -> list[str]:
    from ruamel.yaml import YAML

    document = YAML(typ="safe", pure=True).load(text)
    responses = document.get("responses") if isinstance(document, dict) else None
    return list(responses) if isinstance(responses, dict) else []


OVERRIDDEN = "a curated definition wins"
ENGINE_ONLY = "faqbot's engine says it by name; Rasa has no such step"


def copy_data(kb: KnowledgeBase, root: Path, data_dir: Path,
              leave_out: frozenset[str] = frozenset()) -> list[CopiedFile]:
    """Copy every file of the knowledge base under ``data_dir``, keeping relative paths.

    Args:
        kb: The knowledge base loaded from ``root``.
        root: Its directory (or single file).
        data_dir: The project's ``data/`` folder.
        leave_out: Responses nothing in the Rasa project would say.

    Returns:
        One :class:`CopiedFile` per file, in the knowledge base's order.
    """
    copied = []
    base = root if root.is_dir() else root.parent
    for name in kb.files:
        source = Path(name)
        target = data_dir / source.resolve().relative_to(base.resolve())
        text = source.read_text(encoding="utf-8")
        names = _response_names(text)
        reasons = dict.fromkeys(overridden_responses(kb, source, names), OVERRIDDEN)
        reasons.update((name, ENGINE_ONLY) for name in names
                       if name in leave_out and name not in reasons)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_without_responses(text, reasons) if reasons else text,
                          encoding="utf-8")
        copied.append(CopiedFile(source, target, tuple(reasons)))
    return copied
