"""Intercom's two signatures: X-Body-Signature (Canvas Kit, HMAC-SHA256 hex) and
X-Hub-Signature (webhooks, ``sha1=`` + HMAC-SHA1 hex), verified on the exact bytes."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from concierge.intercom.signatures import (
    sign_canvas_body,
    sign_webhook_body,
    verify_canvas_signature,
    verify_webhook_signature,
)

SECRET = "0123456789abcdef-client-secret"
BODY = b'{"workspace_id":"ab12cd34","component_id":"get_quote","input_values":{}}'

# RFC 2104 HMAC of the classic pangram under the key "key" (widely published vectors).
FOX = b"The quick brown fox jumps over the lazy dog"
FOX_SHA256 = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
FOX_SHA1 = "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"


class TestCanvasSignature:
    def test_hard_coded_vector(self) -> None:
        assert sign_canvas_body(FOX, "key") == FOX_SHA256
        assert verify_canvas_signature(FOX, FOX_SHA256, "key")

    def test_matches_an_independent_hmac_sha256(self) -> None:
        expected = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
        assert sign_canvas_body(BODY, SECRET) == expected
        assert len(expected) == 64
        assert verify_canvas_signature(BODY, expected, SECRET)

    def test_wrong_secret_is_refused(self) -> None:
        assert not verify_canvas_signature(BODY, sign_canvas_body(BODY, "other"), SECRET)

    def test_tampered_body_is_refused(self) -> None:
        header = sign_canvas_body(BODY, SECRET)
        assert not verify_canvas_signature(BODY.replace(b"get_quote", b"get_quota"), header, SECRET)

    def test_reserialised_json_is_refused(self) -> None:
        header = sign_canvas_body(BODY, SECRET)
        pretty = json.dumps(json.loads(BODY)).encode()
        assert pretty != BODY
        assert not verify_canvas_signature(pretty, header, SECRET)

    @pytest.mark.parametrize("header", [None, "", "   "])
    def test_missing_header_is_refused(self, header: str | None) -> None:
        assert not verify_canvas_signature(BODY, header, SECRET)

    def test_uppercase_hex_and_whitespace_are_accepted(self) -> None:
        header = sign_canvas_body(BODY, SECRET)
        assert verify_canvas_signature(BODY, f"  {header.upper()}\n", SECRET)

    @pytest.mark.parametrize("prefix", ["sha256=", "sha1="])
    def test_a_prefix_is_refused(self, prefix: str) -> None:
        assert not verify_canvas_signature(BODY, prefix + sign_canvas_body(BODY, SECRET), SECRET)

    def test_a_webhook_signature_is_not_a_canvas_signature(self) -> None:
        assert not verify_canvas_signature(BODY, sign_webhook_body(BODY, SECRET), SECRET)

    def test_an_empty_secret_verifies_nothing(self) -> None:
        assert not verify_canvas_signature(BODY, sign_canvas_body(BODY, ""), "")

    def test_a_non_ascii_header_is_refused_not_crashed(self) -> None:
        assert not verify_canvas_signature(BODY, "é" * 64, SECRET)


class TestWebhookSignature:
    def test_hard_coded_vector(self) -> None:
        assert sign_webhook_body(FOX, "key") == "sha1=" + FOX_SHA1
        assert verify_webhook_signature(FOX, "sha1=" + FOX_SHA1, "key")

    def test_matches_an_independent_hmac_sha1(self) -> None:
        expected = "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()
        assert sign_webhook_body(BODY, SECRET) == expected
        assert verify_webhook_signature(BODY, expected, SECRET)

    def test_wrong_secret_is_refused(self) -> None:
        assert not verify_webhook_signature(BODY, sign_webhook_body(BODY, "other"), SECRET)

    def test_tampered_body_is_refused(self) -> None:
        header = sign_webhook_body(BODY, SECRET)
        assert not verify_webhook_signature(BODY + b" ", header, SECRET)

    @pytest.mark.parametrize("header", [None, "", "sha1="])
    def test_missing_header_or_digest_is_refused(self, header: str | None) -> None:
        assert not verify_webhook_signature(BODY, header, SECRET)

    def test_missing_prefix_is_refused(self) -> None:
        digest = sign_webhook_body(BODY, SECRET).removeprefix("sha1=")
        assert not verify_webhook_signature(BODY, digest, SECRET)

    def test_wrong_prefix_is_refused(self) -> None:
        digest = sign_webhook_body(BODY, SECRET).removeprefix("sha1=")
        assert not verify_webhook_signature(BODY, "sha256=" + digest, SECRET)

    def test_sha256_digest_under_the_sha1_prefix_is_refused(self) -> None:
        assert not verify_webhook_signature(BODY, "sha1=" + sign_canvas_body(BODY, SECRET), SECRET)

    def test_uppercase_hex_and_whitespace_are_accepted(self) -> None:
        digest = sign_webhook_body(BODY, SECRET).removeprefix("sha1=")
        assert verify_webhook_signature(BODY, f" sha1={digest.upper()} ", SECRET)

    def test_an_empty_secret_verifies_nothing(self) -> None:
        assert not verify_webhook_signature(BODY, sign_webhook_body(BODY, ""), "")
