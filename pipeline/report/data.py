"""Read what a report needs from the store's views (read-only), filtered by the report options."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import pandas as pd

from pipeline.config import DATA_DIR
from pipeline.errors import StoreError
from pipeline.nlp.data import read_tsv
from pipeline.report.options import ReportOptions

log = logging.getLogger(__name__)

REQUIRED_VIEWS = ("v_stance_statements", "v_stance_daily", "v_stance_weekly", "v_stance_monthly",
                  "v_positions", "v_quote_issues", "v_documents")
PERIOD_VIEWS = {"day": "v_stance_daily", "week": "v_stance_weekly", "month": "v_stance_monthly"}
TRUNC = {"day": "day", "week": "week", "month": "month"}


@dataclass(frozen=True, slots=True)
class ReportData:
    """The selected rows of each view, as data frames, plus what the report needs to explain gaps."""

    stance: pd.DataFrame          # one row per (period, actor, issue) with data, from v_stance_<period>
    statements: pd.DataFrame      # v_stance_statements rows in the selection
    positions: pd.DataFrame       # v_positions rows in the selection
    quotes: pd.DataFrame          # v_quote_issues rows in the selection
    documents: pd.DataFrame       # v_documents rows behind any selected row
    issue_labels: dict[str, str]
    store_statements: int         # statements in the whole store (0 until a stance model ran)

    @property
    def empty(self) -> bool:
        """Tell whether nothing at all matches the selection."""
        return self.statements.empty and self.positions.empty and self.quotes.empty


def read_issue_labels(path=DATA_DIR / "issues.tsv") -> dict[str, str]:
    """Return issue id -> human label from the issues data file."""
    return {row["id"]: row["label"] for row in read_tsv(path)}


def _check_views(con: duckdb.DuckDBPyConnection) -> None:
    """Fail with the fix when the database predates the views migration."""
    have = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    missing = [name for name in REQUIRED_VIEWS if name not in have]
    if missing:
        raise StoreError(
            f"the database has no {', '.join(missing)} (its schema predates the report views); "
            "run any writing command once, e.g. `tradestance ingest` on a new file, to migrate it"
        )


def _where(options: ReportOptions, *, date_col: str, actor_col: str | None, truncate: str | None = None) -> tuple[str, list]:
    """Build the WHERE clause and parameters for the selection on one view."""
    clauses, params = ["TRUE"], []
    low = f"CAST(date_trunc('{truncate}', ?::DATE) AS DATE)" if truncate else "?::DATE"
    if options.date_from:
        clauses.append(f"{date_col} >= {low}")
        params.append(options.date_from)
    if options.date_to:
        clauses.append(f"{date_col} <= ?::DATE")
        params.append(options.date_to)
    if options.issues:
        clauses.append("list_contains(?::VARCHAR[], issue)")
        params.append(list(options.issues))
    if options.actors and actor_col:
        clauses.append(f"list_contains(?::VARCHAR[], {actor_col})")
        params.append(list(options.actors))
    return " AND ".join(clauses), params


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    """Run one query and return all its rows as a data frame."""
    try:
        return con.execute(sql, params).df()
    except duckdb.Error as e:
        raise StoreError(f"report query failed: {str(e).splitlines()[0]}") from e


def read_report_data(con: duckdb.DuckDBPyConnection, *, options: ReportOptions) -> ReportData:
    """Query the views for everything the report shows, restricted to the selection."""
    _check_views(con)
    where, params = _where(options, date_col="period", actor_col="actor", truncate=TRUNC[options.period])
    stance = _frame(con, f"SELECT * FROM {PERIOD_VIEWS[options.period]} WHERE {where} ORDER BY issue, actor, period", params)
    where, params = _where(options, date_col="date", actor_col="actor")
    statements = _frame(con, f"SELECT * FROM v_stance_statements WHERE {where} ORDER BY date, doc_id, start", params)
    where, params = _where(options, date_col="date", actor_col="holder")
    positions = _frame(con, f"SELECT * FROM v_positions WHERE {where} ORDER BY issue, date, doc_id, start", params)
    where, params = _where(options, date_col="date", actor_col="speaker_country")
    quotes = _frame(con, f"SELECT * FROM v_quote_issues WHERE {where} ORDER BY issue, date DESC, doc_id, start", params)
    doc_ids = sorted(set(statements["doc_id"]) | set(positions["doc_id"]) | set(quotes["doc_id"]))
    documents = _frame(con, "SELECT * FROM v_documents WHERE list_contains(?::VARCHAR[], doc_id) ORDER BY date, doc_id", [doc_ids])
    total = con.execute("SELECT count(*) FROM statements").fetchall()[0][0]
    return ReportData(stance=stance, statements=statements, positions=positions, quotes=quotes, documents=documents,
                      issue_labels=read_issue_labels(), store_statements=total)
