"""Trend reports: stance, tone, positions and quotes over time, as one self-contained HTML page.

Modules: ``options`` (ReportOptions, PERIODS), ``data`` (read_report_data, read-only queries of the
views), ``series`` (periods, gaps, smoothing), ``charts`` (altair specs), ``html`` (the page) and
``build`` (build_report / make_report / save_report). Import from the submodules: the package itself
stays light so the CLI starts fast.
"""
