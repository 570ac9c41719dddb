"""parse_html: main text, metadata, related-story teasers, transcripts and dates (pure)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.scrape.parse import normalise_turns, parse_html

SITE = Path(__file__).resolve().parent / "site"


def page(name: str) -> str:
    """Read a replica page with a fixed base URL."""
    return (SITE / name).read_text(encoding="utf-8").replace("{BASE}", "https://replica.test")


def test_related_story_headlines_do_not_leak_into_the_body():
    """Teaser links between the title and the body (the seed's stray headline) are removed."""
    parsed = parse_html(page("articles/seed-pattern.html"), url="https://replica.test/articles/seed-pattern.html")
    assert parsed.title == "Minister outlines auto parts rules of origin"
    for headline in ("Ottawa and Washington settle dairy quota dispute", "Port strike ends after three weeks of stoppages",
                     "Harbour fees frozen for another year",
                     "Grain export ban lifted for the harvest season", "More stories"):
        assert headline not in parsed.text
    assert parsed.text.startswith("The economy minister on Saturday set out")
    assert "75 percent of a car's parts" in parsed.text
    assert parsed.text.rstrip().endswith("where their components come from.")


STORY = "".join(f"<p>Paragraph {i} of the story says the duty on steel rises to 25 percent next year, officials said "
               f"on Tuesday after a long review of the safeguard.</p>" for i in range(4))


@pytest.mark.parametrize(
    "teaser",
    [
        '<h2><a href="/other">Ottawa and Washington settle dairy quota dispute</a></h2>',
        '<p><a href="/other">Ottawa and Washington settle dairy quota dispute</a></p>',
        '<p><strong><a href="/other">Ottawa and Washington settle dairy quota dispute</a></strong></p>',
        '<div class="related-coverage"><a href="/other">Ottawa and Washington settle dairy quota dispute</a></div>',
    ],
)
def test_teaser_patterns_between_title_and_body(teaser):
    """Whatever markup the related headline uses, it does not reach the text; the body does."""
    html = f"<html><head><title>Steel duty</title></head><body><article><h1>Steel duty</h1>{teaser}{STORY}</article></body></html>"
    parsed = parse_html(html, url="https://replica.test/steel")
    assert "dairy quota dispute" not in parsed.text
    assert parsed.text.count("Paragraph") == 4


def test_a_linked_sentence_inside_a_paragraph_stays():
    """A link inside running text is not a teaser."""
    html = ("<html><body><article><h1>Steel duty</h1><p>The ministry said <a href='/notice'>the notice on steel duties</a> "
            "takes effect in May, after a consultation with importers and producers.</p>" + STORY + "</article></body></html>")
    assert "the notice on steel duties takes effect in May" in parse_html(html, url=None).text


def test_article_metadata():
    """Title, date, author and canonical URL come from the page."""
    parsed = parse_html(page("articles/lumber-duties.html"), url="https://replica.test/articles/lumber-duties.html?utm_source=x")
    assert parsed.title == "Lumber duties raised after annual review"
    assert parsed.published == date(2024, 3, 7)
    assert parsed.author == "Dana Okafor"
    assert parsed.canonical_url == "https://replica.test/articles/lumber-duties.html"
    assert "14.4 percent from 8.1 percent" in parsed.text
    assert "Replica Wire" not in (parsed.title or "")


def test_rel_canonical_is_reported():
    """The print copy points to the article as its canonical URL."""
    parsed = parse_html(page("print/steel-safeguard.html"), url="https://replica.test/print/steel-safeguard.html")
    assert parsed.canonical_url == "https://replica.test/articles/steel-safeguard.html"


def test_transcript_keeps_one_speaker_turn_per_paragraph():
    """Speaker labels open paragraphs; a bare label is joined to the paragraph it introduces."""
    parsed = parse_html(page("transcripts/briefing.html"), url=None)
    lines = parsed.text.split("\n")
    assert "SECRETARY DANE: Above the quota the full 25 percent rate still applies, so a surge would be paid for at the old rate." in lines
    assert [t.speaker for t in parsed.turns] == ["MS. RIVERA", "AMBASSADOR HOLLOWAY", "Q", "AMBASSADOR HOLLOWAY", "Q",
                                                   "SECRETARY DANE", "MS. RIVERA"]
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end].startswith(turn.speaker)
    # the Ambassador's first turn spans his two paragraphs
    first = parsed.turns[1]
    assert parsed.text[first.start:first.end].endswith("before we decide anything final.")


@pytest.mark.parametrize(
    ("lines", "speakers"),
    [
        (["AMBASSADOR LIGHTHIZER: Thanks.", "Q Is it final?", "MS. WALTERS: Yes."], ["AMBASSADOR LIGHTHIZER", "Q", "MS. WALTERS"]),
        (["Q", "Will tariffs rise?", "THE PRESIDENT:", "We will see."], ["Q", "THE PRESIDENT"]),
        (["The minister spoke. NOTE: this is not a turn.", "Quotas were discussed."], []),
        (["WASHINGTON: A single dateline is not a transcript."], []),
    ],
)
def test_normalise_turns(lines, speakers):
    """Labels are recognised only at paragraph starts, and at least two make a transcript."""
    merged, turns = normalise_turns(lines)
    assert [t.speaker for t in turns] == speakers
    assert all(not line.endswith("\x00") for line in merged)


BODY = "<p>" + "The tariff on imported bicycles will rise to 12 percent next year, the ministry said. " * 6 + "</p>"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ('<meta property="article:published_time" content="2023-11-02T10:00:00Z">', date(2023, 11, 2)),
        ('<meta property="article:published_time" content="2099-01-01T10:00:00Z">', None),
        ("", None),
    ],
)
def test_publication_date_is_never_in_the_future_or_guessed(meta, expected):
    """Dates come from metadata, are capped at max_date, and undated pages stay undated."""
    html = f"<html><head><title>Bicycle tariff</title>{meta}</head><body><article><h1>Bicycle tariff</h1>{BODY}</article></body></html>"
    assert parse_html(html, url="https://replica.test/a", max_date=date(2024, 6, 1)).published == expected


def test_empty_page_gives_empty_text():
    """A page with no main text yields an empty text, not an error."""
    assert parse_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", url=None).text == ""
