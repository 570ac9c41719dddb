"""Sources file validation, and the shipped sources.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.scrape.sources import SOURCE_KINDS, Source, parse_sources, read_sources

SHIPPED = Path(__file__).resolve().parents[2] / "sources.toml"


def test_valid_source_defaults():
    """A minimal table gets the documented defaults."""
    (source,) = parse_sources('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://example.org/feed"\n', origin="t")
    assert source == Source(name="a", kind="feed", url="https://example.org/feed")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[source]]\nkind = "feed"\nurl = "https://e.org/"\n', "'name' is required"),
        ('[[source]]\nname = "a"\nkind = "rss"\nurl = "https://e.org/"\n', "'kind' must be one of"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "ftp://e.org/x"\n', "absolute http(s) URL"),
        ('[[source]]\nname = "a"\nkind = "listing"\nurl = "https://e.org/"\n', "needs 'link_pattern'"),
        ('[[source]]\nname = "a"\nkind = "listing"\nurl = "https://e.org/"\nlink_pattern = "("\n', "not a valid regular expression"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://e.org/"\nrate = 0\n', "'rate' must be"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://e.org/"\nmax_pages = 0\n', "'max_pages' must be"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://e.org/"\ndocument_kind = "blog"\n', "'document_kind' must be"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://e.org/"\nspeed = 3\n', "unknown key(s) speed"),
        ('[[source]]\nname = "a"\nkind = "feed"\nurl = "https://e.org/"\n[[source]]\nname = "a"\nkind = "url"\nurl = "https://e.org/x"\n', "duplicate source name"),
        ("title = 'no sources'\n", "no sources"),
        ("[[source]\n", "invalid TOML"),
    ],
)
def test_invalid_sources_say_what_to_fix(body, message):
    """Each kind of mistake is reported with a message naming the fix."""
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_sources(body, origin="sources.toml")


def test_missing_file_is_a_config_error(tmp_path):
    """A missing sources file names the --sources option."""
    with pytest.raises(ConfigError, match="--sources"):
        read_sources(tmp_path / "nope.toml")


def test_shipped_sources_are_valid_and_cover_the_required_publishers():
    """The default sources.toml parses and names every publisher the issue asks for."""
    sources = read_sources(SHIPPED)
    hosts = " ".join(s.url for s in sources)
    for host in ("ustr.gov", "whitehouse.gov", "canada.ca", "trade.ec.europa.eu", "presidency.ucsb.edu", "wto.org"):
        assert host in hosts, host
    assert {s.kind for s in sources} <= set(SOURCE_KINDS)
    assert all(s.rate <= 1.0 for s in sources), "real sites are crawled at one request per second or slower"
