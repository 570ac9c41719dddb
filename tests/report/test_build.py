"""Report building on a hand-filled store: selection, gaps in the CSVs, anchors, the empty page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.errors import StoreError
from pipeline.report.build import build_report, make_report
from pipeline.report.data import read_report_data
from pipeline.report.options import ReportOptions
from pipeline.report.build import format_value
from pipeline.report.html import doc_anchor


@pytest.mark.parametrize(
    ("options", "statements", "actors"),
    [
        (ReportOptions(), 7, {"CA", "US", "MX"}),
        (ReportOptions(actors=("CA",)), 5, {"CA"}),
        (ReportOptions(issues=("dairy",)), 1, {"MX"}),
        (ReportOptions(date_from=date(2018, 1, 2), date_to=date(2018, 1, 31)), 2, {"CA"}),
    ],
)
def test_selection_filters_the_view_rows(hand_con, options, statements, actors):
    data = read_report_data(hand_con, options=options)
    assert len(data.statements) == statements
    assert set(data.statements["actor"]) == actors


def test_weekly_stance_csv_has_gaps_not_zeros(hand_con, tmp_path):
    files = build_report(hand_con, out_dir=tmp_path, options=ReportOptions(period="week", actors=("CA",)))
    stance = pd.read_csv(tmp_path / "stance-rules_of_origin.csv", parse_dates=["period"])
    by_week = stance.set_index("period")
    assert by_week.loc["2018-01-01", "net"] == -1
    assert pd.isna(by_week.loc["2018-01-08", "net"]) and by_week.loc["2018-01-08", "n_statements"] == 0
    assert by_week.loc["2018-01-15", "net"] == 0
    assert pd.isna(by_week.loc["2018-02-05", "net"])
    assert by_week.loc["2018-02-26", "net"] == 1
    # The only position is held by the US, so the CA-only selection has no positions chart.
    assert {p.name for p in files.csvs} == {"stance-rules_of_origin.csv", "tone-rules_of_origin.csv", "documents.csv"}


def test_tone_csv_is_separate_from_stance(hand_con, tmp_path):
    build_report(hand_con, out_dir=tmp_path, options=ReportOptions(period="month", actors=("CA",)))
    tone = pd.read_csv(tmp_path / "tone-rules_of_origin.csv", parse_dates=["period"]).set_index("period")
    assert "net" not in tone.columns
    assert tone.loc["2018-01-01", "mean_tone"] == pytest.approx(-0.1)
    assert pd.isna(tone.loc["2018-02-01", "mean_tone"])


def test_page_links_every_point_to_an_anchored_document(hand_con):
    report = make_report(read_report_data(hand_con, options=ReportOptions()), options=ReportOptions())
    for doc_id in ("d1", "d2", "d3", "d4"):
        anchor = doc_anchor(doc_id)
        assert f'id="{anchor}"' in report.html and f'href="#{anchor}"' in report.html
    assert len(report.charts) == 5  # stance + tone for two issues, positions for one
    assert "Chrystia Freeland" in report.html and "62.5% → 75%" in report.html
    assert "cdn.jsdelivr" not in report.html and "vegaEmbed" in report.html


def test_empty_selection_says_so_in_the_page(hand_con, tmp_path):
    files = build_report(hand_con, out_dir=tmp_path, options=ReportOptions(issues=("no_such_issue",)))
    page = files.html.read_text(encoding="utf-8")
    assert files.empty and files.charts == 0
    assert 'id="empty-selection"' in page and "Nothing matches this selection" in page
    assert "Unknown issue id(s): no_such_issue" in page and "rules_of_origin" in page


def test_database_without_views_gets_a_fix(tmp_path):
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE statements (x INTEGER)")
    with pytest.raises(StoreError, match="run any writing command"):
        read_report_data(con, options=ReportOptions())


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(85.0, "percent", "85%"), (16600000000.000002, "USD", "16.6 billion USD"), (5.0, "years", "5 years"),
     (300000000.0, "USD", "300 million USD")],
)
def test_format_value(value, unit, shown):
    assert format_value(value, unit) == shown


@pytest.mark.parametrize("bad", [dict(period="year"), dict(smooth=0), dict(date_from=date(2019, 1, 1), date_to=date(2018, 1, 1))])
def test_impossible_options_are_refused(bad):
    with pytest.raises(ValueError):
        ReportOptions(**bad)


def test_saved_files_are_beside_the_page(hand_con, tmp_path: Path):
    files = build_report(hand_con, out_dir=tmp_path / "out", options=ReportOptions())
    assert files.html == tmp_path / "out" / "index.html"
    assert all(p.parent == files.html.parent and p.stat().st_size > 0 for p in files.csvs)
    for name in (p.name for p in files.csvs if p.name != "documents.csv"):
        assert f'href="{name}"' in files.html.read_text(encoding="utf-8")


def test_list_columns_are_flat_in_csv(hand_con, tmp_path):
    build_report(hand_con, out_dir=tmp_path, options=ReportOptions())
    documents = pd.read_csv(tmp_path / "documents.csv").set_index("doc_id")
    assert documents.loc["d2", "issues"] == "rules_of_origin"


def test_busiest_actors_are_drawn_and_all_are_in_the_csv(hand_con, tmp_path):
    files = build_report(hand_con, out_dir=tmp_path, options=ReportOptions(max_actors=1))
    stance = pd.read_csv(tmp_path / "stance-rules_of_origin.csv")
    assert set(stance["actor"]) == {"CA", "US"}
    assert "Drawn: the 1 actor(s) with most statements; US are in the CSV." in files.html.read_text(encoding="utf-8")
