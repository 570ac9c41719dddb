"""Scrapers: polite fetching, discovery, HTML parsing, dedup and the incremental ingest cycle."""
