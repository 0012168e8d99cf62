"""REST endpoints about the workspace's people: ``/me``, ``/admins``, ``/teams``."""

from __future__ import annotations

from concierge.intercom.emulator import wire
from concierge.intercom.emulator.bodies import AwayRequest, parse
from concierge.intercom.emulator.errors import not_found
from concierge.intercom.emulator.exchange import Call, EmulatorResponse, ok
from concierge.intercom.emulator.records import Admin


def get_me(call: Call) -> EmulatorResponse:
    """``GET /me``: the app's bot admin with the workspace ("app") it belongs to."""
    workspace = call.workspace
    return ok(wire.me_json(workspace.admin(workspace.bot_admin_id), workspace))


def list_admins(call: Call) -> EmulatorResponse:
    """``GET /admins``: every teammate (the bot admin is not listed)."""
    admins = [wire.admin_json(admin) for admin in call.workspace.human_admins()]
    return ok({"type": "admin.list", "admins": admins})


def get_admin(call: Call) -> EmulatorResponse:
    """``GET /admins/{admin_id}`` (the bot admin too)."""
    return ok(wire.admin_json(_admin(call)))


def set_away(call: Call) -> EmulatorResponse:
    """``PUT /admins/{admin_id}/away``; a change sends ``admin.away_mode_updated``."""
    admin = _admin(call, message="Admin for admin_id not found")
    request = parse(AwayRequest, call.body)
    before = (admin.away_mode_enabled, admin.away_mode_reassign, admin.away_status_reason_id)
    admin.away_mode_enabled = request.away_mode_enabled
    admin.away_mode_reassign = request.away_mode_reassign
    admin.away_status_reason_id = request.away_status_reason_id
    body = wire.admin_json(admin)
    if before != (admin.away_mode_enabled, admin.away_mode_reassign, admin.away_status_reason_id):
        call.notify("admin.away_mode_updated", body)
    return ok(body)


def _admin(call: Call, message: str = "Admin not found") -> Admin:
    admin_id = call.params["admin_id"]
    if admin_id not in call.workspace.admins:
        raise not_found(message, code="admin_not_found")
    return call.workspace.admins[admin_id]


def list_teams(call: Call) -> EmulatorResponse:
    """``GET /teams``."""
    teams = [wire.team_json(team, call.workspace) for team in call.workspace.teams.values()]
    return ok({"type": "team.list", "teams": teams})


def get_team(call: Call) -> EmulatorResponse:
    """``GET /teams/{team_id}``."""
    return ok(wire.team_json(call.workspace.team(call.params["team_id"]), call.workspace))
