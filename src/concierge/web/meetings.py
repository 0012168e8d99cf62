"""``GET /meetings/{uid}.ics``: the invitation of a booked meeting, for the customer's calendar.

The uid is unguessable (144 random bits), so the link itself is the permission, as with
calendar invitation links elsewhere. A booked meeting serves its latest invitation
(``METHOD:REQUEST``), a cancelled one its cancellation (``METHOD:CANCEL``); an unknown uid is
a 404. The file changes when the meeting is moved, so it is never cached.
"""

from __future__ import annotations

import re

from litestar import Response, Router, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from concierge.runtime.meetings import booking_ics
from concierge.store import bookings as booking_store
from concierge.web.errors import WebError
from concierge.web.resources import Resources, provide_resources

SUFFIX = ".ics"
CALENDAR_TYPE = "text/calendar; charset=utf-8"
_UID = re.compile(r"[A-Za-z0-9_-]{16,64}")


class MeetingNotFoundError(WebError):
    """No booking has this uid (or the path is not ``<uid>.ics``)."""

    def __init__(self) -> None:
        super().__init__(404, "not_found", "no such meeting")


@get("/{filename:str}")
async def meeting_invitation(
    filename: FromPath[str], resources: NamedDependency[Resources]
) -> Response[bytes]:
    """The ``.ics`` of booking ``uid`` (``filename`` is ``<uid>.ics``)."""
    uid = filename.removesuffix(SUFFIX)
    if not filename.endswith(SUFFIX) or not _UID.fullmatch(uid):
        raise MeetingNotFoundError
    async with resources.db.transaction() as session:
        booking = await booking_store.find_booking(session, uid)
    if booking is None:
        raise MeetingNotFoundError
    return Response(
        content=booking_ics(booking),
        media_type=CALENDAR_TYPE,
        headers={
            "Content-Disposition": 'inline; filename="invitation.ics"',
            "Cache-Control": "no-store",
        },
    )


meetings_router = Router(
    path="/meetings",
    route_handlers=[meeting_invitation],
    dependencies={"resources": Provide(provide_resources, sync_to_thread=False)},
)
