"""The officials register and role titles: reading, surname keys and resolution by date."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.nlp.data import parse_partial_date, read_tsv

OFFICIALS_FILE = DATA_DIR / "officials.tsv"
ROLE_TITLES_FILE = DATA_DIR / "role_titles.tsv"
NON_OFFICIAL_FILE = DATA_DIR / "non_official_roles.tsv"
PARTICLES = frozenset({"de", "van", "von", "da", "di", "le", "la", "del", "dos", "das", "der", "den", "du", "st.", "mac"})
SURNAME_FIRST = frozenset({"CN", "KR", "TW", "KP", "VN", "HK"})


def fold(text: str) -> str:
    """Lower-case and strip accents, for accent-insensitive name comparison."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


@dataclass(frozen=True, slots=True)
class Tenure:
    """One post held by one person for a period."""

    person_id: str
    name: str
    aliases: tuple[str, ...]
    role: str
    role_key: str
    country: str
    start: date | None
    end: date | None

    def active(self, when: date | None) -> bool:
        """Tell whether the tenure covers the date (an unknown date counts as covered)."""
        if when is None:
            return True
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)


@dataclass(frozen=True, slots=True)
class RoleTitle:
    """A title phrase as text writes it, its normalised role and implied country."""

    phrase: str
    role_key: str
    country: str | None


def surnames(name: str, *, country: str | None = None) -> tuple[str, ...]:
    """Return the folded surname keys of a full name ("Willy De Clercq" -> "de clercq", "clercq")."""
    words = [w for w in fold(name).replace(",", " ").split() if w not in {"jr.", "jr", "sr.", "iii", "ii"}]
    if not words:
        return ()
    keys = [words[-1]]
    if len(words) >= 3 and words[-2] in PARTICLES:
        keys.insert(0, " ".join(words[-2:]))
    if country in SURNAME_FIRST and len(words) >= 2:
        keys.append(words[0])
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True, slots=True)
class Register:
    """All tenures, indexed by folded full name and by surname."""

    tenures: tuple[Tenure, ...]
    by_name: dict[str, str]
    by_surname: dict[str, tuple[str, ...]]
    by_person: dict[str, tuple[Tenure, ...]]
    by_first_name: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # folded first name -> (person, folded surname)

    def person(self, person_id: str) -> Tenure:
        """Return the first tenure of a person (name and aliases are the same on every row)."""
        return self.by_person[person_id][0]

    def tenure_at(self, person_id: str, when: date | None) -> Tenure:
        """Return the person's tenure active at the date, else the latest one before it, else the first."""
        rows = self.by_person[person_id]
        active = [t for t in rows if t.active(when)]
        return active[0] if active else rows[0]

    def is_active(self, person_id: str, when: date | None) -> bool:
        """Tell whether the person held any registered post at the date."""
        return any(t.active(when) for t in self.by_person[person_id])

    def holders(self, role_key: str, country: str | None, when: date | None) -> tuple[Tenure, ...]:
        """Return tenures of the role (and country, if given) active at the date."""
        return tuple(t for t in self.tenures if t.role_key == role_key and (country is None or t.country == country) and t.active(when))


@lru_cache(maxsize=2)
def read_register(path: Path = OFFICIALS_FILE) -> Register:
    """Read officials.tsv into an indexed Register (empty if the file is absent)."""
    if not path.exists():
        return Register((), {}, {}, {})
    tenures = tuple(
        Tenure(
            person_id=r["person_id"], name=r["name"], aliases=tuple(a for a in r.get("aliases", "").split("|") if a),
            role=r.get("role", ""), role_key=r.get("role_key", ""), country=r.get("country", ""),
            start=parse_partial_date(r.get("start", "")), end=parse_partial_date(r.get("end", ""), end=True),
        )
        for r in read_tsv(path)
    )
    by_name: dict[str, str] = {}
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_person: dict[str, list[Tenure]] = defaultdict(list)
    for t in tenures:
        by_person[t.person_id].append(t)
        for form in (t.name, *t.aliases):
            by_name.setdefault(fold(form), t.person_id)
            for key in surnames(form, country=t.country):
                if t.person_id not in by_surname[key]:
                    by_surname[key].append(t.person_id)
    by_first_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for person_id, rows in by_person.items():
        words = fold(rows[0].name).split()
        by_first_name[words[0]].append((person_id, words[-1]))
    return Register(tenures, by_name, {k: tuple(v) for k, v in by_surname.items()}, {k: tuple(v) for k, v in by_person.items()},
                    {k: tuple(v) for k, v in by_first_name.items()})


@lru_cache(maxsize=2)
def read_role_titles(path: Path = ROLE_TITLES_FILE) -> tuple[RoleTitle, ...]:
    """Read role title phrases, longest first (empty if the file is absent)."""
    if not path.exists():
        return ()
    rows = [RoleTitle(r["phrase"].lower(), r["role_key"], r.get("country") or None) for r in read_tsv(path)]
    return tuple(sorted(rows, key=lambda r: len(r.phrase), reverse=True))


@lru_cache(maxsize=2)
def read_non_official_roles(path: Path = NON_OFFICIAL_FILE) -> tuple[str, ...]:
    """Read the role words that mark business people, analysts and economists."""
    return tuple(r["phrase"].lower() for r in read_tsv(path))
