"""Turn per-period stance rows into regular time series: gaps stay gaps, smoothing never fills them."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

FREQ = {"day": "D", "week": "W-MON", "month": "MS"}

SERIES_COLUMNS = ["issue", "actor", "period", "n_statements", "n_support", "n_oppose", "net", "net_smoothed",
                  "mean_tone", "tone_smoothed", "n_documents", "doc_ids"]


def period_start(day: date, *, period: str) -> pd.Timestamp:
    """Return the first day of the period containing ``day`` (weeks start on Monday)."""
    stamp = pd.Timestamp(day)
    if period == "week":
        return stamp - pd.Timedelta(days=stamp.weekday())
    if period == "month":
        return stamp.replace(day=1)
    return stamp


def period_grid(start: date, end: date, *, period: str) -> pd.DatetimeIndex:
    """Return every period start from the period of ``start`` to the period of ``end``."""
    return pd.date_range(period_start(start, period=period), period_start(end, period=period), freq=FREQ[period])


def smooth_series(values: pd.Series, *, window: int) -> pd.Series:
    """Trailing mean over ``window`` periods of the values present; periods without data stay NaN."""
    if window <= 1:
        return values.astype(float)
    smoothed = values.astype(float).rolling(window=window, min_periods=1).mean()
    return smoothed.where(values.notna())


def _one_series(rows: pd.DataFrame, grid: pd.DatetimeIndex, *, smooth: int, min_statements: int) -> pd.DataFrame:
    """Reindex one (issue, actor) series on the full grid, blanking thin periods, and smooth it."""
    rows = rows.assign(period=pd.to_datetime(rows["period"])).set_index("period")
    frame = rows.reindex(grid)
    thin = frame["n_statements"].fillna(0) < min_statements
    for column in ("net", "mean_tone"):
        frame[column] = frame[column].astype(float).mask(thin)
    frame["net_smoothed"] = smooth_series(frame["net"], window=smooth)
    frame["tone_smoothed"] = smooth_series(frame["mean_tone"], window=smooth)
    frame["doc_ids"] = [";".join(ids) if isinstance(ids, list | tuple | np.ndarray) else "" for ids in frame["doc_ids"]]
    return frame.rename_axis("period").reset_index()


def stance_series(stance: pd.DataFrame, *, period: str, smooth: int = 1, min_statements: int = 1,
                  start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """Return one row per issue, actor and period over each issue's full span; no-data periods are NaN."""
    if stance.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    parts = []
    for issue, issue_rows in stance.groupby("issue", sort=True):
        first = start or pd.Timestamp(issue_rows["period"].min()).date()
        last = end or pd.Timestamp(issue_rows["period"].max()).date()
        grid = period_grid(first, last, period=period)
        for actor, rows in issue_rows.groupby("actor", sort=True):
            frame = _one_series(rows.drop(columns=["issue", "actor"]), grid, smooth=smooth, min_statements=min_statements)
            parts.append(frame.assign(issue=issue, actor=actor))
    out = pd.concat(parts, ignore_index=True)
    for column in ("n_statements", "n_support", "n_oppose", "n_documents"):
        out[column] = out[column].fillna(0).astype(int)
    return out[SERIES_COLUMNS]
