"""Trend reports: stance, tone, positions and quotes over time, as one self-contained HTML page."""

from pipeline.report.build import Report, ReportFiles, build_report, make_report, save_report
from pipeline.report.data import ReportData, read_report_data
from pipeline.report.options import PERIODS, ReportOptions

__all__ = ["PERIODS", "Report", "ReportData", "ReportFiles", "ReportOptions", "build_report", "make_report",
           "read_report_data", "save_report"]
