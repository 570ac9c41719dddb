"""Parse the number forms of trade text into values and units; pure functions, no spaCy.

``find_quantities(text)`` returns every quantity with its span, value, unit, range low end and
``from_value`` for changes ("to 85 percent from 62 percent", "from 62 to 85 percent",
"up from five pct"). Values are never negative or non-finite.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.nlp.data import read_tsv

UNITS_FILE = DATA_DIR / "units.tsv"

_ONES = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUES = {w: i + 1 for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)} | {"hundred": 100, "a hundred": 100, "one hundred": 100, "a dozen": 12, "dozen": 12}
_WORD_NUM = r"(?:(?:%s)(?:[- ](?:%s))?|a hundred|one hundred|a dozen|%s)" % ("|".join(_TENS), "|".join(_ONES[:9]), "|".join(sorted(_ONES, key=len, reverse=True)))
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
# Words that make a fraction a period of time, not a share ("first half of 1987").
_PERIOD_BEFORE = re.compile(r"(?:first|second|third|fourth|last|next|past|latter|final|early|late|coming)[\s-]+$", re.I)
_PERIOD_AFTER = re.compile(r"^[\s-]*(?:of\s+(?:19|20)\d\d|of the year|of the decade|of the century|year|an hour|hour|century|dozen|point|-?hearted|time|way|measure|the time)", re.I)
_MAX_VALUE = 1e18
# "for a year", "within a month": a single period after a rule preposition ("a year earlier" is not one).
_ONE_PERIOD = re.compile(r"\b(?:for|within|over|after|in|by)\s+(?P<q>an?\s+(?P<unit>year|month|week|day))\b(?!\s+(?:earlier|ago|before|later|or so))", re.I)
INHERIT_CHARS = 80  # how far a bare "700 mln" may be from the amount whose currency it inherits


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """One surface form of a unit, currency symbol, multiplier or fraction word."""

    surface: str
    unit: str
    kind: str
    factor: float
    position: str


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit found in text; ``low`` is set for ranges, ``from_value`` for changes."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    kind: str
    from_value: float | None = None
    low: float | None = None


@lru_cache(maxsize=2)
def read_units(path: Path = UNITS_FILE) -> tuple[UnitEntry, ...]:
    """Return the unit table, longest surfaces first."""
    rows = [UnitEntry(r["surface"], r["unit"], r["kind"], float(r["factor"]), r["position"]) for r in read_tsv(path)]
    return tuple(sorted(rows, key=lambda u: len(u.surface), reverse=True))


def _alternation(surfaces) -> str:
    """Build a regex alternation of escaped surfaces, longest first."""
    return "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Grammar:
    """Compiled regexes and lookups built from the unit table."""

    amount: re.Pattern
    fraction: re.Pattern
    link_from: re.Pattern
    by_surface: dict[str, UnitEntry]


@lru_cache(maxsize=2)
def grammar(path: Path = UNITS_FILE) -> Grammar:
    """Compile the quantity grammar from the unit table."""
    units = read_units(path)
    prefixes = _alternation(u.surface for u in units if u.position == "prefix")
    suffixes = _alternation(u.surface for u in units if u.position == "suffix" and u.kind not in ("multiplier", "fraction"))
    mults = _alternation(u.surface for u in units if u.kind == "multiplier")
    fractions = _alternation(u.surface for u in units if u.kind == "fraction")
    num = rf"(?:{_DIGITS}|{_WORD_NUM})"
    amount = re.compile(
        rf"(?<![\w.$])(?P<pre>{prefixes})?\s?(?P<n1>{num})"
        rf"(?:\s?(?:-|–|to)\s?(?:{prefixes})?(?P<n2>{num}))?"
        rf"(?:\s?(?P<mult>{mults})(?![\w]))?"
        rf"(?:[\s-]?(?P<unit>{suffixes})(?![\w]))?",
        re.I,
    )
    fraction = re.compile(rf"(?<![\w-])(?P<frac>{fractions})(?![\w-])", re.I)
    # "to 85 percent from 62", and, later in the same clause, "85 percent ..., up from 62.5%" or
    # "75 percent ..., compared with 62.5 percent under NAFTA".
    link_from = re.compile(
        r"^(?:\s*,?\s*(?:(?:up|down|compared|compared with|rising|falling|increasing|decreasing)\s+)?from\s+"
        r"|[^.;:()\n]{0,120}?,\s*(?:up|down|rising|falling|increasing|decreasing)\s+from\s+"
        r"|[^.;:()\n]{0,120}?,?\s*compared (?:with|to)\s+)$",
        re.I,
    )
    return Grammar(amount, fraction, link_from, {u.surface.lower(): u for u in units})


def parse_number(text: str) -> float | None:
    """Parse digits ("1,200.5") or number words ("twenty-five") into a float; None if not a number."""
    t = text.strip().lower().replace(",", "")
    if not t:
        return None
    try:
        value = float(t)
    except ValueError:
        parts = re.split(r"[- ]", t)
        if t in WORD_VALUES:
            value = float(WORD_VALUES[t])
        elif len(parts) == 2 and parts[0] in WORD_VALUES and parts[1] in WORD_VALUES:
            value = float(WORD_VALUES[parts[0]] + WORD_VALUES[parts[1]])
        else:
            return None
    return value if math.isfinite(value) and 0 <= value <= _MAX_VALUE else None


def _entry(g: Grammar, surface: str | None) -> UnitEntry | None:
    """Look up a matched unit surface."""
    return g.by_surface.get(surface.lower()) if surface else None


def _scaled(value: float | None, factor: float) -> float | None:
    """Multiply a value, keeping it finite and non-negative."""
    if value is None:
        return None
    scaled = value * factor
    return scaled if math.isfinite(scaled) and 0 <= scaled <= _MAX_VALUE else None


def _atoms(text: str, g: Grammar) -> list[Quantity]:
    """Find single quantities and ranges; unit-less numbers are kept as kind 'bare' for linking."""
    atoms = []
    for m in g.amount.finditer(text):
        pre, unit, mult = _entry(g, m.group("pre")), _entry(g, m.group("unit")), _entry(g, m.group("mult"))
        if mult is not None and mult.surface == "m" and pre is None:
            mult = None  # "5 m" is metres or noise; only "$5m" is a million
        main = pre if pre is not None else unit
        n1, n2 = parse_number(m.group("n1")), parse_number(m.group("n2") or "")
        if n1 is None or (m.group("n2") and n2 is None):
            continue
        factor = (mult.factor if mult else 1.0) * (main.factor if main else 1.0)
        value, low = (_scaled(n2, factor), _scaled(n1, factor)) if n2 is not None else (_scaled(n1, factor), None)
        if value is None:
            continue
        end = m.end() if (unit or mult) else m.end("n2") if m.group("n2") else m.end("n1")
        kind = main.kind if main else "bare_scaled" if mult else "bare"
        start = m.start() if pre is not None else m.start("n1")  # the optional space before a bare number is not part of it
        atoms.append(Quantity(start, end, text[start:end], value, main.unit if main else "", kind, low=low))
    for m in _ONE_PERIOD.finditer(text):
        entry = g.by_surface[m.group("unit").lower()]
        atoms.append(Quantity(m.start("q"), m.end("q"), m.group("q"), entry.factor, entry.unit, entry.kind))
    for m in g.fraction.finditer(text):
        if _PERIOD_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or _PERIOD_AFTER.match(text[m.end():m.end() + 20]):
            continue
        entry = g.by_surface[m.group("frac").lower()]
        atoms.append(Quantity(m.start(), m.end(), m.group(0), entry.factor, entry.unit, "fraction"))
    atoms.sort(key=lambda q: (q.start, -q.end))
    return _drop_overlaps(atoms)


def _drop_overlaps(atoms: list[Quantity]) -> list[Quantity]:
    """Keep the first, longest atom where atoms overlap."""
    kept: list[Quantity] = []
    for atom in atoms:
        if kept and atom.start < kept[-1].end:
            continue
        kept.append(atom)
    return kept


def _with_unit(atom: Quantity, like: Quantity) -> Quantity:
    """Give a bare number the unit of its partner in a range or change."""
    return replace(atom, unit=like.unit, kind=like.kind) if atom.kind == "bare" else atom


def _link(text: str, atoms: list[Quantity], g: Grammar) -> list[Quantity]:
    """Join changes ("to A from B", "from B to A") and ranges ("between A and B")."""
    out: list[Quantity] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        before = text[max(0, atom.start - 10):atom.start]
        gap = text[atom.end:nxt.start] if nxt else ""
        if atom.low is not None and re.search(r"\bfrom\s+$", before, re.I):
            # "from 62 to 85 percent": a change, not a range.
            out.append(replace(atom, from_value=atom.low, low=None))
        elif nxt and atom.kind != "bare" and g.link_from.match(gap):
            source = _with_unit(nxt, atom)
            if source.unit == atom.unit:
                out.append(replace(atom, from_value=source.value))
                i += 2
                continue
            out.append(atom)
        elif nxt and atom.kind == "bare" and re.fullmatch(r"\s+and\s+", gap) and re.search(r"\bbetween\s+$", before, re.I) and nxt.kind != "bare":
            out.append(Quantity(atom.start, nxt.end, text[atom.start:nxt.end], nxt.value, nxt.unit, nxt.kind, low=atom.value))
            i += 2
            continue
        else:
            out.append(atom)
        i += 1
    return [q for q in _inherit_currency(text, out) if not q.kind.startswith("bare")]


def _inherit_currency(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """Give "700 mln" in a list after "1.13 billion dlrs" the currency of that earlier amount."""
    out: list[Quantity] = []
    last: Quantity | None = None
    for q in quantities:
        if q.kind == "bare_scaled" and last is not None and q.start - last.end <= INHERIT_CHARS and "." not in text[last.end:q.start].replace("U.S.", ""):
            q = replace(q, unit=last.unit, kind=last.kind)
        if q.kind == "currency":
            last = q
        out.append(q)
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Return every quantity in the text with its span, value, unit, range and change."""
    g = grammar()
    return _link(text, _atoms(text, g), g)


def parse_quantity(text: str) -> Quantity | None:
    """Parse a short phrase holding one quantity ("300 mln dlrs", "half"); None if there is none."""
    found = find_quantities(text)
    return found[0] if found else None
