"""The figures and names the custom actions answer from, read from ``facts.yml``.

Nothing here imports rasa_sdk: the data and the arithmetic can be used and tested alone.
The file is read with ruamel.yaml, which rasa_sdk itself depends on, so an action server
needs nothing more than rasa_sdk to run these actions.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML, YAMLError

logger = logging.getLogger(__name__)

FACTS_PATH = Path(__file__).with_name("facts.yml")
FACTS_ENV = "FAQBOT_ACTION_FACTS"


class FactsError(ValueError):
    """The facts file is missing, unreadable or malformed; the message names the field."""


@dataclass(frozen=True)
class Source:
    """Where the facts come from."""

    name: str
    title: str


@dataclass(frozen=True)
class Funding:
    """Total funding raised."""

    total_usd: float
    approximate: bool
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Revenue:
    """Two revenue figures some time apart, and the level expected next."""

    metric: str
    before_usd: float
    after_usd: float
    after_is_minimum: bool
    period_years: float
    target_usd: float | None
    driver: str | None = None  # what the source credits the growth to


@dataclass(frozen=True)
class InvestorGroup:
    """A kind of investor, used to group the list."""

    key: str
    title: str


@dataclass(frozen=True)
class Investor:
    """An investor the source names."""

    name: str
    group: str
    short: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        """``Andreessen Horowitz (a16z)``, or the name alone."""
        return f"{self.name} ({self.short})" if self.short else self.name


@dataclass(frozen=True)
class Facts:
    """Everything in ``facts.yml``."""

    source: Source
    funding: Funding
    revenue: Revenue
    groups: tuple[InvestorGroup, ...]
    investors: tuple[Investor, ...]

    def group(self, key: str) -> InvestorGroup:
        """Return the group named ``key``."""
        for group in self.groups:
            if group.key == key:
                return group
        raise KeyError(key)


def _get(mapping: object, key: str, path: str, kind: type | tuple[type, ...]) -> object:
    if not isinstance(mapping, dict):
        raise FactsError(f"{path}: must be a mapping")
    if key not in mapping:
        raise FactsError(f"{path}.{key}: missing")
    value = mapping[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise FactsError(f"{path}.{key}: unexpected value {value!r}")
    return value


def _number(mapping: object, key: str, path: str) -> float:
    value = float(_get(mapping, key, path, (int, float)))  # type: ignore[arg-type]
    if value <= 0:
        raise FactsError(f"{path}.{key}: must be positive, got {value!r}")
    return value


def parse_facts(raw: object, origin: str = "facts") -> Facts:
    """Build :class:`Facts` from the loaded YAML, checking every field.

    Args:
        raw: The facts file as loaded from YAML.
        origin: Name used in error messages (the file path).

    Returns:
        The facts.

    Raises:
        FactsError: Naming the first bad field.
    """
    source = _get(raw, "source", origin, dict)
    funding = _get(raw, "funding", origin, dict)
    revenue = _get(raw, "revenue", origin, dict)
    groups = [
        InvestorGroup(
            str(_get(g, "key", f"{origin}.investor_groups[{i}]", str)),
            str(_get(g, "title", f"{origin}.investor_groups[{i}]", str)),
        )
        for i, g in enumerate(_get(raw, "investor_groups", origin, list))  # type: ignore[arg-type]
    ]
    group_keys = {g.key for g in groups}
    investors = []
    for i, item in enumerate(_get(raw, "investors", origin, list)):  # type: ignore[arg-type]
        where = f"{origin}.investors[{i}]"
        group = str(_get(item, "group", where, str))
        if group not in group_keys:
            raise FactsError(f"{where}.group: unknown group {group!r}")
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise FactsError(f"{where}.aliases: must be a list of names")
        short = item.get("short")
        investors.append(Investor(
            name=str(_get(item, "name", where, str)), group=group,
            short=str(short) if short else None, aliases=tuple(aliases),
        ))
    if not investors:
        raise FactsError(f"{origin}.investors: empty")
    target = revenue.get("target_usd")  # type: ignore[union-attr]
    facts = Facts(
        source=Source(str(_get(source, "name", f"{origin}.source", str)),
                      str(_get(source, "title", f"{origin}.source", str))),
        funding=Funding(
            total_usd=_number(funding, "total_usd", f"{origin}.funding"),
            approximate=bool(funding.get("approximate", False)),  # type: ignore[union-attr]
            kinds=tuple(str(k) for k in funding.get("kinds", [])),  # type: ignore[union-attr]
        ),
        revenue=Revenue(
            metric=str(_get(revenue, "metric", f"{origin}.revenue", str)),
            before_usd=_number(revenue, "before_usd", f"{origin}.revenue"),
            after_usd=_number(revenue, "after_usd", f"{origin}.revenue"),
            after_is_minimum=bool(revenue.get("after_is_minimum", False)),  # type: ignore[union-attr]
            period_years=_number(revenue, "period_years", f"{origin}.revenue"),
            target_usd=_number(revenue, "target_usd", f"{origin}.revenue") if target else None,
            driver=_optional_text(revenue, "driver", f"{origin}.revenue"),
        ),
        groups=tuple(groups),
        investors=tuple(investors),
    )
    return facts


def _optional_text(mapping: dict, key: str, where: str) -> str | None:
    """Return ``mapping[key]`` when it is a non-empty string, None when it is absent."""
    value = mapping.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise FactsError(f"{where}.{key}: must be a non-empty text")
    return value.strip()


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Facts:
    try:
        raw = YAML(typ="safe", pure=True).load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise FactsError(f"{path}: cannot read facts: {exc}") from exc
    return parse_facts(raw, path)


def load_facts(path: str | Path | None = None) -> Facts:
    """Load the facts (``$FAQBOT_ACTION_FACTS``, else the packaged ``facts.yml``).

    The file is read again when it changes on disk, so an edited figure is used by the next
    answer without a restart.

    Raises:
        FactsError: When the file is missing or malformed.
    """
    chosen = Path(path or os.environ.get(FACTS_ENV) or FACTS_PATH)
    try:
        mtime = chosen.stat().st_mtime
    except OSError as exc:
        raise FactsError(f"{chosen}: cannot read facts: {exc.strerror}") from exc
    return _load(str(chosen), mtime)
