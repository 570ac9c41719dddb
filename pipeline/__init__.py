"""tradestance: text mining for trade news and official statements."""

__version__ = "0.1.0"
