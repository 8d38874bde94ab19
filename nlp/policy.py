"""Tolerances of the comparison, as a policy object passed to `nlp.compare.compare`.

Policies are arguments, not buried `if`s: every tolerance the comparison applies is a field
here, documented, with a sane default, and settable from the command line
(`tabayyun compare ... --policy approx_tolerance=0.15`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from nlp.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a per-kind comparator decided for two values of the same slot."""

    status: Literal["agree", "conflict"]
    rule: str  # short name of the rule, e.g. "date.same_day", "number.hedge_overlap"
    reason: str  # one line a reviewer can check in seconds
    confidence: float


@dataclass(frozen=True, slots=True)
class ComparePolicy:
    """Tolerances of the comparison.

    Attributes:
        number_rel_tol: Relative tolerance under which two exact numbers agree (0 = exact).
        approx_tolerance: Half-width, relative, of the interval a hedge ("about", "نحو")
            puts around a number.
        open_bound_factor: How far an open bound ("more than 10,000") reaches: up to
            factor * value.
        rounding_agrees: A round number agrees with an exact one it rounds to, with a note.
        rounding_min_unit: What counts as a round number for `rounding_agrees`: its last
            significant digit is worth at least this much (100: 1,500 may stand for 1,487,
            but 20 does not stand for 21). Computed values (a third = 33.33 percent, a unit
            conversion) always may be rounded.
        coarser_date_agrees: A date at coarser granularity (month, year) agrees with a finer
            date inside it, with a note.
        containment_agrees: A place contained in another (city in its governorate) agrees,
            with a note.
        min_confidence: Findings below this confidence are dropped from the output.
        duration_rel_tol: Relative tolerance of an exact duration compared across units
            (10 weeks vs «شهرين ونصف»); counts in the same unit compare exactly.
    """

    number_rel_tol: float = 0.0
    approx_tolerance: float = 0.1
    open_bound_factor: float = 1.5
    rounding_agrees: bool = True
    rounding_min_unit: float = 100.0
    coarser_date_agrees: bool = True
    containment_agrees: bool = True
    min_confidence: float = 0.0
    duration_rel_tol: float = 0.05

    def with_overrides(self, overrides: dict[str, str]) -> ComparePolicy:
        """Return a copy with fields set from strings (as given on the command line).

        >>> ComparePolicy().with_overrides({"approx_tolerance": "0.2"}).approx_tolerance
        0.2
        """
        fields = {f.name: f for f in dataclasses.fields(self)}
        values: dict[str, object] = {}
        for key, raw in overrides.items():
            if key not in fields:
                raise ConfigError(
                    f"Unknown policy setting {key!r}. Known settings: {', '.join(sorted(fields))}."
                )
            current = getattr(self, key)
            try:
                if isinstance(current, bool):
                    if raw.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                        raise ValueError(raw)
                    values[key] = raw.lower() in {"true", "1", "yes"}
                else:
                    values[key] = type(current)(raw)
            except ValueError:
                raise ConfigError(
                    f"Policy setting {key} needs a {type(current).__name__}, got {raw!r}."
                ) from None
        return dataclasses.replace(self, **values)  # type: ignore[arg-type]


DEFAULT_POLICY = ComparePolicy()
