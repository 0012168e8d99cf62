"""Sheets: the unsigned sheet-open form post and its encrypted ``user`` (REFERENCE §1.7).

Intercom form-posts ``intercom_data=<JSON>`` to the sheet URL. Nothing is signed; the
viewer is authenticated by decrypting ``user``: base64(IV[12] ‖ ciphertext ‖ GCM tag[16]),
AES-256-GCM with key = SHA-256 of the app's client secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from concierge.intercom.canvas_requests import (
    CanvasRequestError,
    SheetOpenRequest,
    parse_request,
)
from concierge.intercom.errors import IntercomError

IV_BYTES = 12
TAG_BYTES = 16
FORM_FIELD = "intercom_data"


class SheetTokenError(IntercomError):
    """The encrypted sheet ``user`` cannot be decrypted (or is not what Intercom sends)."""


class SheetFormError(IntercomError):
    """The sheet-open form post has no usable ``intercom_data``."""


def _key(client_secret: str) -> bytes:
    return hashlib.sha256(client_secret.encode("utf-8")).digest()


def _decode(token: str) -> bytes:
    try:
        blob = base64.b64decode("".join(token.split()), validate=True)
    except (binascii.Error, ValueError):
        raise SheetTokenError("the sheet user token is not valid base64") from None
    if len(blob) <= IV_BYTES + TAG_BYTES:
        raise SheetTokenError(f"the sheet user token is too short ({len(blob)} bytes)")
    return blob


def decrypt_sheet_user(token: str, client_secret: str) -> dict[str, Any]:
    """The user object inside a sheet-open ``user`` token; SheetTokenError if it is not genuine."""
    blob = _decode(token)
    try:
        plain = AESGCM(_key(client_secret)).decrypt(blob[:IV_BYTES], blob[IV_BYTES:], None)
    except InvalidTag:
        raise SheetTokenError("the sheet user token failed authentication") from None
    try:
        user = json.loads(plain)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SheetTokenError("the sheet user token does not hold JSON") from None
    if not isinstance(user, dict):
        raise SheetTokenError("the sheet user token does not hold a JSON object")
    return user


def encrypt_sheet_user(user: Mapping[str, Any], client_secret: str) -> str:
    """A ``user`` token as Intercom makes it (for the emulator and tests)."""
    iv = os.urandom(IV_BYTES)
    plain = json.dumps(dict(user), separators=(",", ":")).encode("utf-8")
    sealed = AESGCM(_key(client_secret)).encrypt(iv, plain, None)
    return base64.b64encode(iv + sealed).decode("ascii")


def _form_value(body: bytes | str | Mapping[str, str]) -> str:
    if isinstance(body, Mapping):
        value = body.get(FORM_FIELD)
    else:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        value = next(iter(parse_qs(text).get(FORM_FIELD, [])), None)
    if not value:
        raise SheetFormError(f"the sheet form post has no {FORM_FIELD} field")
    return value


def parse_sheet_open(body: bytes | str | Mapping[str, str]) -> SheetOpenRequest:
    """The ``intercom_data`` of a sheet-open post (raw form bytes/text or a parsed form)."""
    try:
        data = json.loads(_form_value(body))
        return parse_request(SheetOpenRequest, data)
    except json.JSONDecodeError:
        raise SheetFormError(f"{FORM_FIELD} is not valid JSON") from None
    except CanvasRequestError as exc:
        raise SheetFormError(str(exc)) from None


def open_sheet(
    body: bytes | str | Mapping[str, str], client_secret: str
) -> tuple[SheetOpenRequest, dict[str, Any]]:
    """Parse a sheet-open post and decrypt its viewer; the user dict proves who is looking."""
    request = parse_sheet_open(body)
    if not request.user:
        raise SheetTokenError("the sheet form post carries no encrypted user")
    return request, decrypt_sheet_user(request.user, client_secret)
