"""Which REST handler answers which method and path (Intercom's path templates)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from concierge.intercom.emulator import api_contacts, api_conversations, api_directory
from concierge.intercom.emulator import api_vocabulary as vocabulary
from concierge.intercom.emulator.errors import not_found
from concierge.intercom.emulator.exchange import Call, EmulatorResponse

Handler = Callable[[Call], EmulatorResponse]


@dataclass(frozen=True)
class Route:
    """A method and a path template such as ``/conversations/{conversation_id}/reply``."""

    method: str
    template: str
    handler: Handler
    pattern: re.Pattern[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template)
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))


REST_ROUTES = (
    Route("GET", "/me", api_directory.get_me),
    Route("GET", "/admins", api_directory.list_admins),
    Route("GET", "/admins/{admin_id}", api_directory.get_admin),
    Route("PUT", "/admins/{admin_id}/away", api_directory.set_away),
    Route("GET", "/teams", api_directory.list_teams),
    Route("GET", "/teams/{team_id}", api_directory.get_team),
    Route("GET", "/conversations/{conversation_id}", api_conversations.get_conversation),
    Route("POST", "/conversations/{conversation_id}/reply", api_conversations.reply),
    Route("POST", "/conversations/{conversation_id}/parts", api_conversations.manage),
    Route("POST", "/conversations/{conversation_id}/tags", api_conversations.add_tag),
    Route("DELETE", "/conversations/{conversation_id}/tags/{tag_id}", api_conversations.remove_tag),
    Route("GET", "/tags", vocabulary.list_tags),
    Route("POST", "/tags", vocabulary.upsert_tag),
    Route("GET", "/contacts/{contact_id}", api_contacts.get_contact),
    Route("PUT", "/contacts/{contact_id}", api_contacts.update_contact),
    Route("GET", "/data_attributes", vocabulary.list_data_attributes),
    Route("POST", "/data_attributes", vocabulary.create_data_attribute),
)


def resolve(method: str, path: str) -> tuple[Handler, dict[str, str]]:
    """The handler and path parameters for a request, or Intercom's 404."""
    for route in REST_ROUTES:
        match = route.pattern.match(path)
        if match and route.method == method.upper():
            return route.handler, match.groupdict()
    raise not_found()
