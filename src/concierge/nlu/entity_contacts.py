"""Built-in entities with a fixed shape: email addresses, US phone numbers, postal codes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from concierge.nlu.entity_spans import PRIORITY, Candidate

EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@])"
)

PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:\+?1[ .-]?)?"
    r"(?:\((?P<area_p>[2-9][0-9]{2})\) ?|(?P<area>[2-9][0-9]{2})[ .-]?)"
    r"(?P<exchange>[2-9][0-9]{2})[ .-]?"
    r"(?P<line>[0-9]{4})"
    r"(?:,? ?(?:ext\.?|extension|x) ?(?P<ext>[0-9]{1,5}))?"
    r"(?![\w]|[.-][0-9])",
    re.IGNORECASE,
)

US_ZIP = re.compile(r"(?<![\w$.,/-])(?P<zip>[0-9]{5}(?:-[0-9]{4})?)(?![\w/]|[.,-][0-9])")

CANADIAN_POSTAL_CODE = re.compile(
    r"(?<!\w)(?P<fsa>[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z])[ -]?"
    r"(?P<ldu>[0-9][ABCEGHJ-NPRSTV-Z][0-9])(?!\w)",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[Candidate]:
    """Email addresses; the value is lowercased."""
    for match in EMAIL.finditer(text):
        value = match.group().lower()
        yield Candidate("email", value, match.start(), match.end(), PRIORITY["email"])


def find_phones(text: str) -> Iterator[Candidate]:
    """US (NANP) phone numbers; the value is ``+1`` and ten digits, e.g. ``+15035550100``."""
    for match in PHONE.finditer(text):
        area = match.group("area_p") or match.group("area")
        value = f"+1{area}{match.group('exchange')}{match.group('line')}"
        extension = match.group("ext")
        attributes = {"extension": extension} if extension else {}
        yield Candidate("phone", value, match.start(), match.end(), PRIORITY["phone"], attributes)


def find_postal_codes(text: str) -> Iterator[Candidate]:
    """US ZIP codes (``97201``, ``97201-1234``) and Canadian postal codes (``V6B 1A1``)."""
    for match in US_ZIP.finditer(text):
        yield Candidate(
            "postal_code",
            match.group("zip"),
            match.start(),
            match.end(),
            PRIORITY["postal_code"],
            {"country": "US"},
        )
    for match in CANADIAN_POSTAL_CODE.finditer(text):
        value = f"{match.group('fsa')} {match.group('ldu')}".upper()
        yield Candidate(
            "postal_code",
            value,
            match.start(),
            match.end(),
            PRIORITY["postal_code"],
            {"country": "CA"},
        )
