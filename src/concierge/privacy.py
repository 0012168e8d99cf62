"""Mask card numbers and social security numbers before anything is stored, logged, noted
or used for training.

A card number is 13 to 19 digits (spaces or dashes allowed between groups) that passes the
Luhn check; it becomes ``[card ending 1234]``. A US social security number written as
``123-45-6789`` / ``123 45 6789`` (or nine digits right after the words SSN / social
security) becomes ``[SSN]``. Numbers that fail the checks (order numbers, phone numbers)
are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_SSN_DASHED = re.compile(r"(?<!\d)(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?!\d)")
_SSN_LABELLED = re.compile(
    r"(?i)\b(ssn|social security(?: number)?|social)(\s*(?:#|no\.?|number|is|:)?\s*)(\d{9})(?!\d)"
)


def luhn_valid(digits: str) -> bool:
    """True when a digit string passes the Luhn checksum."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return f"[card ending {digits[-4:]}]"
    return match.group(0)


def mask_text(text: str) -> str:
    """The text with card numbers and SSNs masked."""
    masked = _CARD.sub(_mask_card, text)
    masked = _SSN_LABELLED.sub(lambda m: f"{m.group(1)}{m.group(2)}[SSN]", masked)
    return _SSN_DASHED.sub("[SSN]", masked)


def contains_sensitive(text: str) -> bool:
    """True when masking would change the text."""
    return mask_text(text) != text


def mask_data(value: Any) -> Any:
    """Mask every string inside nested JSON-like data (dicts, lists, strings)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_data(item) for item in value]
    return value
