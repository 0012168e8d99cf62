"""Checks a template's form screen runs on submitted values, each with a hint for the customer.

In a template: ``validate: {quantity: positive_integer}`` or, with a hint of your own and
blank answers allowed, ``validate: {phone: {rule: phone, optional: true, hint: "..."}}``.
Rules: ``required``, ``email``, ``positive_integer``, ``number``, ``phone``. Every rule except
an ``optional`` one also refuses a blank answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
WHOLE_NUMBER = re.compile(r"\d{1,3}(,\d{3})+|\d+")
NUMBER = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|-?\.\d+")
PHONE = re.compile(r"\+?[\d\s().-]+")


def _filled(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return bool(value)
    return value is not None and str(value).strip() != ""


def _email(text: str) -> bool:
    return EMAIL.fullmatch(text) is not None


def _positive_integer(text: str) -> bool:
    return WHOLE_NUMBER.fullmatch(text) is not None and int(text.replace(",", "")) > 0


def _number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


def _phone(text: str) -> bool:
    digits = sum(char.isdigit() for char in text)
    return PHONE.fullmatch(text) is not None and 7 <= digits <= 15


CHECKS: Mapping[str, Callable[[str], bool]] = {
    "required": lambda _text: True,
    "email": _email,
    "positive_integer": _positive_integer,
    "number": _number,
    "phone": _phone,
}

HINTS: Mapping[str, str] = {
    "required": "Please fill this in.",
    "email": "Please enter an email address, like name@company.com.",
    "positive_integer": "Please enter a whole number greater than zero, like 25.",
    "number": "Please enter a number, like 12.5.",
    "phone": "Please enter a phone number, like 503-555-0142.",
}


@dataclass(frozen=True)
class InputRule:
    """A check on one input's submitted value."""

    rule: str
    hint: str
    optional: bool = False

    def problem(self, value: Any) -> str | None:
        """The hint to show when ``value`` breaks the rule; None when it is fine."""
        if not _filled(value):
            return None if self.optional else self.hint
        if isinstance(value, list | tuple):
            return None
        return None if CHECKS[self.rule](str(value).strip()) else self.hint


def parse_rule(spec: str | Mapping[str, Any]) -> InputRule:
    """A rule from its template form (a rule name, or a mapping with rule/hint/optional)."""
    if isinstance(spec, str):
        return InputRule(spec, HINTS[spec])
    rule = str(spec["rule"])
    return InputRule(rule, str(spec.get("hint") or HINTS[rule]), bool(spec.get("optional", False)))
