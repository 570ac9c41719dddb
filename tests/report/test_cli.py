"""``tradestance report`` end to end on a database file: files, exit codes, messages."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline import commands  # noqa: F401  (registers the subcommands)
from pipeline.cli import cli
from pipeline.commands.report import EXIT_EMPTY


def _run(db, *args):
    """Invoke the CLI with the given database and arguments."""
    return CliRunner().invoke(cli, ["--db", str(db), "report", *args])


def test_report_writes_page_and_csvs(hand_db, tmp_path):
    out = tmp_path / "report"
    result = _run(hand_db, "--out", str(out), "--period", "week", "--smooth", "2")
    assert result.exit_code == 0, result.output
    assert (out / "index.html").exists() and (out / "stance-rules_of_origin.csv").exists()
    assert "5 charts" in result.output


def test_max_issues_keeps_the_most_active(hand_db, tmp_path):
    result = _run(hand_db, "--out", str(tmp_path), "--max-issues", "1")
    assert result.exit_code == 0, result.output
    assert "3 charts" in result.output and not (tmp_path / "stance-dairy.csv").exists()


@pytest.mark.parametrize("args", [["--issue", "no_such_issue"], ["--from", "2030-01-01"], ["--actor", "zz"]])
def test_empty_selection_exits_non_zero_with_a_message(hand_db, tmp_path, args):
    out = tmp_path / "empty"
    result = _run(hand_db, "--out", str(out), *args)
    assert result.exit_code == EXIT_EMPTY
    assert "nothing matches the selection" in result.output
    assert "Nothing matches this selection" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["--from", "2019-01-01", "--to", "2018-01-01"], ["--period", "year"], ["--smooth", "0"]])
def test_bad_options_are_usage_errors(hand_db, tmp_path, args):
    assert _run(hand_db, "--out", str(tmp_path), *args).exit_code == 2


def test_missing_database_is_a_one_line_error(tmp_path):
    result = _run(tmp_path / "none.duckdb", "--out", str(tmp_path / "r"))
    assert result.exit_code == 1 and "run `tradestance ingest` first" in result.output
