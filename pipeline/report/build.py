"""Build the trend report: data from the views -> sections, charts and CSVs -> files in one folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipeline.report import charts
from pipeline.report.data import ReportData, read_report_data
from pipeline.report.html import doc_anchor, doc_link, esc, page, table
from pipeline.report.options import ReportOptions
from pipeline.report.series import stance_series

log = logging.getLogger(__name__)

QUOTE_CHARS = 320
OPEN_TABLE_ROWS = 12


@dataclass(frozen=True, slots=True)
class Report:
    """A rendered report: the page, the data behind each chart, and whether the selection was empty."""

    html: str
    csvs: dict[str, pd.DataFrame] = field(default_factory=dict)
    charts: tuple[str, ...] = ()
    empty: bool = False


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """Where a saved report's page and CSVs are."""

    html: Path
    csvs: tuple[Path, ...]
    charts: int
    empty: bool


@dataclass(slots=True)
class _Charts:
    """Chart specs and their CSVs collected while the sections are written."""

    specs: dict[str, dict] = field(default_factory=dict)
    csvs: dict[str, pd.DataFrame] = field(default_factory=dict)

    def add(self, name: str, chart, data: pd.DataFrame, *, caption: str) -> str:
        """Register a chart and its CSV; return the figure HTML that holds it."""
        element = f"chart-{len(self.specs) + 1}"
        self.specs[element] = chart.to_dict()
        self.csvs[f"{name}.csv"] = data
        return (f'<figure class="chart"><div class="vis" id="{element}" data-chart="{esc(name)}"></div>'
                f'<figcaption>{caption} · <a href="{esc(name)}.csv">data (CSV)</a></figcaption></figure>')


def _day(value) -> str:
    """Format a date or timestamp as YYYY-MM-DD (empty when unknown)."""
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _safe(name: str) -> str:
    """Return a file-name-safe version of an issue id."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def format_value(value: float, unit: str) -> str:
    """Show a threshold value readably: 85%, 16.6 billion USD, 5 years."""
    if value != value:
        return ""
    magnitude = abs(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if magnitude >= size:
            return f"{value / size:.4g} {word} {unit}"
    number = f"{value:.4g}"
    return f"{number}%" if unit == "percent" else f"{number} {unit}"


def _positions_frame(positions: pd.DataFrame) -> pd.DataFrame:
    """Add the display columns the positions chart and table use."""
    frame = positions.copy()
    frame["holder_label"] = frame["holder"].fillna(charts.UNATTRIBUTED)
    frame["shown"] = [
        (f"{format_value(f, u)} → " if f == f and f is not None else "") + format_value(v, u)
        for v, f, u in zip(frame["value"], frame["from_value"], frame["unit"])
    ]
    frame["href"] = [f"#{doc_anchor(d)}" for d in frame["doc_id"]]
    frame["day"] = [_day(d) for d in frame["date"]]
    return frame


def _stance_section(issue: str, series: pd.DataFrame, options: ReportOptions, box: _Charts, colors: dict[str, str]) -> str:
    """Net stance and tone charts for one issue, and the documents behind each point."""
    rows = series[series["issue"] == issue].copy()
    if rows["net"].notna().sum() == 0:
        return '<h3>Net stance over time</h3><p class="note">No stance statements on this issue in the selection.</p>'
    rows["href"] = [f"#{doc_anchor(ids.split(';')[0])}" if ids else None for ids in rows["doc_ids"]]
    stance_csv = rows.drop(columns=["href", "mean_tone", "tone_smoothed"])
    tone_csv = rows.drop(columns=["href", "n_support", "n_oppose", "net", "net_smoothed"])
    busiest = rows.groupby("actor")["n_statements"].sum().sort_values(ascending=False, kind="stable")
    shown = busiest.index[: options.max_actors]
    others = "" if len(busiest) <= options.max_actors else (
        f" Drawn: the {options.max_actors} actor(s) with most statements; "
        f"{', '.join(busiest.index[options.max_actors:])} are in the CSV.")
    everything, rows = rows, rows[rows["actor"].isin(shown)]
    parts = ["<h3>Net stance over time</h3>",
             box.add(f"stance-{_safe(issue)}", charts.stance_chart(rows, period=options.period, smooth=options.smooth, colors=colors), stance_csv,
                     caption=f"Support minus oppose statements per {options.period} and actor; gaps are periods with "
                             f"fewer than {options.min_statements} statement(s). Click a point to see its documents." + esc(others)),
             "<h3>Tone over time</h3>",
             box.add(f"tone-{_safe(issue)}", charts.tone_chart(rows, period=options.period, smooth=options.smooth, colors=colors), tone_csv,
                     caption="Mean tone of the same statements (−1 hostile … +1 warm), independent of stance.")]
    points = everything[everything["net"].notna()]
    body = [(_day(r.period), esc(r.actor), esc(r.n_support), esc(r.n_oppose), esc(f"{r.net:+.0f}"),
             ", ".join(doc_link(d) for d in r.doc_ids.split(";") if d)) for r in points.itertuples()]
    parts.append("<details><summary>Documents behind each point</summary>"
                 + table(["period", "actor", "support", "oppose", "net", "documents"], body, numeric=(2, 3, 4)) + "</details>")
    return "".join(parts)


def _positions_section(issue: str, positions: pd.DataFrame, box: _Charts, colors: dict[str, str]) -> str:
    """Chart and table of the numeric positions stated on one issue."""
    rows = positions[positions["issue"] == issue]
    if rows.empty:
        return '<h3>Positions</h3><p class="note">No numeric positions on this issue in the selection.</p>'
    frame = _positions_frame(rows)
    csv = frame[["date", "issue", "value", "from_value", "unit", "role", "holder", "evidence", "doc_id", "title", "url"]]
    chart = box.add(f"positions-{_safe(issue)}", charts.positions_chart(frame, colors=colors), csv,
                    caption="Each point is a stated value (colour: holder, shape: role); a grey bar joins it to the "
                            "value it replaces when the text gives one.")
    body = [(esc(r.day), esc(r.shown), esc(r.role), esc(r.holder_label), f"“{esc(r.evidence)}”", doc_link(r.doc_id, label=r.title))
            for r in frame.itertuples()]
    listing = table(["date", "value (from → to)", "role", "holder", "text", "document"], body)
    opened = " open" if len(body) <= OPEN_TABLE_ROWS else ""
    return f"<h3>Positions</h3>{chart}<details{opened}><summary>All {len(body)} positions</summary>{listing}</details>"


def _officials_section(issue: str, quotes: pd.DataFrame, options: ReportOptions) -> str:
    """The most quoted named officials on one issue with their latest quotes."""
    rows = quotes[(quotes["issue"] == issue) & quotes["speaker"].fillna("").ne("")]
    if rows.empty:
        return '<h3>Most quoted officials</h3><p class="note">No attributed quotes on this issue in the selection.</p>'
    counts = rows.groupby("speaker").agg(n=("quote", "size"), last=("date", "max")).sort_values(["n", "last"], ascending=False)
    parts = ["<h3>Most quoted officials</h3>"]
    for speaker, stats in counts.head(options.top_officials).iterrows():
        said = rows[rows["speaker"] == speaker].sort_values(["date", "start"], ascending=False)
        first = said.iloc[0]
        who = ", ".join(esc(v) for v in (first["speaker_role"], first["speaker_country"]) if isinstance(v, str) and v)
        parts.append(f'<div class="official"><span class="who">{esc(speaker)}</span> <span class="meta">{who} · '
                     f'{stats["n"]} quote{"s" if stats["n"] != 1 else ""}</span>')
        for q in said.head(options.quotes_per_official).itertuples():
            text = q.quote if len(q.quote) <= QUOTE_CHARS else q.quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
            parts.append(f"<blockquote>“{esc(text)}” <span class=\"meta\">— {_day(q.date)}, {doc_link(q.doc_id)}</span></blockquote>")
        parts.append("</div>")
    return "".join(parts)


def _issue_order(data: ReportData, options: ReportOptions) -> list[str]:
    """Issues to show: the requested ones, else the most active ones (statements, positions, quotes)."""
    counts = pd.concat([data.statements["issue"], data.positions["issue"], data.quotes["issue"]]).value_counts()
    if options.issues:
        return [i for i in options.issues if i in counts.index]
    return counts.index.tolist()[: options.max_issues]


def _documents_section(documents: pd.DataFrame, data: ReportData) -> str:
    """The documents behind every row of the report, each with an anchor the charts and tables link to."""
    def count(frame: pd.DataFrame) -> pd.Series:
        """Count distinct items per document."""
        return frame.drop_duplicates(["doc_id", "start"]).groupby("doc_id").size() if not frame.empty else pd.Series(dtype=int)

    n_statements, n_positions, n_quotes = count(data.statements), count(data.positions), count(data.quotes)
    body, ids = [], []
    for d in documents.itertuples():
        web = isinstance(d.url, str) and d.url.startswith(("http://", "https://"))
        title = f'<a href="{esc(d.url)}">{esc(d.title)}</a>' if web else esc(d.title)
        body.append((_day(d.date), f"{title}<br><small>{esc(d.doc_id)}</small>", esc(d.source), esc(", ".join(d.issues)),
                     esc(n_statements.get(d.doc_id, 0)), esc(n_positions.get(d.doc_id, 0)), esc(n_quotes.get(d.doc_id, 0))))
        ids.append(doc_anchor(d.doc_id))
    return ('<section id="documents"><h2>Documents</h2><p class="note">Every document behind a point, position or quote above.</p>'
            + table(["date", "title", "source", "issues", "statements", "positions", "quotes"], body, numeric=(4, 5, 6), row_ids=ids)
            + "</section>")


def _header(data: ReportData, options: ReportOptions) -> str:
    """The page header: title, selection and generation time."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"<h1>Trade stance report</h1><p>{esc(options.describe())}</p>"
            f"<p>Generated {now} by tradestance from the store's views (v_stance_*, v_positions, v_quote_issues).</p>")


def _stats(data: ReportData) -> str:
    """Headline counts of the selection."""
    items = [(len(data.documents), "documents"), (len(data.statements), "stance statements"),
             (len(data.positions), "numeric positions"), (data.quotes.drop_duplicates(["doc_id", "start"]).shape[0], "quotes")]
    return '<div class="stats">' + "".join(f'<div class="stat"><b>{n}</b><span>{label}</span></div>' for n, label in items) + "</div>"


def _unknown_issues(options: ReportOptions, data: ReportData) -> str:
    """Name requested issue ids that do not exist, with where the valid ones are listed."""
    unknown = [i for i in options.issues if i not in data.issue_labels]
    if not unknown:
        return ""
    return (f"<br>Unknown issue id(s): {esc(', '.join(unknown))}. Valid ids: "
            f"{esc(', '.join(sorted(data.issue_labels)))} (pipeline/data/issues.tsv).")


def make_report(data: ReportData, *, options: ReportOptions) -> Report:
    """Render the report page and the CSV behind each chart from the selected view rows."""
    header = _header(data, options)
    if data.empty:
        body = ('<div class="empty" id="empty-selection"><b>Nothing matches this selection.</b><br>'
                f"No stance statements, numeric positions or quotes for: {esc(options.describe())}.<br>"
                "Widen --from/--to, drop --issue/--actor filters, or ingest documents first."
                + _unknown_issues(options, data) + "</div>")
        return Report(html=page(title="Trade stance report (empty)", header=header, body=body, specs={}), empty=True)
    box = _Charts()
    series = stance_series(data.stance, period=options.period, smooth=options.smooth, min_statements=options.min_statements)
    issues = _issue_order(data, options)
    colors = charts.actor_colors([*data.statements["actor"], *data.positions["holder"]])
    sections = []
    for issue in issues:
        label = data.issue_labels.get(issue, issue)
        sections.append(f'<section class="issue" id="issue-{_safe(issue)}"><h2>{esc(label)}<small>{esc(issue)}</small></h2>'
                        + _stance_section(issue, series, options, box, colors) + _positions_section(issue, data.positions, box, colors)
                        + _officials_section(issue, data.quotes, options) + "</section>")
    toc = '<nav class="toc"><b>Issues:</b> ' + "".join(
        f'<a href="#issue-{_safe(i)}">{esc(data.issue_labels.get(i, i))}</a> ' for i in issues) + '<a href="#documents">Documents</a></nav>'
    warn = ""
    if data.store_statements == 0:
        warn = ('<p class="warn">The store has no stance statements yet (no stance model was available at ingest), '
                "so the stance and tone charts are empty; positions and quotes are shown.</p>")
    body = _stats(data) + warn + toc + "".join(sections) + _documents_section(data.documents, data)
    box.csvs["documents.csv"] = data.documents
    html = page(title="Trade stance report", header=header, body=body, specs=box.specs)
    return Report(html=html, csvs=box.csvs, charts=tuple(box.specs), empty=False)


def _flat_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """Write list cells (issues, doc ids) as ``a;b`` so CSV readers get plain text."""
    out = frame.copy()
    for column in out.columns[out.dtypes == object]:
        out[column] = [";".join(map(str, v)) if isinstance(v, list | tuple | np.ndarray) else v for v in out[column]]
    return out


def save_report(report: Report, *, out_dir: Path) -> ReportFiles:
    """Write index.html and the CSVs into ``out_dir`` (created if needed)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / "index.html"
    html_path.write_text(report.html, encoding="utf-8")
    written = []
    for name, frame in report.csvs.items():
        path = out_dir / name
        _flat_lists(frame).to_csv(path, index=False)
        written.append(path)
    log.info("report: %s with %d charts and %d CSVs", html_path, len(report.charts), len(written))
    return ReportFiles(html=html_path, csvs=tuple(written), charts=len(report.charts), empty=report.empty)


def build_report(con: duckdb.DuckDBPyConnection, *, out_dir: Path, options: ReportOptions) -> ReportFiles:
    """Read the selection from the views, render the report and save it into ``out_dir``."""
    data = read_report_data(con, options=options)
    return save_report(make_report(data, options=options), out_dir=out_dir)
