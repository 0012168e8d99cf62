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

import structlog
from litestar import Request, Response, Router, post
from litestar.di import NamedDependency, Provide
from litestar.enums import MediaType

from concierge.intercom.canvas_requests import SheetOpenRequest
from concierge.intercom.sheets import SheetFormError, SheetTokenError
from concierge.intercom.sheets import open_sheet as decrypt_sheet_request
from concierge.web.errors import MalformedBodyError, WebError
from concierge.web.resources import Resources, provide_resources

log = structlog.get_logger(component="sheet")
CSP = "script-src 'self' 'unsafe-inline' https://js.intercomcdn.com/"


def _page(user: dict[str, Any], sheet: SheetOpenRequest) -> str:
    template = Template(
        package_files.files("concierge.web").joinpath("static/sheet.html").read_text("utf-8")
    )
    name = str(user.get("name") or "there")
    return template.safe_substitute(
        name=html.escape(name), component_id=html.escape(sheet.component_id or "")
    )


@post("/messenger/sheet", status_code=200)
async def open_sheet(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> Response[str]:
    """Decrypt the viewer and serve the sheet page (401 when the token does not decrypt)."""
    try:
        sheet, user = decrypt_sheet_request(await request.body(), resources.settings.client_secret)
    except SheetFormError as exc:
        raise MalformedBodyError(str(exc)) from None
    except SheetTokenError:
        raise WebError(401, "bad_sheet_token", "intercom_data.user does not decrypt") from None
    log.info("sheet opened", component_id=sheet.component_id)
    return Response(
        content=_page(user, sheet),
        media_type=MediaType.HTML,
        headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store"},
    )


sheet_router = Router(
    path="/canvas",
    route_handlers=[open_sheet],
    dependencies={"resources": Provide(provide_resources, sync_to_thread=False)},
)
