"""``POST /canvas/messenger/sheet``: the sheet page opened from a Messenger card.

Intercom posts a browser form with one field, ``intercom_data`` (JSON). It is not signed;
the viewer is authenticated by decrypting its AES-256-GCM ``user`` with the client secret.
The page must be frameable, so no ``X-Frame-Options`` and no CSP ``frame-ancestors``.
"""

from __future__ import annotations

import html
from importlib import resources as package_files
from string import Template
from typing import Any
from urllib.parse import parse_qs

import structlog
from litestar import Request, Response, Router, post
from litestar.di import Provide
from litestar.enums import MediaType

from concierge.intercom.errors import IntercomError
from concierge.intercom.sheets import decrypt_sheet_user
from concierge.web.errors import MalformedBody, WebError
from concierge.web.resources import Resources, provide_resources
from concierge.web.signing import decode_json

log = structlog.get_logger(component="sheet")
CSP = "script-src 'self' 'unsafe-inline' https://js.intercomcdn.com/"


def _intercom_data(raw: bytes) -> dict[str, Any]:
    try:
        fields = parse_qs(raw.decode("utf-8"), strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise MalformedBody("expected a form post with an intercom_data field") from None
    values = fields.get("intercom_data")
    if not values:
        raise MalformedBody("expected a form post with an intercom_data field")
    data = decode_json(values[0].encode())
    if not isinstance(data, dict) or not isinstance(data.get("user"), str):
        raise MalformedBody("intercom_data must be a JSON object with an encrypted user")
    return data


def _page(user: dict[str, Any], data: dict[str, Any]) -> str:
    template = Template(
        package_files.files("concierge.web").joinpath("static/sheet.html").read_text("utf-8")
    )
    name = str(user.get("name") or "there")
    return template.safe_substitute(
        name=html.escape(name), component_id=html.escape(str(data.get("component_id") or ""))
    )


@post("/messenger/sheet", status_code=200)
async def open_sheet(request: Request[Any, Any, Any], resources: Resources) -> Response[str]:
    """Decrypt the viewer and serve the sheet page (401 when the token does not decrypt)."""
    data = _intercom_data(await request.body())
    try:
        user = decrypt_sheet_user(str(data["user"]), resources.settings.client_secret)
    except IntercomError:
        raise WebError(401, "bad_sheet_token", "intercom_data.user does not decrypt") from None
    log.info("sheet opened", component_id=data.get("component_id"))
    return Response(
        content=_page(user, data),
        media_type=MediaType.HTML,
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"},
    )


sheet_router = Router(
    path="/canvas",
    route_handlers=[open_sheet],
    dependencies={"resources": Provide(provide_resources, sync_to_thread=False)},
)
