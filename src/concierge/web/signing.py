"""Read a request's exact bytes and verify Intercom's signature before anything is parsed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from litestar import Request

from concierge.web.errors import BadSignatureError, MalformedBodyError

Verifier = Callable[[bytes, str | None, str], bool]


async def signed_json(
    request: Request[Any, Any, Any], *, header: str, verify: Verifier, secret: str
) -> Any:
    """The decoded JSON body, only after its signature checked out on the raw bytes."""
    raw = await request.body()
    if not verify(raw, request.headers.get(header), secret):
        raise BadSignatureError(header)
    return decode_json(raw)


def decode_json(raw: bytes) -> Any:
    """Decode a JSON body, turning every failure into a 400."""
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedBodyError(f"body is not valid JSON: {exc}") from None
