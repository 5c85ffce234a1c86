"""Add an example to an intent in its YAML file, keeping comments and layout.

The example goes into a hand-maintained file, never into one written by ``faqbot
compile`` (the next compile would lose it): the curated file that already declares the
intent, else the curated file that holds the phrasings of other generated intents (a new
entry for the intent is appended there), else a new ``curated/phrasings.yml``.

The file is edited with ruamel.yaml's round-trip mode, which keeps comments, quotes and
key order. ruamel re-indents what it writes, so the indentation settings that reproduce
the file unchanged are looked for first; the result is checked to differ from the
original by the one new line before it replaces the file (atomically).
"""

from __future__ import annotations

import difflib
import io
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.compiler.writer import is_generated
from bot.kb.loader import load_knowledge_base
from bot.kb.model import KnowledgeBase
from bot.nlu.normalize import normalize

logger = logging.getLogger(__name__)

# (mapping, sequence, offset) indentations tried, the Rasa style first.
INDENTS = ((2, 2, 0), (2, 4, 2), (4, 4, 0), (4, 6, 2), (2, 4, 0), (4, 4, 2), (3, 3, 0))


class ReviewError(Exception):
    """The example cannot be added; the message says why."""


@dataclass(frozen=True)
class AddResult:
    """What :func:`add_example` did.

    Attributes:
        path: The file changed (or that would have been).
        added: False when the phrasing was already an example of the intent.
        changed_lines: Lines of the file that changed besides the added one (0 normally).
    """

    path: Path
    added: bool
    changed_lines: int = 0


def _clean(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ReviewError("the phrasing is empty")
    if len(cleaned) > 500:
        raise ReviewError("the phrasing is longer than 500 characters")
    return cleaned


def check_new_example(kb: KnowledgeBase, intent: str, text: str) -> bool:
    """Check that ``text`` may become an example of ``intent``.

    Returns:
        False when it already is one (nothing to do), True when it can be added.

    Raises:
        ReviewError: When the intent does not exist or another intent has the phrasing.
    """
    if intent not in kb.intents:
        close = difflib.get_close_matches(intent, list(kb.intents), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ReviewError(f"no intent '{intent}' in the knowledge base{hint}")
    key = normalize(text)
    for name, other in kb.intents.items():
        for example in other.examples:
            if normalize(example.text) == key:
                if name == intent:
                    return False
                raise ReviewError(f"{text!r} is already an example of intent '{name}' "
                                  f"(at {example.source}); an example belongs to one intent")
    return True


def _round_trip(source: str, intent: str, text: str, indent: tuple[int, int, int]) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString

    parser = YAML(typ="rt")
    parser.preserve_quotes = True
    parser.width = 4096
    parser.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    data = parser.load(source)
    items = data.get("nlu") if isinstance(data, dict) else None
    for item in items or ():
        if isinstance(item, dict) and str(item.get("intent")) == intent:
            examples = item.get("examples")
            if examples is not None and not isinstance(examples, str):
                raise ReviewError(f"intent '{intent}' lists its examples as a sequence; "
                                  "only an 'examples: |' block can be edited")
            body = str(examples or "").rstrip("\n")
            item["examples"] = LiteralScalarString(
                (body + "\n" if body else "") + f"- {text}\n"
            )
            out = io.StringIO()
            parser.dump(data, out)
            return out.getvalue()
    if not isinstance(items, list):
        raise ReviewError("the file has no 'nlu' list to add the intent to")
    items.append({"intent": intent, "examples": LiteralScalarString(f"- {text}\n")})
    out = io.StringIO()
    parser.dump(data, out)
    return out.getvalue()


def _declaring_files(kb: KnowledgeBase, intent: str) -> list[Path]:
    """Files that declare ``intent`` or hold some of its examples, in load order."""
    found = kb.intents[intent]
    refs = [found.source, *(example.source for example in found.examples)]
    paths: dict[Path, None] = {}
    for ref in refs:
        if ref is not None:
            paths.setdefault(Path(ref.path), None)
    return list(paths)


def target_file(kb: KnowledgeBase, root: str | Path, intent: str) -> Path:
    """Choose the hand-maintained file that gets a new example of ``intent``.

    Args:
        kb: The loaded knowledge base.
        root: Its directory.
        intent: An intent of ``kb``.

    Returns:
        A curated file declaring the intent; else the curated file holding the most
        phrasings of generated intents (or any curated file with nlu data); else a new
        ``curated/phrasings.yml`` (``phrasings.yml`` when the generated files are at the
        top of ``root``). Never a file written by the compiler.
    """
    for path in _declaring_files(kb, intent):
        if not is_generated(path):
            return path
    overlay: dict[Path, int] = {}
    for name in kb.intents:
        files = _declaring_files(kb, name)
        generated = any(is_generated(path) for path in files)
        for path in files:
            if not is_generated(path):
                overlay[path] = overlay.get(path, 0) + int(generated)
    if overlay:
        return max(overlay, key=lambda path: overlay[path])  # first of the best on ties
    root = Path(root)
    generated_dirs = {path.parent for path in _declaring_files(kb, intent)}
    if root.is_file() or root in generated_dirs:
        return (root.parent if root.is_file() else root) / "phrasings.yml"
    return root / "curated" / "phrasings.yml"


def _changed_lines(before: str, after: str) -> int:
    """Count lines changed besides pure insertions (0 when only lines were added)."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(),
                                      autojunk=False)
    changed = 0
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            changed += i2 - i1
    return changed


def add_example(root: str | Path, intent: str, text: str) -> AddResult:
    """Append ``text`` to the examples of ``intent`` in the file that declares it.

    Args:
        root: Knowledge base directory.
        intent: Intent name.
        text: The new phrasing (one line).

    Returns:
        What was done.

    Raises:
        ReviewError: Unknown intent, phrasing already used by another intent, or a file
            that cannot be edited; nothing is written then.
    """
    text = _clean(text)
    kb = load_knowledge_base(root)
    if not check_new_example(kb, intent, text):
        source = kb.intents[intent].source
        return AddResult(Path(source.path) if source else Path(root), added=False)
    path = target_file(kb, root, intent)
    if not path.exists():
        _write_atomically(path, f'version: "3.1"\n\nnlu:\n- intent: {intent}\n'
                                f"  examples: |\n    - {text}\n")
        logger.info("%s: created with intent %s", path, intent)
        return AddResult(path, added=True)
    original = path.read_text(encoding="utf-8")
    best: tuple[int, str] | None = None
    for indent in INDENTS:
        candidate = _round_trip(original, intent, text, indent)
        changed = _changed_lines(original, candidate)
        if best is None or changed < best[0]:
            best = (changed, candidate)
        if changed == 0:
            break
    assert best is not None
    changed, updated = best
    if changed:
        logger.warning("%s: ruamel.yaml rewrote %d other line(s) while adding an example",
                       path, changed)
    _verify(updated, intent, text, path)
    _write_atomically(path, updated)
    return AddResult(path, added=True, changed_lines=changed)


def _verify(updated: str, intent: str, text: str, path: Path) -> None:
    try:
        data = yaml.safe_load(updated)
    except yaml.YAMLError as exc:
        raise ReviewError(f"{path}: the edited file would not parse ({exc}); not written") \
            from exc
    for item in data.get("nlu", []) if isinstance(data, dict) else []:
        if isinstance(item, dict) and str(item.get("intent")) == intent:
            lines = [line.strip() for line in str(item.get("examples", "")).splitlines()]
            if f"- {text}" in lines:
                return
    raise ReviewError(f"{path}: the edit did not produce the new example; not written")


def _write_atomically(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(content)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
