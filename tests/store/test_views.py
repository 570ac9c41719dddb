"""The analyst views of migration 0004 on a real in-memory DuckDB with hand-inserted rows."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from pipeline.store.schema import migrate

VIEWS = ("v_documents", "v_stance_statements", "v_document_stances", "v_stance_daily", "v_stance_weekly",
         "v_stance_monthly", "v_positions", "v_quotes", "v_quote_issues", "v_official_timeline")

# doc_id, published (NULL = undated), revision
DOCS = [("d1", "2018-01-01 09:00", 1), ("d2", "2018-01-03 12:00", 1), ("d3", "2018-01-15 08:00", 1),
        ("d4", "2018-03-02 10:00", 2), ("d5", None, 1)]
# doc_id, revision, start, actor, official, issue, stance, tone
STATEMENTS = [
    ("d1", 1, 0, "CA", "Chrystia Freeland", "rules_of_origin", "oppose", -0.5),
    ("d1", 1, 50, "CA", "Chrystia Freeland", "rules_of_origin", "oppose", -0.3),
    ("d1", 1, 90, "US", "Robert Lighthizer", "rules_of_origin", "support", 0.2),
    ("d2", 1, 0, "CA", None, "rules_of_origin", "support", 0.4),
    ("d3", 1, 0, "CA", None, "rules_of_origin", "none", 0.0),
    ("d4", 2, 0, "CA", "Chrystia Freeland", "rules_of_origin", "support", 0.6),
    ("d4", 1, 0, "CA", None, "rules_of_origin", "oppose", -0.9),   # stale revision: must not count
    ("d5", 1, 0, "CA", None, "rules_of_origin", "oppose", -0.1),   # undated: statements only
]


def _insert(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the hand-made documents and statements."""
    for doc_id, published, revision in DOCS:
        con.execute("INSERT INTO documents (doc_id, revision, sha256, title, url, published, ingested_at, text) "
                    "VALUES (?, ?, 'x', ?, ?, ?::TIMESTAMP, now(), 'text of ' || ?)",
                    [doc_id, revision, f"Title {doc_id}", f"https://example.org/{doc_id}", published, doc_id])
    for doc_id, revision, start, actor, official, issue, stance, tone in STATEMENTS:
        con.execute("INSERT INTO statements VALUES (?, ?, ?, ?, 'evidence', ?, ?, ?, NULL, ?, ?, 0.8, ?)",
                    [doc_id, revision, start, start + 10, actor, official, issue, official is not None, stance, tone])


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    """A migrated in-memory store holding the hand-made rows."""
    con = duckdb.connect(":memory:")
    migrate(con)
    _insert(con)
    return con


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Fetch all rows of a query."""
    return con.execute(sql, params or []).fetchall()


@pytest.mark.parametrize("view", VIEWS)
def test_views_work_on_an_empty_database(view):
    con = duckdb.connect(":memory:")
    migrate(con)
    assert _rows(con, f"SELECT count(*) FROM {view}") == [(0,)]


def test_statements_view_keeps_current_revision_and_undated_rows(con):
    rows = _rows(con, "SELECT doc_id, date, stance FROM v_stance_statements WHERE actor = 'CA' ORDER BY doc_id, start")
    assert ("d4", date(2018, 3, 2), "support") in rows
    assert ("d4", date(2018, 3, 2), "oppose") not in rows
    assert ("d5", None, "oppose") in rows
    assert len(rows) == 6


@pytest.mark.parametrize(
    ("view", "period", "expected"),
    [
        # n, support, oppose, none, net, net_share, mean tone, documents
        ("v_stance_daily", date(2018, 1, 1), (2, 0, 2, 0, -2, -1.0, -0.4, ["d1"])),
        ("v_stance_daily", date(2018, 1, 3), (1, 1, 0, 0, 1, 1.0, 0.4, ["d2"])),
        ("v_stance_weekly", date(2018, 1, 1), (3, 1, 2, 0, -1, -1 / 3, -0.4 / 3, ["d1", "d2"])),
        ("v_stance_weekly", date(2018, 1, 15), (1, 0, 0, 1, 0, None, 0.0, ["d3"])),
        ("v_stance_monthly", date(2018, 1, 1), (4, 1, 2, 1, -1, -1 / 3, -0.1, ["d1", "d2", "d3"])),
        ("v_stance_monthly", date(2018, 3, 1), (1, 1, 0, 0, 1, 1.0, 0.6, ["d4"])),
    ],
)
def test_period_views_count_and_net_exactly(con, view, period, expected):
    rows = _rows(con, f"SELECT n_statements, n_support, n_oppose, n_none, net, net_share, mean_tone, doc_ids "
                      f"FROM {view} WHERE actor = 'CA' AND issue = 'rules_of_origin' AND period = ?", [period])
    assert len(rows) == 1
    got = rows[0]
    assert got[:5] == expected[:5]
    assert got[5] == pytest.approx(expected[5]) if expected[5] is not None else got[5] is None
    assert got[6] == pytest.approx(expected[6])
    assert got[7] == expected[7]


@pytest.mark.parametrize(
    ("view", "periods"),
    [
        ("v_stance_weekly", [date(2018, 1, 1), date(2018, 1, 15), date(2018, 2, 26)]),
        ("v_stance_monthly", [date(2018, 1, 1), date(2018, 3, 1)]),
    ],
)
def test_periods_without_data_have_no_row(con, view, periods):
    # The gap week of 2018-01-08 and the month of February are absent, not zero; undated d5 is left out.
    rows = _rows(con, f"SELECT period FROM {view} WHERE actor = 'CA' ORDER BY period")
    assert [r[0] for r in rows] == periods


def test_actor_and_issue_are_separate_series(con):
    rows = _rows(con, "SELECT actor, net FROM v_stance_monthly WHERE period = DATE '2018-01-01' ORDER BY actor")
    assert rows == [("CA", -1), ("US", 1)]


def test_positions_view_joins_document_date_and_source(con):
    con.execute("INSERT INTO thresholds VALUES ('d4', 2, 5, 15, '75 percent', 75, 'percent', 62.5, 'proposed', 'US', "
                "'rules_of_origin', ['autos'])")
    con.execute("INSERT INTO thresholds VALUES ('d4', 1, 5, 15, '85 percent', 85, 'percent', NULL, 'proposed', 'US', "
                "'rules_of_origin', [])")
    rows = _rows(con, "SELECT date, issue, value, from_value, unit, role, holder, evidence, doc_id, title FROM v_positions")
    assert rows == [(date(2018, 3, 2), "rules_of_origin", 75.0, 62.5, "percent", "proposed", "US", "75 percent", "d4", "Title d4")]


def test_quote_issues_come_from_the_quote_else_from_the_document(con):
    con.execute("INSERT INTO quotes VALUES ('d1', 1, 100, 140, 'we will not accept that', 'Chrystia Freeland', 'CA', 'Foreign Minister')")
    con.execute("INSERT INTO quotes VALUES ('d2', 1, 10, 40, 'good progress', 'Robert Lighthizer', 'US', 'USTR')")
    con.execute("INSERT INTO issue_mentions VALUES ('d1', 1, 120, 126, 'agriculture', 'dairy')")
    con.execute("INSERT INTO issue_mentions VALUES ('d1', 1, 300, 306, 'autos', 'cars')")
    con.execute("INSERT INTO document_issues VALUES ('d1', 1, 'agriculture'), ('d1', 1, 'autos'), ('d2', 1, 'tariffs')")
    con.execute("INSERT INTO official_mentions VALUES ('d1', 1, 60, 77, 'Chrystia Freeland', 'Chrystia Freeland', 'CA', "
                "'Foreign Minister', 'ca-chrystia-freeland', 'name')")
    rows = _rows(con, "SELECT doc_id, speaker, official_id, issue, basis FROM v_quote_issues ORDER BY doc_id, issue")
    assert rows == [("d1", "Chrystia Freeland", "ca-chrystia-freeland", "agriculture", "quote"),
                    ("d2", "Robert Lighthizer", None, "tariffs", "document")]


def test_official_timeline_unites_mentions_quotes_and_statements(con):
    con.execute("INSERT INTO official_mentions VALUES ('d1', 1, 60, 77, 'Chrystia Freeland', 'Chrystia Freeland', 'CA', "
                "'Foreign Minister', 'ca-chrystia-freeland', 'name'), ('d1', 1, 200, 208, 'Freeland', 'Chrystia Freeland', "
                "'CA', 'Foreign Minister', 'ca-chrystia-freeland', 'surname')")
    con.execute("INSERT INTO quotes VALUES ('d1', 1, 100, 140, 'no', 'Chrystia Freeland', 'CA', 'Foreign Minister')")
    rows = _rows(con, "SELECT date, official, official_id, country, roles, n_mentions, n_quotes, n_statements, n_support, "
                      "n_oppose FROM v_official_timeline ORDER BY date NULLS LAST, official")
    assert rows[0] == (date(2018, 1, 1), "Chrystia Freeland", "ca-chrystia-freeland", "CA", ["Foreign Minister"], 2, 1, 2, 0, 2)
    assert (date(2018, 1, 1), "Robert Lighthizer", None, "US", [], 0, 0, 1, 1, 0) in rows
    assert (date(2018, 3, 2), "Chrystia Freeland", None, "CA", [], 0, 0, 1, 1, 0) in rows
