"""Liveness, readiness and Intercom's installation health check."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency, Provide

from concierge.intercom.signatures import verify_canvas_signature
from concierge.web.resources import Resources, provide_resources
from concierge.web.signing import signed_json


@get("/healthz", sync_to_thread=False)
def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


async def _checks(resources: NamedDependency[Resources]) -> dict[str, bool]:
    return {
        "database": await resources.db.ping(),
        "playbook": resources.brain.last_error is None,
        "model": resources.brain.current.classifier is not None,
        "canvases": resources.canvases is not None,
    }


@get("/readyz")
async def readyz(resources: NamedDependency[Resources]) -> Response[dict[str, Any]]:
    """Readiness: the database answers and the playbook is loaded."""
    checks = await _checks(resources)
    ready = all(checks.values())
    body = {"status": "ready" if ready else "not_ready", "checks": checks}
    return Response(content=body, status_code=200 if ready else 503)


@post("/intercom/health-check", status_code=200)
async def installation_health(
    request: Request[Any, Any, Any], resources: NamedDependency[Resources]
) -> dict[str, str]:
    """Intercom's signed installation health check: OK, or UNHEALTHY with the reason."""
    await signed_json(
        request,
        header="X-Body-Signature",
        verify=verify_canvas_signature,
        secret=resources.settings.client_secret,
    )
    failing = [name for name, ok in (await _checks(resources)).items() if not ok]
    if failing:
        return {"state": "UNHEALTHY", "message": f"Concierge cannot reach: {', '.join(failing)}"}
    return {"state": "OK"}


health_router = Router(
    path="/",
    route_handlers=[healthz, readyz, installation_health],
    dependencies={"resources": Provide(provide_resources, sync_to_thread=False)},
)
