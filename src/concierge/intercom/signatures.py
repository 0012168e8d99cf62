"""Intercom's two request signatures, both keyed with the app's OAuth client secret.

- Canvas Kit requests, the installation health check and the uninstall callback carry
  ``X-Body-Signature``: lowercase hex HMAC-SHA256 of the raw body, no prefix.
- Webhook notifications carry ``X-Hub-Signature``: ``sha1=`` + lowercase hex HMAC-SHA1.

Always verify the exact bytes received (never re-serialised JSON). Comparisons are constant
time; surrounding whitespace and uppercase hex are accepted. An empty secret verifies nothing.
"""

from __future__ import annotations

import hmac

WEBHOOK_PREFIX = "sha1="


def _digest(raw: bytes, secret: str, algorithm: str) -> str:
    return hmac.new(secret.encode("utf-8"), raw, algorithm).hexdigest()


def sign_canvas_body(raw: bytes, secret: str) -> str:
    """The ``X-Body-Signature`` value Intercom sends for ``raw``."""
    return _digest(raw, secret, "sha256")


def sign_webhook_body(raw: bytes, secret: str) -> str:
    """The ``X-Hub-Signature`` value Intercom sends for ``raw`` (with the ``sha1=`` prefix)."""
    return WEBHOOK_PREFIX + _digest(raw, secret, "sha1")


def _same(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))


def verify_canvas_signature(raw: bytes, header: str | None, secret: str) -> bool:
    """True when ``header`` is the HMAC-SHA256 hex of ``raw`` under ``secret``."""
    if not header or not secret:
        return False
    return _same(sign_canvas_body(raw, secret), header.strip().lower())


def verify_webhook_signature(raw: bytes, header: str | None, secret: str) -> bool:
    """True when ``header`` is ``sha1=`` + the HMAC-SHA1 hex of ``raw`` under ``secret``."""
    if not header or not secret:
        return False
    given = header.strip()
    if not given.lower().startswith(WEBHOOK_PREFIX):
        return False
    digest = given[len(WEBHOOK_PREFIX) :].lower()
    return _same(sign_webhook_body(raw, secret), WEBHOOK_PREFIX + digest)
