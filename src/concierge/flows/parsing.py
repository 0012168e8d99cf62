"""Fallback readers for typed answers when the entity extractor found nothing.

Each reader takes text and returns the normalised value (the same shape the extractor gives:
numbers, ISO dates, lowercased emails, ``+15035550100`` phones) or None.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
_NUMBER = re.compile(
    r"(?<![\w.])\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(k|m|thousand|million)?\b",
    re.IGNORECASE,
)
_SCALE = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}
_PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"([a-z]+)\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_SLASHED = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE)


def find_email(text: str) -> str | None:
    """The first email address in ``text``, lowercased."""
    match = EMAIL.search(text)
    return match.group(0).lower() if match else None


def as_email(value: Any) -> str | None:
    """``value`` as a lowercased email address, when it is exactly one."""
    text = str(value).strip()
    return text.lower() if EMAIL.fullmatch(text) else None


def tidy_number(number: float) -> int | float:
    """Whole numbers as ``int`` (so 300.0 is stored and shown as 300)."""
    return int(number) if number.is_integer() else number


def find_number(text: str) -> int | float | None:
    """The first number in ``text``: "$8,000" → 8000, "40k" → 40000, "2.5" → 2.5."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    whole, fraction, scale = match.groups()
    number = float(whole.replace(",", "") + (fraction or ""))
    return tidy_number(number * _SCALE.get((scale or "").lower(), 1))


def as_number(value: Any) -> int | float | None:
    """``value`` as a finite number (numbers, or text such as "40,000" and "$1.5k")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number: float | None = float(value)
    else:
        text = str(value).strip()
        found = find_number(text)
        number = float(found) if found is not None and _NUMBER.fullmatch(text) else None
    return tidy_number(number) if number is not None and math.isfinite(number) else None


def _phone_digits(candidate: str) -> str | None:
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith("+") and 8 <= len(digits) <= 15:
        return f"+{digits}"
    if len(digits) == 10:
        return f"+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"+{digits}"
    return None


def find_phone(text: str) -> str | None:
    """The first phone number in ``text`` as ``+<country><digits>`` (US numbers get +1)."""
    for match in _PHONE.finditer(text):
        phone = _phone_digits(match.group(0).lstrip("("))
        if phone is not None:
            return phone
    return None


def as_phone(value: Any) -> str | None:
    """``value`` as a normalised phone number, when it holds exactly one."""
    text = str(value).strip()
    match = _PHONE.fullmatch(text)
    return _phone_digits(text.lstrip("(")) if match else None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTHS.get(name.lower(), 0)


def find_date(text: str) -> str | None:
    """The first full date in ``text`` as ``YYYY-MM-DD`` ("March 2, 2027", "3/2/2027")."""
    if match := _ISO.search(text):
        return _iso(int(match[1]), int(match[2]), int(match[3]))
    if match := _SLASHED.search(text):
        return _iso(int(match[3]), int(match[1]), int(match[2]))
    if match := _MONTH_FIRST.search(text):
        return _iso(int(match[3]), _month(match[1]), int(match[2]))
    if match := _DAY_FIRST.search(text):
        return _iso(int(match[3]), _month(match[2]), int(match[1]))
    return None


def as_date(value: Any) -> str | None:
    """``value`` (a date, or an ISO ``YYYY-MM-DD`` string) as an ISO date string."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    match = _ISO.fullmatch(str(value).strip())
    return _iso(int(match[1]), int(match[2]), int(match[3])) if match else None
