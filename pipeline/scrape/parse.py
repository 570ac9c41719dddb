"""HTML page -> main text, title, date, author, canonical URL and speaker turns (pure, no I/O).

trafilatura does the extraction (precision mode, with a recall-mode fallback when the precise
text is much shorter); a small bs4 adapter finds rel=canonical and related-story teasers whose
headlines must not leak into the body; transcripts are normalised to one speaker turn per paragraph.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

import trafilatura
from bs4 import BeautifulSoup

from pipeline.scrape.canonical import resolve_canonical

log = logging.getLogger(__name__)

FALLBACK_RATIO = 0.5  # precise text shorter than this share of the default extraction -> use the default
RELATED = re.compile(
    r"related|recommend|more-?(stories|news|from|articles|coverage)|read-?(more|also|next)|also-?read|see-?also|"
    r"trending|most-?(read|popular|viewed)|outbrain|taboola|further-?reading|story-?list|up-?next|promo-?list",
    re.IGNORECASE,
)
BLOCKS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "section")
# A speaker label opening a paragraph: "AMBASSADOR LIGHTHIZER:", "MS. WALTERS:", "THE PRESIDENT:", or "Q".
NAMED_LABEL = re.compile(r"^((?:[A-Z][A-Za-z'’.\-]*\s+){0,5}[A-Z][A-Z'’.\-]*[A-Z.]):(?:\s+|$)")
Q_LABEL = re.compile(r"^(Q)(?:[:.]\s*|\s+|$)")
MIN_TURNS = 2  # fewer labelled paragraphs than this is not a transcript
MIN_WORDS = 5  # less main text than this is navigation debris, not a document


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn of a transcript: the label and its span [start, end) in the text."""

    speaker: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """What parse_html found in a page."""

    text: str
    title: str | None = None
    published: date | None = None
    author: str | None = None
    canonical_url: str | None = None
    turns: tuple[Turn, ...] = ()


def _norm(text: str) -> str:
    """Collapse whitespace, for comparing lines."""
    return " ".join(text.split())


def _is_related_container(tag) -> bool:
    """Tell whether an element is an aside or is classed/ided as related-story furniture."""
    if tag.name == "aside":
        return True
    marks = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(RELATED.search(marks))


def find_teasers(soup: BeautifulSoup, *, url: str | None) -> frozenset[str]:
    """Return headline texts of related-story links and teasers that must not appear in the body."""
    teasers: set[str] = set()
    for container in soup.find_all(_is_related_container):
        for link in container.find_all("a"):
            text = _norm(link.get_text(" "))
            if len(text.split()) >= 3:
                teasers.add(text)
    for link in soup.find_all("a", href=True):
        href = link["href"].strip()
        if href.startswith("#") or (url and href == url):
            continue
        text = _norm(link.get_text(" "))
        if len(text.split()) < 3 or len(text) > 200:
            continue
        parent = link.parent
        while parent is not None and parent.name not in BLOCKS:
            parent = parent.parent
        if parent is not None and _norm(parent.get_text(" ")) == text:
            teasers.add(text)
    return frozenset(teasers)


def _canonical_href(soup: BeautifulSoup) -> str | None:
    """Return the href of <link rel=canonical>, if any."""
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        if "canonical" in [r.lower() for r in (rel if isinstance(rel, list) else [rel])]:
            return link["href"]
    return None


def _extract_text(html: str, *, url: str | None, max_date: date):
    """Run trafilatura in precision mode with metadata; fall back to the default mode when it is short."""
    params = {"extensive_search": False, "original_date": True, "max_date": max_date.isoformat()}
    precise = trafilatura.bare_extraction(html, url=url, favor_precision=True, include_comments=False,
                                          with_metadata=True, date_extraction_params=params)
    text = (precise.text if precise is not None else "") or ""
    default = trafilatura.extract(html, url=url, include_comments=False) or ""
    if len(text) < FALLBACK_RATIO * len(default):
        text = default
    return text, precise


def normalise_turns(lines: list[str]) -> tuple[list[str], tuple[Turn, ...]]:
    """Join bare speaker labels with the paragraph they introduce and locate each turn in the text."""
    merged: list[str] = []
    for line in lines:
        label_only = NAMED_LABEL.match(line) and NAMED_LABEL.match(line).end() == len(line) or line == "Q"
        if merged and merged[-1].endswith("\x00"):
            merged[-1] = merged[-1][:-1] + " " + line
        elif label_only:
            merged.append(line + "\x00")
        else:
            merged.append(line)
    merged = [m.rstrip("\x00") for m in merged]
    labels = []
    for index, line in enumerate(merged):
        match = NAMED_LABEL.match(line) or Q_LABEL.match(line)
        if match and (match.re is NAMED_LABEL or len(line) > 2):
            labels.append((index, match.group(1)))
    if len(labels) < MIN_TURNS:
        return merged, ()
    offsets, position = [], 0
    for line in merged:
        offsets.append(position)
        position += len(line) + 1
    turns = []
    for k, (index, speaker) in enumerate(labels):
        last = (labels[k + 1][0] if k + 1 < len(labels) else len(merged)) - 1
        turns.append(Turn(speaker=speaker, start=offsets[index], end=offsets[last] + len(merged[last])))
    return merged, tuple(turns)


def _as_date(value: str | None, *, max_date: date) -> date | None:
    """Parse trafilatura's YYYY-MM-DD date; drop it when in the future."""
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return parsed if parsed <= max_date else None


def parse_html(html: str, *, url: str | None, max_date: date | None = None) -> ParsedPage:
    """Extract the main text and metadata of an HTML page; an empty text means nothing usable."""
    max_date = max_date or datetime.now(timezone.utc).date()
    soup = BeautifulSoup(html, "lxml")
    teasers = find_teasers(soup, url=url)
    text, meta = _extract_text(html, url=url, max_date=max_date)
    title = _norm(meta.title) if meta is not None and meta.title else None
    lines = [_norm(line) for line in text.splitlines()]
    lines = [line for line in lines if line and line not in teasers]
    if title and lines and lines[0] == title:
        lines = lines[1:]
    if sum(len(line.split()) for line in lines) < MIN_WORDS:
        lines = []
    lines, turns = normalise_turns(lines)
    canonical = resolve_canonical(url, _canonical_href(soup)) if url else None
    return ParsedPage(
        text="\n".join(lines),
        title=title,
        published=_as_date(meta.date if meta is not None else None, max_date=max_date),
        author=(meta.author or None) if meta is not None else None,
        canonical_url=canonical,
        turns=turns,
    )
