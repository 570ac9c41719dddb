"""The report as a person sees it: rendered from the bundled sample and opened in headless Chromium.

Screenshots go to test-output/ at the repository root. Without Chromium the tests skip and say how
to install it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.report.build import build_report
from pipeline.report.options import ReportOptions
from pipeline.store.db import open_readonly
from tests.conftest import ROOT
from tests.report.browser import INSTALL_HINT, check_page, find_chromium

OUTPUT = ROOT / "test-output"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium() -> str:
    """The Chromium executable, or a skip that says how to install it."""
    path = find_chromium()
    if path is None:
        reason = f"Chromium is not installed; {INSTALL_HINT}"
        print(reason)
        pytest.skip(reason)
    return path


def _render(db: Path, out_dir: Path, options: ReportOptions):
    """Build the report from a database file opened read-only, as the CLI does."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    con = open_readonly(db)
    try:
        return build_report(con, out_dir=out_dir, options=options)
    finally:
        con.close()


@pytest.mark.parametrize(
    ("name", "db_fixture", "options"),
    [
        ("report-sample", "sample_db", ReportOptions()),
        ("report-sample-statements-weekly", "sample_with_statements_db",
         ReportOptions(period="week", smooth=2, date_from=None, issues=("rules_of_origin", "autos", "tariffs", "dispute_settlement"))),
    ],
)
def test_report_renders_in_chromium(request, chromium, tmp_path, name, db_fixture, options):
    files = _render(request.getfixturevalue(db_fixture), OUTPUT / name, options)
    assert not files.empty and files.charts > 0
    seen = check_page(files.html.resolve().as_uri(), chromium=chromium, screenshot=OUTPUT / f"{name}.png",
                      user_data_dir=tmp_path / "chromium-profile")
    assert seen.console_errors == ()
    assert seen.remote_requests == (), "the report must open offline"
    assert seen.status.get("done") == "1", seen.status
    assert int(seen.status["errors"]) == 0
    assert seen.charts_drawn == seen.svg_charts == files.charts
    assert seen.screenshot.stat().st_size > 20_000


def test_empty_report_shows_its_message(chromium, sample_db, tmp_path):
    files = _render(sample_db, OUTPUT / "report-empty", ReportOptions(issues=("no_such_issue",)))
    seen = check_page(files.html.resolve().as_uri(), chromium=chromium, screenshot=OUTPUT / "report-empty.png",
                      user_data_dir=tmp_path / "chromium-profile", height=800)
    assert files.empty and seen.empty_message
    assert seen.console_errors == () and seen.status.get("done") == "1"
