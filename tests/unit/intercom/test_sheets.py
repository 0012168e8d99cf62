"""Sheets: the encrypted viewer in a sheet-open post is decrypted (or refused), and the
unsigned form post is parsed into a request."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from concierge.intercom.errors import IntercomError
from concierge.intercom.sheets import (
    SheetFormError,
    SheetTokenError,
    decrypt_sheet_user,
    encrypt_sheet_user,
    open_sheet,
    parse_sheet_open,
)

SECRET = "client-secret-for-sheets"
USER = {"type": "user", "id": "65f1c0ffee", "email": "maya@okafor-electric.com", "name": "Maya"}


def seal(plain: bytes, secret: str = SECRET, iv: bytes = b"\x01" * 12) -> str:
    """What Intercom does, written out independently of the code under test."""
    key = hashlib.sha256(secret.encode()).digest()
    return base64.b64encode(iv + AESGCM(key).encrypt(iv, plain, None)).decode()


class TestDecrypt:
    def test_decrypts_a_token_made_the_way_intercom_makes_it(self) -> None:
        assert decrypt_sheet_user(seal(json.dumps(USER).encode()), SECRET) == USER

    def test_round_trip_with_our_own_encryption(self) -> None:
        token = encrypt_sheet_user(USER, SECRET)
        assert decrypt_sheet_user(token, SECRET) == USER

    def test_each_encryption_uses_a_fresh_iv(self) -> None:
        assert encrypt_sheet_user(USER, SECRET) != encrypt_sheet_user(USER, SECRET)

    def test_line_breaks_in_the_token_are_tolerated(self) -> None:
        token = encrypt_sheet_user(USER, SECRET)
        assert decrypt_sheet_user(f"{token[:20]}\n{token[20:]}\n", SECRET) == USER

    def test_wrong_secret_fails_authentication(self) -> None:
        with pytest.raises(SheetTokenError, match="failed authentication"):
            decrypt_sheet_user(encrypt_sheet_user(USER, "another secret"), SECRET)

    def test_tampered_ciphertext_fails_authentication(self) -> None:
        blob = bytearray(base64.b64decode(encrypt_sheet_user(USER, SECRET)))
        blob[14] ^= 0x01
        with pytest.raises(SheetTokenError, match="failed authentication"):
            decrypt_sheet_user(base64.b64encode(bytes(blob)).decode(), SECRET)

    @pytest.mark.parametrize("token", ["not base64 at all!", "abc", "%%%%"])
    def test_bad_base64_is_refused(self, token: str) -> None:
        with pytest.raises(SheetTokenError, match="not valid base64"):
            decrypt_sheet_user(token, SECRET)

    @pytest.mark.parametrize("size", [0, 12, 28])
    def test_blobs_too_short_for_iv_and_tag_are_refused(self, size: int) -> None:
        with pytest.raises(SheetTokenError, match="too short"):
            decrypt_sheet_user(base64.b64encode(b"\x00" * size).decode(), SECRET)

    def test_non_json_plaintext_is_refused(self) -> None:
        with pytest.raises(SheetTokenError, match="does not hold JSON"):
            decrypt_sheet_user(seal(b"\xff not json"), SECRET)

    def test_json_that_is_not_an_object_is_refused(self) -> None:
        with pytest.raises(SheetTokenError, match="JSON object"):
            decrypt_sheet_user(seal(b'["a", "list"]'), SECRET)

    def test_sheet_errors_belong_to_the_intercom_layer(self) -> None:
        assert issubclass(SheetTokenError, IntercomError)
        assert issubclass(SheetFormError, IntercomError)


def intercom_data(user_token: str | None = None) -> dict[str, object]:
    """The §8.1 step 6 shape: what the Messenger form-posts to a sheet URL."""
    data: dict[str, object] = {
        "workspace_id": "ab12cd34",
        "workspace_region": "US",
        "component_id": "open_sheet",
        "context": {"location": "home", "locale": "en", "messenger_action_color": "#0b5fff"},
        "current_canvas": {
            "content": {"components": [{"type": "button", "id": "open_sheet", "label": "Open"}]},
            "stored_data": {"screen": "messenger_home"},
        },
        "input_values": {},
    }
    if user_token is not None:
        data["user"] = user_token
    return data


class TestSheetOpen:
    def test_parses_raw_form_bytes(self) -> None:
        body = urlencode({"intercom_data": json.dumps(intercom_data("tok"))}).encode()
        request = parse_sheet_open(body)
        assert request.workspace_id == "ab12cd34"
        assert request.component_id == "open_sheet"
        assert request.user == "tok"
        assert request.context.messenger_action_colour == "#0b5fff"
        assert request.stored_data == {"screen": "messenger_home"}

    def test_parses_an_already_parsed_form(self) -> None:
        request = parse_sheet_open({"intercom_data": json.dumps(intercom_data())})
        assert request.user is None

    def test_open_sheet_returns_the_request_and_the_decrypted_viewer(self) -> None:
        token = encrypt_sheet_user(USER, SECRET)
        body = urlencode({"intercom_data": json.dumps(intercom_data(token))})
        request, user = open_sheet(body, SECRET)
        assert request.component_id == "open_sheet"
        assert user == USER

    def test_open_sheet_refuses_a_post_with_no_user(self) -> None:
        body = urlencode({"intercom_data": json.dumps(intercom_data())})
        with pytest.raises(SheetTokenError, match="no encrypted user"):
            open_sheet(body, SECRET)

    def test_open_sheet_refuses_a_forged_user(self) -> None:
        forged = encrypt_sheet_user(USER, "guessed secret")
        body = urlencode({"intercom_data": json.dumps(intercom_data(forged))})
        with pytest.raises(SheetTokenError):
            open_sheet(body, SECRET)

    @pytest.mark.parametrize("body", [b"", b"other=1", {"other": "1"}])
    def test_missing_intercom_data_is_refused(self, body: bytes | dict[str, str]) -> None:
        with pytest.raises(SheetFormError, match="no intercom_data"):
            parse_sheet_open(body)

    def test_intercom_data_that_is_not_json_is_refused(self) -> None:
        with pytest.raises(SheetFormError, match="not valid JSON"):
            parse_sheet_open(urlencode({"intercom_data": "{not json"}))

    def test_intercom_data_without_a_workspace_is_refused(self) -> None:
        with pytest.raises(SheetFormError, match="workspace_id"):
            parse_sheet_open(urlencode({"intercom_data": json.dumps({"component_id": "x"})}))
