"""Typed configuration, read from YAML; a bad value fails fast naming its path."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from bot.kb.limits import YamlLimits

DEFAULT_CONFIG_PATH = Path(__file__).with_name("default_config.yml")


class ConfigError(ValueError):
    """A configuration value is missing or invalid; the message names its path."""


@dataclass(frozen=True)
class NluConfig:
    """Thresholds of the fallback decision, in the spirit of Rasa's FallbackClassifier.

    Attributes:
        answer_threshold: Minimum top confidence to answer.
        suggest_threshold: Minimum top confidence to offer "did you mean".
        rephrase_threshold: Below ``suggest_threshold`` but at least this, a refusal asks
            the user to rephrase ("I'm not sure what you mean") instead of saying the
            answer is not known.
        clean_answer_margin: A top intent up to this much below ``answer_threshold`` is
            answered all the same when nothing speaks against it: no word of the message
            points away from it (no name or rare term it does not cover), its answer
            gives the kind of detail asked for, and it covers enough of the message.
        clean_answer_share: The share of the message's content (IDF-weighted) that such
            an intent's examples or answer must use.
        clean_runner_up_share: Such an intent is clearly ahead when the runner-up is
            ``ambiguity_threshold`` behind, or has at most this share of its confidence.
        clean_named_margin: The margin instead of ``clean_answer_margin`` when the message
            also names what the knowledge base is about (a name it knows, or "they") and
            uses a key word of the top intent: such a message is about the subject, and
            its closest answer is about what was asked.
        ambiguity_threshold: If the top two differ by less, ask instead of answering.
        max_suggestions: At most this many "did you mean" buttons.
        max_message_chars: Longer messages are refused with a clear reply.
        semantic: ``auto``, ``on`` or ``off``: fuse sentence similarity into the
            confidence (:mod:`bot.nlu.semantic`; ``auto``: when installed).
    """

    answer_threshold: float = 0.5
    suggest_threshold: float = 0.3
    rephrase_threshold: float = 0.1
    clean_answer_margin: float = 0.36
    clean_answer_share: float = 0.3
    clean_runner_up_share: float = 0.34
    clean_named_margin: float = 0.45
    ambiguity_threshold: float = 0.15
    max_suggestions: int = 3
    max_message_chars: int = 1000
    semantic: str = "off"


@dataclass(frozen=True)
class DialogConfig:
    """How the dialog engine uses conversation context.

    Attributes:
        context: Resolve follow-ups ("and a year before?") against the last answer.
        followup_buttons: At most this many related-question buttons on an answer (0: none).
        related_boost: Added to an intent listed in the last answer's ``related`` metadata
            when a follow-up is re-ranked with context.
        topic_boost: Added to an intent sharing the last answer's ``topic`` metadata.
        followup_max_words: Messages with more content words are never read as follow-ups.
        context_idle_minutes: A conversation idle this long starts afresh (its topic and
            pending choices are forgotten); 0 keeps contexts forever.
    """

    context: bool = True
    followup_buttons: int = 2
    related_boost: float = 0.1
    topic_boost: float = 0.05
    followup_max_words: int = 4
    context_idle_minutes: float = 30.0


@dataclass(frozen=True)
class ReloadConfig:
    """When hot reload loads a change.

    Attributes:
        quiet_seconds: Load a change only once the files have not changed for this long.
        max_drop_share: Hold back (until confirmed) a change dropping more than this share
            of the examples or of the intents at once.
    """

    quiet_seconds: float = 0.5
    max_drop_share: float = 0.05


@dataclass(frozen=True)
class BotConfig:
    """The whole configuration."""

    nlu: NluConfig = NluConfig()
    dialog: DialogConfig = DialogConfig()
    limits: YamlLimits = YamlLimits()
    reload: ReloadConfig = ReloadConfig()


def _build_section(cls: type, raw: object, path: str) -> object:
    if raw is None:
        return cls()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must be a mapping")
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}.{key}: unknown setting (known: {', '.join(known)})")
        expected = type(getattr(cls(), key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ConfigError(f"{path}.{key}: expected {expected.__name__}, got {value!r}")
        values[key] = value
    return cls(**values)


def load_config(path: str | Path | None = None) -> BotConfig:
    """Load the configuration from ``path`` (the packaged defaults when None).

    Args:
        path: A YAML file with an ``nlu`` section.

    Returns:
        The typed configuration.

    Raises:
        ConfigError: When the file is unreadable or a value is invalid.
    """
    source = Path(path) if path else DEFAULT_CONFIG_PATH
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{source}: cannot read configuration: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: top level must be a mapping")
    unknown = set(raw) - {"nlu", "dialog", "limits", "reload"}
    if unknown:
        raise ConfigError(f"{source}: unknown section(s): {', '.join(sorted(unknown))}")
    raw_nlu = raw.get("nlu")
    if isinstance(raw_nlu, dict) and isinstance(raw_nlu.get("semantic"), bool):
        # YAML 1.1 reads unquoted on/off as booleans
        raw_nlu = {**raw_nlu, "semantic": "on" if raw_nlu["semantic"] else "off"}
    nlu = _build_section(NluConfig, raw_nlu, f"{source}:nlu")
    assert isinstance(nlu, NluConfig)
    if nlu.semantic not in ("auto", "on", "off"):
        raise ConfigError(f"{source}:nlu.semantic: expected auto, on or off, got {nlu.semantic!r}")
    if not 0 <= nlu.suggest_threshold <= nlu.answer_threshold <= 1:
        raise ConfigError(
            f"{source}:nlu: need 0 <= suggest_threshold <= answer_threshold <= 1"
        )
    dialog = _build_section(DialogConfig, raw.get("dialog"), f"{source}:dialog")
    assert isinstance(dialog, DialogConfig)
    if dialog.context_idle_minutes < 0:
        raise ConfigError(f"{source}:dialog.context_idle_minutes: must not be negative")
    limits = _build_section(YamlLimits, raw.get("limits"), f"{source}:limits")
    assert isinstance(limits, YamlLimits)
    if any(getattr(limits, f.name) <= 0 for f in fields(YamlLimits)):
        raise ConfigError(f"{source}:limits: every limit must be a positive number")
    reload = _build_section(ReloadConfig, raw.get("reload"), f"{source}:reload")
    assert isinstance(reload, ReloadConfig)
    if reload.quiet_seconds < 0 or not 0 <= reload.max_drop_share <= 1:
        raise ConfigError(f"{source}:reload: need quiet_seconds >= 0 and "
                          "0 <= max_drop_share <= 1")
    return BotConfig(nlu=nlu, dialog=dialog, limits=limits, reload=reload)
