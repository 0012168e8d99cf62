"""Card numbers and SSNs are masked; look-alike numbers are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from concierge.privacy import contains_sensitive, luhn_valid, mask_data, mask_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my card is 4111 1111 1111 1111 thanks", "my card is [card ending 1111] thanks"),
        ("card: 4111-1111-1111-1111", "card: [card ending 1111]"),
        ("5500005555555559", "[card ending 5559]"),
        ("amex 3782 822463 10005", "amex [card ending 0005]"),
        ("ssn 123-45-6789", "ssn [SSN]"),
        ("my social security number is 123456789", "my social security number is [SSN]"),
        ("SSN: 123 45 6789", "SSN: [SSN]"),
    ],
)
def test_sensitive_numbers_are_masked(text: str, expected: str) -> None:
    assert mask_text(text) == expected
    assert contains_sensitive(text)


@pytest.mark.parametrize(
    "text",
    [
        "order 4111111111111112 is late",  # fails Luhn
        "call me at 503-555-0100",
        "we need 300 LED high-bays for $45,000",
        "account PES-123456, zip 97201",
        "invoice 000-12-3456",  # not a valid SSN area
    ],
)
def test_look_alikes_are_left_alone(text: str) -> None:
    assert mask_text(text) == text


def test_nested_payloads_are_masked() -> None:
    payload = {"data": {"item": {"source": {"body": "<p>4111 1111 1111 1111</p>"}}}, "n": 4}
    assert mask_data(payload) == {
        "data": {"item": {"source": {"body": "<p>[card ending 1111]</p>"}}},
        "n": 4,
    }


@given(st.text())
def test_masking_is_idempotent(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once


def test_luhn() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
