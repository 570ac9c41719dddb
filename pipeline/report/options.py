"""What a report covers and how it aggregates: the one options record the report stages share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

PERIODS = ("day", "week", "month")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportOptions:
    """Selection (dates, issues, actors) and presentation (period, smoothing, limits) of a report."""

    date_from: date | None = None
    date_to: date | None = None
    issues: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    period: str = "month"
    smooth: int = 1
    min_statements: int = 1
    top_officials: int = 5
    quotes_per_official: int = 2
    max_issues: int = 12
    max_actors: int = 6

    def __post_init__(self) -> None:
        """Refuse impossible option values early, with the fix in the message."""
        if self.period not in PERIODS:
            raise ValueError(f"period must be one of {', '.join(PERIODS)}, not {self.period!r}")
        if self.smooth < 1 or self.min_statements < 1:
            raise ValueError("smooth and min_statements must be at least 1")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"--from {self.date_from} is after --to {self.date_to}")

    def describe(self) -> str:
        """Return the selection as one human-readable line."""
        parts = [
            f"dates {self.date_from or 'any'} to {self.date_to or 'any'}",
            f"issues {', '.join(self.issues) if self.issues else 'all'}",
            f"actors {', '.join(self.actors) if self.actors else 'all'}",
            f"per {self.period}",
            f"smoothing {self.smooth} period{'s' if self.smooth > 1 else ''}",
        ]
        return "; ".join(parts)
