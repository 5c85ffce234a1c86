"""A small on-disk cache of built matcher indexes, keyed by content hash.

Entries live outside the repository, in ``$FAQBOT_CACHE_DIR`` when set, otherwise in
``$XDG_CACHE_HOME/faqbot`` or ``~/.cache/faqbot``. Each entry is one ``.npz`` file named
by the hash of everything the index depends on (the knowledge base's examples and
synonyms, and the matcher version), so a changed knowledge base simply misses. A file
that cannot be read is ignored (and rebuilt by the caller); a directory that cannot be
written only costs the next start its speed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

CACHE_ENV = "FAQBOT_CACHE_DIR"
MAX_ENTRIES = 16


def cache_dir() -> Path:
    """Return the cache directory (it may not exist yet)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "faqbot"


def content_key(payload: object) -> str:
    """Return a stable hex digest of a JSON-serialisable payload."""
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def load(key: str, directory: Path | None = None) -> dict[str, np.ndarray] | None:
    """Return the arrays cached under ``key``, or None when missing or unreadable."""
    path = (directory or cache_dir()) / f"matcher-{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        os.utime(path)  # most recently used entries survive pruning
        return arrays
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        logger.warning("ignoring unreadable matcher cache %s: %s", path, exc)
        return None


def save(key: str, arrays: dict[str, np.ndarray], directory: Path | None = None) -> None:
    """Store ``arrays`` under ``key``; failures are logged, never raised."""
    folder = directory or cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".matcher-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez(stream, **arrays)
            os.replace(temporary, folder / f"matcher-{key}.npz")
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        prune(folder)
    except OSError as exc:
        logger.warning("cannot write matcher cache in %s: %s", folder, exc)


def prune(folder: Path, keep: int = MAX_ENTRIES) -> None:
    """Delete all but the ``keep`` most recently used entries of ``folder``."""
    entries = []
    for path in folder.glob("matcher-*.npz"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[keep:]:
        try:
            path.unlink()
        except OSError as exc:
            logger.debug("cannot remove old cache entry %s: %s", path, exc)
