"""Regular stance series: gaps stay NaN, smoothing never fills them, thin periods become gaps."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from pipeline.report.series import period_grid, smooth_series, stance_series


@pytest.mark.parametrize(
    ("start", "end", "period", "expected"),
    [
        (date(2018, 1, 3), date(2018, 1, 16), "week", ["2018-01-01", "2018-01-08", "2018-01-15"]),
        (date(2018, 1, 31), date(2018, 3, 2), "month", ["2018-01-01", "2018-02-01", "2018-03-01"]),
        (date(2018, 2, 27), date(2018, 3, 1), "day", ["2018-02-27", "2018-02-28", "2018-03-01"]),
    ],
)
def test_period_grid_covers_every_period(start, end, period, expected):
    assert [d.strftime("%Y-%m-%d") for d in period_grid(start, end, period=period)] == expected


@pytest.mark.parametrize(
    ("values", "window", "expected"),
    [
        ([1, np.nan, 3, 5], 1, [1, np.nan, 3, 5]),
        ([1, np.nan, 3, 5], 2, [1, np.nan, 3, 4]),
        ([1, np.nan, 3, 5], 3, [1, np.nan, 2, 4]),
        ([np.nan, np.nan, 2], 3, [np.nan, np.nan, 2]),
    ],
)
def test_smoothing_keeps_gaps(values, window, expected):
    got = smooth_series(pd.Series(values, dtype=float), window=window)
    np.testing.assert_allclose(got.to_numpy(), np.array(expected, dtype=float))


def _weekly_rows() -> pd.DataFrame:
    """Weekly view rows for CA with a missing week and a one-statement week."""
    return pd.DataFrame({
        "period": pd.to_datetime(["2018-01-01", "2018-01-15", "2018-01-22"]),
        "actor": ["CA"] * 3, "issue": ["rules_of_origin"] * 3,
        "n_statements": [3, 1, 2], "n_support": [1, 0, 2], "n_oppose": [2, 1, 0], "n_none": [0, 0, 0],
        "net": [-1, -1, 2], "net_share": [-1 / 3, -1.0, 1.0], "mean_tone": [-0.2, -0.5, 0.4],
        "n_documents": [2, 1, 1], "doc_ids": [["d1", "d2"], ["d3"], ["d4"]],
    })


def test_missing_periods_are_gaps_not_zeros():
    series = stance_series(_weekly_rows(), period="week")
    gap = series[series["period"] == pd.Timestamp("2018-01-08")].iloc[0]
    assert np.isnan(gap["net"]) and np.isnan(gap["mean_tone"]) and gap["n_statements"] == 0 and gap["doc_ids"] == ""
    assert series["net"].tolist()[:1] == [-1.0] and len(series) == 4


def test_thin_periods_become_gaps():
    series = stance_series(_weekly_rows(), period="week", min_statements=2)
    assert series["net"].isna().tolist() == [False, True, True, False]


def test_smoothing_in_series_averages_present_values_only():
    series = stance_series(_weekly_rows(), period="week", smooth=2)
    np.testing.assert_allclose(series["net_smoothed"].to_numpy(), [-1.0, np.nan, -1.0, 0.5])
    assert series["doc_ids"].tolist() == ["d1;d2", "", "d3", "d4"]


def test_empty_rows_give_an_empty_frame():
    assert stance_series(_weekly_rows().iloc[0:0], period="month").empty
