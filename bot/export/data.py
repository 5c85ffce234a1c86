"""Copy the knowledge base's YAML files into the Rasa project's ``data/`` folder.

Rasa reads the files as they are (``nlu``, ``responses``, ``rules``, synonyms, lookup
tables, intent ``metadata``), so each file is copied byte for byte. One thing faqbot
resolves at load time that Rasa would not: a response defined in a curated file overrides
the generated one. That losing definition is left out of the copy (comments and the rest
of the file kept), so Rasa sees exactly the answers faqbot gives.
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
        dropped: Responses left out because another file's definition wins.
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


def _without_responses(text: str, names: list[str]) -> str:
    """Return the YAML ``text`` with the responses ``names`` removed, comments kept."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    document = yaml.load(text)
    responses = document["responses"]
    for name in names:
        del responses[name]
    if not responses:
        del document["responses"]
    out = io.StringIO()
    yaml.dump(document, out)
    note = "".join(f"# faqbot export: {name} left out, a curated definition wins\n"
                   for name in names)
    return note + out.getvalue()


def _response_names(text: str) -> list[str]:
    from ruamel.yaml import YAML

    document = YAML(typ="safe", pure=True).load(text)
    responses = document.get("responses") if isinstance(document, dict) else None
    return list(responses) if isinstance(responses, dict) else []


def copy_data(kb: KnowledgeBase, root: Path, data_dir: Path) -> list[CopiedFile]:
    """Copy every file of the knowledge base under ``data_dir``, keeping relative paths.

    Args:
        kb: The knowledge base loaded from ``root``.
        root: Its directory (or single file).
        data_dir: The project's ``data/`` folder.

    Returns:
        One :class:`CopiedFile` per file, in the knowledge base's order.
    """
    copied = []
    base = root if root.is_dir() else root.parent
    for name in kb.files:
        source = Path(name)
        target = data_dir / source.resolve().relative_to(base.resolve())
        text = source.read_text(encoding="utf-8")
        dropped = overridden_responses(kb, source, _response_names(text))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_without_responses(text, dropped) if dropped else text,
                          encoding="utf-8")
        copied.append(CopiedFile(source, target, tuple(dropped)))
    return copied
