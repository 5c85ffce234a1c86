"""An optional semantic signal: sentence embeddings fused into the lexical confidence.

Installed with the ``semantic`` extra and ``make semantic`` (see docs/semantic.md). The
configuration key ``nlu.semantic`` chooses the mode:

- ``off``: the lexical matcher alone;
- ``on``: the fused matcher; the bot refuses to start when the model is missing or fails
  its hash check;
- ``auto``: the fused matcher when onnxruntime, tokenizers and the verified model are all
  there, the lexical matcher otherwise.

The mode is set once per process with :func:`configure` (the commands do it from the
configuration), and :func:`with_semantic` applies it whenever a knowledge base is built
or reloaded. onnxruntime and tokenizers are imported only when the mode asks for them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.kb.model import KnowledgeBase
from bot.nlu.parse import Matcher
from bot.nlu.semantic.encoder import Encoder, RuntimeMissingError
from bot.nlu.semantic.model import (
    ModelError,
    ModelIntegrityError,
    ModelMissingError,
    model_dir,
)

logger = logging.getLogger(__name__)

MODES = ("auto", "on", "off")
DEFAULT_MODE = "off"

__all__ = [
    "DEFAULT_MODE", "MODES", "ModelError", "ModelIntegrityError", "ModelMissingError",
    "configure", "current_mode", "load_encoder", "with_semantic",
]

_state: dict[str, object] = {"mode": None}
_encoders: dict[Path, Encoder] = {}
_lock = threading.Lock()
_reported: set[str] = set()


def configure(mode: str) -> None:
    """Set this process's mode; with ``on``, load the model now so a problem shows at start.

    Args:
        mode: ``auto``, ``on`` or ``off`` (the configuration's ``nlu.semantic``).

    Raises:
        ValueError: For another mode.
        ModelError: With ``on``, when the runtime or the model is missing or tampered with.
    """
    if mode not in MODES:
        raise ValueError(f"nlu.semantic must be one of {', '.join(MODES)}, not {mode!r}")
    _state["mode"] = mode
    if mode == "on":
        load_encoder()


def current_mode() -> str:
    """Return the configured mode (:data:`DEFAULT_MODE` before :func:`configure`)."""
    mode = _state["mode"]
    return mode if isinstance(mode, str) else DEFAULT_MODE


def load_encoder(directory: Path | None = None) -> Encoder:
    """Return the encoder of the model in ``directory``, loaded once per process.

    Raises:
        ModelError: When onnxruntime/tokenizers or the model is missing, or a file fails
            its hash check.
    """
    folder = directory or model_dir()
    with _lock:
        if folder not in _encoders:
            _encoders[folder] = Encoder(folder)
        return _encoders[folder]


def with_semantic(lexical: Matcher, kb: KnowledgeBase, mode: str | None = None) -> Matcher:
    """Return the matcher the mode asks for: ``lexical`` itself, or it fused with embeddings.

    Args:
        lexical: The lexical matcher of ``kb``.
        kb: The knowledge base (its examples are embedded, or read from the cache).
        mode: ``auto``, ``on`` or ``off``; :func:`current_mode` when None.

    Raises:
        ModelError: With ``on``, when the semantic model cannot be used.
    """
    mode = mode or current_mode()
    if mode == "off":
        return lexical
    from bot.nlu.semantic.fused import FusedMatcher
    from bot.nlu.semantic.index import build_index

    try:
        encoder = load_encoder()
    except ModelError as exc:
        if mode == "on":
            raise
        _report_unavailable(exc, quiet=isinstance(exc, RuntimeMissingError))
        return lexical
    return FusedMatcher(lexical, build_index(kb, encoder), encoder)


def _report_unavailable(exc: ModelError, quiet: bool) -> None:
    """Say once per process why ``auto`` stays lexical (loudly unless the extra is absent)."""
    message = str(exc)
    if message in _reported:
        return
    _reported.add(message)
    log = logger.info if quiet else logger.warning
    log("nlu.semantic is auto; matching without the semantic signal: %s", message)
