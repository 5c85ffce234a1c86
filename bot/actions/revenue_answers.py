"""Revenue growth computed from the figures in the facts file (no rasa_sdk here)."""

from __future__ import annotations

from dataclasses import dataclass

from .facts import Facts, Revenue
from .text import format_number, format_usd


@dataclass(frozen=True)
class Growth:
    """Growth between two revenue figures.

    Attributes:
        factor: ``after / before`` (20.0 for $20M -> $400M).
        percent: Increase in percent (1900.0 for the same).
        per_year_factor: The factor per year (equal to ``factor`` over one year).
        to_target_factor: How many times ``after`` must still grow to reach the target.
    """

    factor: float
    percent: float
    per_year_factor: float
    to_target_factor: float | None


def compute_growth(revenue: Revenue) -> Growth:
    """Compute the growth from ``revenue.before_usd`` to ``revenue.after_usd``."""
    factor = revenue.after_usd / revenue.before_usd
    percent = (revenue.after_usd - revenue.before_usd) / revenue.before_usd * 100.0
    per_year = factor ** (1.0 / revenue.period_years)
    to_target = (revenue.target_usd / revenue.after_usd) if revenue.target_usd else None
    return Growth(factor, percent, per_year, to_target)


def _period(years: float) -> str:
    if years == 1:
        return "about a year"
    return f"about {format_number(years)} years"


def growth_answer(facts: Facts) -> str:
    """Return the answer to "how much did revenue grow?", every figure computed."""
    revenue = facts.revenue
    growth = compute_growth(revenue)
    over = "more than " if revenue.after_is_minimum else ""
    floor = "at least " if revenue.after_is_minimum else ""
    parts = [
        f"Mistral AI's {revenue.metric} went from {format_usd(revenue.before_usd)} to "
        f"{over}{format_usd(revenue.after_usd)} in {_period(revenue.period_years)}, "
        f"according to {facts.source.name}.",
        f"That is {floor}{format_number(growth.factor)} times as much "
        f"(+{format_number(growth.percent)}%).",
    ]
    if revenue.driver:
        parts.append(f"{facts.source.name} credits the growth to {revenue.driver}.")
    if revenue.period_years != 1:
        parts.append(f"That is about {format_number(growth.per_year_factor)}x per year.")
    if growth.to_target_factor is not None and revenue.target_usd:
        parts.append(
            f"To pass the {format_usd(revenue.target_usd)} mark it is heading for, revenue "
            f"would still need to grow about {format_number(growth.to_target_factor)} times "
            f"from {format_usd(revenue.after_usd)}."
        )
    return " ".join(parts)
