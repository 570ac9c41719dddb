"""Chart specs: page-wide actor colours, broken lines at gaps, clickable points, one panel per unit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.report import charts


def test_actor_colours_go_to_the_most_frequent_first_and_unattributed_is_grey():
    colors = charts.actor_colors(["US", "MX", None, "MX", "CA"])
    assert list(colors) == ["MX", "CA", "US", charts.UNATTRIBUTED]
    assert colors["MX"] == charts.PALETTE[0] and colors[charts.UNATTRIBUTED] == "#9aa0a6"
    assert charts.actor_colors(["MX", "US", "CA", "MX"]) == colors


def test_twenty_actors_get_twenty_colours():
    codes = [f"A{i:02d}" for i in range(20)]
    assert len(set(charts.actor_colors(codes).values())) == 21


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["1987-03-01", "1987-10-01", "2017-08-01", "2019-07-01"], [("1987-03-01", "1987-10-01"), ("2017-08-01", "2019-07-01")]),
        (["2017-08-01", "2018-08-01", "2019-07-01"], [("2017-08-01", "2019-07-01")]),
        ([], []),
    ],
)
def test_eras_split_at_long_silences(dates, expected):
    got = charts.eras(pd.Series(pd.to_datetime(dates)))
    assert [(a.strftime("%Y-%m-%d"), b.strftime("%Y-%m-%d")) for a, b in got] == expected


def test_distant_eras_become_side_by_side_panels_on_one_scale():
    frame = pd.concat([_series(), _series().assign(period=lambda f: f["period"] + pd.DateOffset(years=30))])
    spec = charts.stance_chart(frame, period="month", smooth=1, colors=charts.actor_colors(["CA"])).to_dict()
    assert len(spec["hconcat"]) == 2 and spec["resolve"]["scale"]["y"] == "shared"


def _series() -> pd.DataFrame:
    """A monthly series for one actor with a two-month gap."""
    periods = pd.date_range("2018-01-01", periods=5, freq="MS")
    return pd.DataFrame({"period": periods, "actor": "CA", "net_smoothed": [1, np.nan, np.nan, -1, 0],
                         "tone_smoothed": [0.1, np.nan, np.nan, -0.2, 0], "n_support": 1, "n_oppose": 0,
                         "n_statements": 1, "doc_ids": "d1", "href": "#doc-d1"})


def test_only_the_first_gap_row_is_kept_to_break_the_line():
    kept = charts.break_rows(_series(), value="net_smoothed")
    assert kept["period"].dt.month.tolist() == [1, 2, 4, 5]


@pytest.mark.parametrize("make", [charts.stance_chart, charts.tone_chart])
def test_time_charts_break_lines_and_link_points(make):
    spec = make(_series(), period="month", smooth=1, colors=charts.actor_colors(["CA"])).to_dict()
    line, points = spec["layer"][1], spec["layer"][2]
    assert line["mark"]["invalid"] == "break-paths-filter-domains"
    assert points["encoding"]["href"]["field"] == "href"
    assert points["encoding"]["color"]["scale"]["domain"] == ["CA"]


def test_positions_get_one_panel_per_unit_most_frequent_first():
    frame = pd.DataFrame({"day": ["2017-10-13", "2018-04-12", "2018-04-12"], "value": [85.0, 75.0, 16.0],
                          "from_value": [np.nan, 85.0, np.nan], "unit": ["percent", "percent", "USD"],
                          "role": "proposed", "holder_label": "US", "href": "#d", "shown": "x", "evidence": "x", "title": "t"})
    spec = charts.positions_chart(frame, colors=charts.actor_colors(["US"])).to_dict()
    assert [panel["title"] for panel in spec["vconcat"]] == ["in percent", "in USD"]
