"""Altair (Vega-Lite) chart specs for the report: net stance, tone and positions over time."""

from __future__ import annotations

import math
from collections import Counter

import altair as alt
import pandas as pd

WIDTH = 860
ERA_GAP_DAYS = 730
ERA_SPACING = 24
MIN_ERA_WIDTH = 150
HEIGHT = 220
# Tableau 20 (strong shades first): one colour per actor code, the same in every chart of a page.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
           "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63", "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e")
UNATTRIBUTED = "unattributed"


def actor_colors(codes) -> dict[str, str]:
    """Give actor codes colours, the most frequent first (ties by name); unattributed is grey."""
    counts = Counter(c for c in codes if isinstance(c, str) and c and c != UNATTRIBUTED)
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    colors = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(ranked)}
    colors[UNATTRIBUTED] = "#9aa0a6"
    return colors


def _color_scale(values: pd.Series, colors: dict[str, str]) -> alt.Scale:
    """A colour scale restricted to the codes present, with the page-wide colours."""
    present = sorted(set(values.dropna()), key=lambda c: (c == UNATTRIBUTED, c))
    return alt.Scale(domain=present, range=[colors.get(c, "#9aa0a6") for c in present])
# Big money amounts as 300M / 16.6B; small counts and rates as plain numbers.
VALUE_LABEL = "abs(datum.value) >= 1e6 ? replace(format(datum.value, '.3~s'), 'G', 'B') : format(datum.value, ',~g')"
PERIOD_TITLES = {"day": "day", "week": "week (starting Monday)", "month": "month"}


def _zero_rule() -> alt.Chart:
    """Return a dashed horizontal rule at zero, the neutral line of stance and tone."""
    return alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#9aa0a6", strokeDash=[4, 4]).encode(y="zero:Q")


def break_rows(frame: pd.DataFrame, *, value: str) -> pd.DataFrame:
    """Keep the rows with a value and the first empty row after each run: enough to break the lines."""
    keep = frame[value].notna()
    after_run = frame.groupby("actor")[value].shift(1).notna() & ~keep
    return frame[keep | after_run]


def time_axis(periods: pd.Series, *, period: str, labels: int = 12) -> alt.Axis:
    """Axis with ticks on whole periods (or whole years over long spans), about ``labels`` of them."""
    first, last = pd.Timestamp(periods.min()), pd.Timestamp(periods.max())
    days = max((last - first).days, 1)
    span = {"day": days, "week": days / 7, "month": days / 30.44}[period]
    step = max(1, math.ceil(span / labels))
    if period == "month" and step >= 12:
        return alt.Axis(format="%Y", tickCount={"interval": "year", "step": math.ceil(step / 12)}, labelAngle=0)
    fmt = "%b %Y" if period == "month" else "%d %b %Y"
    return alt.Axis(format=fmt, tickCount={"interval": period, "step": step}, labelAngle=-30)


def eras(periods: pd.Series, *, gap_days: int = ERA_GAP_DAYS) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Split dates into eras separated by more than ``gap_days`` without data (e.g. 1987 and 2017-2019)."""
    dates = sorted(set(pd.to_datetime(periods)))
    if not dates:
        return []
    found, first, previous = [], dates[0], dates[0]
    for day in dates[1:]:
        if (day - previous).days > gap_days:
            found.append((first, previous))
            first = day
        previous = day
    found.append((first, previous))
    return found


def _era_widths(spans: list[tuple[pd.Timestamp, pd.Timestamp]]) -> list[int]:
    """Share the chart width among eras by their length, each at least MIN_ERA_WIDTH."""
    days = [max((end - start).days, 60) for start, end in spans]
    usable = WIDTH - ERA_SPACING * (len(spans) - 1)
    return [max(MIN_ERA_WIDTH, int(usable * d / sum(days))) for d in days]


def _vl_date(day: pd.Timestamp) -> alt.DateTime:
    """A Vega-Lite date (for scale domains)."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day)


def _era_title(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Name an era by its first and last month."""
    first, last = start.strftime("%b %Y"), end.strftime("%b %Y")
    return first if first == last else f"{first} – {last}"


def _time_lines(frame: pd.DataFrame, *, value: str, title: str, period: str, domain: list[float] | None,
                colors: dict[str, str]) -> alt.TopLevelMixin:
    """Draw one broken line per actor (gaps stay gaps) with clickable points linking to documents.

    Eras years apart (the sample has 1987 and 2017-2019) get side-by-side panels on one y scale,
    so neither is squeezed into a sliver of a decades-wide axis.
    """
    frame = break_rows(frame, value=value)
    spans = eras(frame.loc[frame[value].notna(), "period"]) or [(frame["period"].min(), frame["period"].max())]
    y_scale = alt.Scale(domain=domain) if domain else alt.Scale(zero=True)
    color = alt.Color("actor:N", title="actor", scale=_color_scale(frame["actor"], colors))
    panels = []
    for i, ((start, end), width) in enumerate(zip(spans, _era_widths(spans))):
        rows = frame[(frame["period"] >= start) & (frame["period"] <= end + pd.Timedelta(days=31))]
        base = alt.Chart(rows).encode(
            x=alt.X("period:T", title=PERIOD_TITLES[period] if i == 0 else None,
                    scale=alt.Scale(domain=[_vl_date(start), _vl_date(end)], padding=12),
                    axis=time_axis(pd.Series([start, end]), period=period, labels=max(2, width // 90))),
            y=alt.Y(f"{value}:Q", title=title if i == 0 else None, scale=y_scale),
            color=color,
        )
        line = base.mark_line(invalid="break-paths-filter-domains", strokeWidth=2, clip=True)
        points = base.mark_point(filled=True, size=55, invalid="filter", cursor="pointer").encode(
            href="href:N",
            tooltip=[
                alt.Tooltip("actor:N"), alt.Tooltip("period:T", title=period),
                alt.Tooltip(f"{value}:Q", title=title, format=".2f"),
                alt.Tooltip("n_support:Q", title="support"), alt.Tooltip("n_oppose:Q", title="oppose"),
                alt.Tooltip("n_statements:Q", title="statements"), alt.Tooltip("doc_ids:N", title="documents"),
            ],
        )
        era = alt.layer(_zero_rule(), line, points).properties(width=width, height=HEIGHT)
        panels.append(era.properties(title=_era_title(start, end)) if len(spans) > 1 else era)
    if len(panels) == 1:
        return panels[0]
    return alt.hconcat(*panels, spacing=ERA_SPACING).resolve_scale(y="shared", color="shared")


def stance_chart(series: pd.DataFrame, *, period: str, smooth: int, colors: dict[str, str]) -> alt.LayerChart:
    """Net stance (support minus oppose statements) per period, one line per actor."""
    title = "net stance (support − oppose)" + (f", mean of {smooth} periods" if smooth > 1 else "")
    return _time_lines(series, value="net_smoothed", title=title, period=period, domain=None, colors=colors)


def tone_chart(series: pd.DataFrame, *, period: str, smooth: int, colors: dict[str, str]) -> alt.LayerChart:
    """Mean statement tone per period (-1 hostile to +1 warm), one line per actor; separate from stance."""
    title = "mean tone" + (f", mean of {smooth} periods" if smooth > 1 else "")
    return _time_lines(series, value="tone_smoothed", title=title, period=period, domain=[-1, 1], colors=colors)


def _unit_positions(frame: pd.DataFrame, unit: str, *, colors: dict[str, str], holders: pd.Series) -> alt.LayerChart:
    """Positions in one unit: a point per value, a rule from the previous value when one is stated."""
    # One slot per document date: positions cluster in short negotiations decades apart.
    base = alt.Chart(frame).encode(x=alt.X("day:O", title="document date", sort="ascending", axis=alt.Axis(labelAngle=-40)))
    y = alt.Y("value:Q", title=unit, axis=alt.Axis(labelExpr=VALUE_LABEL))
    moves = base.transform_filter("isValid(datum.from_value)").mark_rule(strokeWidth=2, color="#5f6368").encode(
        y=y, y2="from_value:Q")
    points = base.mark_point(filled=True, size=90, opacity=0.85, cursor="pointer").encode(
        y=y,
        color=alt.Color("holder_label:N", title="holder", scale=_color_scale(holders, colors)),
        shape=alt.Shape("role:N", title="role"),
        href="href:N",
        tooltip=[alt.Tooltip("day:N", title="date"), alt.Tooltip("shown:N", title="value"), alt.Tooltip("role:N"),
                 alt.Tooltip("holder_label:N", title="holder"), alt.Tooltip("evidence:N", title="text"),
                 alt.Tooltip("title:N", title="document")],
    )
    return alt.layer(moves, points).properties(width=WIDTH, height=130, title=f"in {unit}")


def positions_chart(positions: pd.DataFrame, *, colors: dict[str, str]) -> alt.VConcatChart:
    """Numeric positions over time, one panel per unit (most frequent first)."""
    units = positions["unit"].value_counts().index.tolist()
    panels = [_unit_positions(positions[positions["unit"] == unit], unit, colors=colors, holders=positions["holder_label"])
              for unit in units]
    return alt.vconcat(*panels).resolve_scale(color="shared", shape="shared")
