"""Validate files against Rasa 3.x's OWN schemas, with pykwalify, as ``rasa`` does.

The schema files are not copied into this repository: ``scripts/fetch_rasa_schemas.sh``
takes them at set-up time from the ``rasa`` wheel on PyPI (with pykwalify, the validator
Rasa runs them with) into ``.faqbot-cache/rasa-<version>/``. Nothing is downloaded here.

A file is checked the way Rasa's readers pick it: one with ``nlu`` or ``responses`` against
``nlu.yml`` (which includes ``responses.yml``), one with ``rules`` or ``stories`` against
``stories.yml``, one with domain-only keys (``intents``, ``slots``...) against
``domain.yml``. Like Rasa, files are read as YAML 1.2 with ruamel.yaml.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from bot.kb.errors import Problem
from bot.kb.model import SourceRef

logger = logging.getLogger(__name__)

CACHE_DIR = Path(__file__).resolve().parents[2] / ".faqbot-cache"
SCHEMA_FILES = ("nlu.yml", "responses.yml", "stories.yml", "domain.yml",
                "pykwalify_extensions.py")
_DOMAIN_ONLY = ("intents", "entities", "slots", "actions", "forms", "session_config")
_KEY_ERROR = re.compile(r"Key '(?P<key>[^']+)' was not defined")


class RasaSchemasUnavailableError(RuntimeError):
    """Rasa's schema files or pykwalify are not installed; the message says how to get them."""


@dataclass(frozen=True)
class RasaSchemas:
    """A directory holding Rasa's schema files, and the Rasa version they come from."""

    directory: Path
    version: str


def find_rasa_schemas(directory: str | Path | None = None) -> RasaSchemas:
    """Locate the fetched schema files.

    Args:
        directory: An explicit directory; else ``$FAQBOT_RASA_SCHEMAS``; else the newest
            ``.faqbot-cache/rasa-*`` of this checkout.

    Returns:
        The schemas found.

    Raises:
        RasaSchemasUnavailableError: When they (or pykwalify) are missing.
    """
    hint = "run scripts/fetch_rasa_schemas.sh (part of the set-up) to fetch them"
    if directory is None and os.environ.get("FAQBOT_RASA_SCHEMAS"):
        directory = os.environ["FAQBOT_RASA_SCHEMAS"]
    if directory is not None:
        candidates = [Path(directory)]
    else:
        candidates = sorted(CACHE_DIR.glob("rasa-*"), reverse=True) if CACHE_DIR.is_dir() else []
    for candidate in candidates:
        if all((candidate / name).is_file() for name in SCHEMA_FILES):
            try:
                import pykwalify.core  # noqa: F401
            except ImportError as exc:
                raise RasaSchemasUnavailableError(f"pykwalify is not installed; {hint}") from exc
            version_file = candidate / "VERSION"
            version = version_file.read_text().strip() if version_file.is_file() else "3.x"
            return RasaSchemas(candidate, version)
    raise RasaSchemasUnavailableError(f"Rasa's schema files were not found; {hint}")


def _yaml_12(typ: str):  # -> ruamel.yaml.YAML
    from ruamel.yaml import YAML

    parser = YAML(typ=typ, pure=True)
    parser.version = (1, 2)
    if typ == "rt":
        parser.preserve_quotes = True
    return parser


def _load_schema(schemas: RasaSchemas, name: str) -> dict:
    with open(schemas.directory / name, encoding="utf-8") as handle:
        schema = dict(_yaml_12("safe").load(handle))
    with open(schemas.directory / "responses.yml", encoding="utf-8") as handle:
        schema.update(_yaml_12("safe").load(handle))
    return schema


def _line_of(content: object, path: str, key: str | None) -> tuple[int, int]:
    """Return the 1-based (line, column) of a pykwalify path like ``/nlu/0/examples``."""
    current = content
    line, column = 1, 1
    for part in [p for p in path.split("/") if p]:
        position = None
        if isinstance(current, dict) and part in current:
            position = current.lc.key(part) if hasattr(current, "lc") else None
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            position = current.lc.item(int(part)) if hasattr(current, "lc") else None
            current = current[int(part)]
        else:
            break
        if position:
            line, column = position[0] + 1, position[1] + 1
    if key and isinstance(current, dict) and key in current and hasattr(current, "lc"):
        found = current.lc.key(key)
        line, column = found[0] + 1, found[1] + 1
    return line, column


def _schema_keys(schema: object) -> set[str]:
    """Return every mapping key a schema names anywhere."""
    keys: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            mapping = node.get("mapping")
            if isinstance(mapping, dict):
                keys.update(str(k) for k in mapping)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return keys


def _without_branch_noise(errors: list, known: set[str]) -> list:
    """Drop "Key 'intent' was not defined" echoes of ``matching: any`` alternatives.

    pykwalify tries each alternative of a sequence item and reports every key that the
    alternatives lack; when an item also has a key that no alternative knows (a typo),
    only that key is the real problem.
    """
    real_paths = set()
    for error in errors:
        match = _KEY_ERROR.search(str(error))
        if match and match.group("key") not in known:
            real_paths.add(getattr(error, "path", ""))
    kept = []
    for error in errors:
        path = getattr(error, "path", "") or ""
        match = _KEY_ERROR.search(str(error))
        if match and match.group("key") in known and path in real_paths:
            continue
        if any(path.startswith(real.rstrip("/") + "/") for real in real_paths):
            continue  # another alternative's complaint about a child of the typo'd item
        kept.append(error)
    return kept


def schemas_for(content: object) -> list[str]:
    """Return the schema files Rasa would check a file's content against."""
    if not isinstance(content, dict):
        return ["nlu.yml"]
    names = []
    if "nlu" in content or "responses" in content:
        names.append("nlu.yml")
    if "rules" in content or "stories" in content:
        names.append("stories.yml")
    if any(key in content for key in _DOMAIN_ONLY):
        names.append("domain.yml")
    return names or ["nlu.yml"]


def validate_with_rasa(path: str | Path, schemas: RasaSchemas) -> list[Problem]:
    """Check one file against Rasa's own schemas.

    Args:
        path: A YAML file.
        schemas: From :func:`find_rasa_schemas`.

    Returns:
        Rasa's schema errors, each located at ``file:line:column``; a YAML error Rasa's
        reader would raise is returned as one problem.
    """
    from pykwalify.core import Core
    from pykwalify.errors import SchemaError
    from ruamel.yaml.error import YAMLError

    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    name = str(path)
    try:
        content = _yaml_12("rt").load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        ref = SourceRef(name, mark.line + 1, mark.column + 1) if mark else SourceRef(name, 1, 1)
        return [Problem(ref, f"Rasa's YAML reader fails: {str(exc).splitlines()[0]}")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for schema_name in schemas_for(content):
        with warnings.catch_warnings():  # pykwalify loads extensions with load_module()
            warnings.simplefilter("ignore", DeprecationWarning)
            core = Core(
                source_data=content,
                schema_data=_load_schema(schemas, schema_name),
                extensions=[str(schemas.directory / "pykwalify_extensions.py")],
            )
            with contextlib.suppress(SchemaError):
                core.validate(raise_exception=True)
        for error in _without_branch_noise(core.errors, _schema_keys(core.schema)):
            text = str(error)
            if text in seen:
                continue
            seen.add(text)
            match = _KEY_ERROR.search(text)
            line, column = _line_of(content, getattr(error, "path", "") or "",
                                    match.group("key") if match else None)
            problems.append(Problem(SourceRef(name, line, column),
                                    f"Rasa {schemas.version} schema ({schema_name}): {text}"))
    return problems
