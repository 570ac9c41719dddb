"""The sources file (TOML): ``[[source]]`` tables become validated, frozen Source records."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.errors import ConfigError

SOURCE_KINDS = ("feed", "sitemap", "listing", "url")
DOCUMENT_KINDS = ("article", "transcript", "release", "statement")
KNOWN_KEYS = {"name", "kind", "url", "link_pattern", "document_kind", "rate", "max_pages"}


@dataclass(frozen=True, slots=True)
class Source:
    """One configured source: where to discover documents and how politely to fetch them."""

    name: str
    kind: str
    url: str
    link_pattern: str | None = None
    document_kind: str = "article"
    rate: float = 1.0  # requests per second to this source's host
    max_pages: int = 5  # listing pages / sitemap files followed per run

    def matches(self, url: str) -> bool:
        """Tell whether a discovered link is a document of this source (always true without a pattern)."""
        return self.link_pattern is None or re.search(self.link_pattern, url) is not None


def _source_from_table(table: object, *, where: str) -> Source:
    """Validate one ``[[source]]`` table; raise ConfigError saying what to fix."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table, got {type(table).__name__}")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(KNOWN_KEYS))}")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' is required (a non-empty string)")
    where = f"{where} ({name})"
    kind = table.get("kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}: 'kind' must be one of {', '.join(SOURCE_KINDS)}, got {kind!r}")
    url = table.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ConfigError(f"{where}: 'url' must be an absolute http(s) URL, got {url!r}")
    pattern = table.get("link_pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise ConfigError(f"{where}: 'link_pattern' must be a regular expression string")
        try:
            re.compile(pattern)
        except re.error as e:
            raise ConfigError(f"{where}: 'link_pattern' is not a valid regular expression: {e}") from e
    if kind == "listing" and pattern is None:
        raise ConfigError(f"{where}: a 'listing' source needs 'link_pattern' (a regex matching document links)")
    document_kind = table.get("document_kind", "article")
    if document_kind not in DOCUMENT_KINDS:
        raise ConfigError(f"{where}: 'document_kind' must be one of {', '.join(DOCUMENT_KINDS)}, got {document_kind!r}")
    rate = table.get("rate", 1.0)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 100:
        raise ConfigError(f"{where}: 'rate' must be a number of requests per second in (0, 100], got {rate!r}")
    max_pages = table.get("max_pages", 5)
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise ConfigError(f"{where}: 'max_pages' must be a positive integer, got {max_pages!r}")
    return Source(name=name.strip(), kind=kind, url=url, link_pattern=pattern, document_kind=document_kind,
                  rate=float(rate), max_pages=max_pages)


def parse_sources(text: str, *, origin: str) -> tuple[Source, ...]:
    """Parse sources TOML text into Source records; names must be unique."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{origin}: invalid TOML: {e}") from e
    tables = data.get("source")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{origin}: no sources; add at least one [[source]] table with name, kind and url")
    sources = tuple(_source_from_table(t, where=f"{origin}: source #{i}") for i, t in enumerate(tables, start=1))
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{origin}: duplicate source name(s) {', '.join(duplicates)}; names must be unique")
    return sources


def read_sources(path: Path | str) -> tuple[Source, ...]:
    """Read and validate a sources file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: sources file not found; pass --sources FILE or create sources.toml") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read sources file: {e}") from e
    return parse_sources(text, origin=str(path))
