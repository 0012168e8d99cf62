"""Admins, teams, contacts and data attributes: the seeded workspace and its changes."""

from __future__ import annotations

import pytest

from concierge.intercom.emulator import (
    AdminSeed,
    ContactSeed,
    ConversationSeed,
    Emulator,
    MessageSeed,
    Seed,
    TeamSeed,
)
from concierge.intercom.emulator.seeding import SeedError
from tests.unit.intercom.emulator.conftest import Captured, call, say


async def test_me_is_the_bot_admin_with_its_workspace(emulator: Emulator) -> None:
    me = (await call(emulator, "GET", "/me")).body
    assert me["id"] == "9000001"
    assert me["name"] == "Concierge"
    assert me["app"]["id_code"] == "ecosim01"
    assert me["app"]["region"] == "US"


async def test_admins_lists_teammates_but_not_the_bot(emulator: Emulator) -> None:
    admins = (await call(emulator, "GET", "/admins")).body
    assert admins["type"] == "admin.list"
    ids = [admin["id"] for admin in admins["admins"]]
    assert ids == ["9000101", "9000102", "9000103", "9000104", "9000105"]
    bot = await call(emulator, "GET", "/admins/9000001")
    assert bot.status == 200
    assert bot.body["name"] == "Concierge"
    missing = await call(emulator, "GET", "/admins/1")
    assert missing.status == 404
    assert missing.body["errors"][0]["code"] == "admin_not_found"


async def test_teams_know_their_members(emulator: Emulator) -> None:
    teams = (await call(emulator, "GET", "/teams")).body
    assert [(t["id"], t["name"]) for t in teams["teams"]] == [
        ("5000001", "Sales"),
        ("5000002", "Support"),
        ("5000003", "Catalog"),
    ]
    sales = (await call(emulator, "GET", "/teams/5000001")).body
    assert sales["admin_ids"] == [9000101, 9000102, 9000105]
    assert (await call(emulator, "GET", "/teams/9")).body["errors"][0]["code"] == "team_not_found"


async def test_away_mode_changes_send_one_webhook_each(
    emulator: Emulator, captured: Captured
) -> None:
    away = {"away_mode_enabled": True, "away_mode_reassign": True}
    response = await call(emulator, "PUT", "/admins/9000101/away", away)
    assert response.body["away_mode_enabled"] is True
    await call(emulator, "PUT", "/admins/9000101/away", away)  # no change, no webhook
    await emulator.wait_for_deliveries()
    assert captured.topics() == ["admin.away_mode_updated"]
    item = captured.bodies()[0]["data"]["item"]
    assert item["id"] == "9000101"
    assert item["away_mode_enabled"] is True
    listed = (await call(emulator, "GET", "/admins/9000101")).body
    assert listed["away_mode_reassign"] is True


async def test_updating_a_contact_needs_existing_custom_attributes(emulator: Emulator) -> None:
    sent = await say(emulator, "Hi", contact={"email": "dee@example.com"})
    path = f"/contacts/{sent['contact_id']}"
    unknown = await call(emulator, "PUT", path, {"custom_attributes": {"lead_score": 80}})
    assert unknown.status == 400
    assert unknown.body["errors"] == [
        {"code": "parameter_not_found", "message": "Custom attribute 'lead_score' does not exist"}
    ]
    created = await call(
        emulator,
        "POST",
        "/data_attributes",
        {"name": "lead_score", "model": "contact", "data_type": "integer"},
    )
    assert created.status == 200
    assert created.body["full_name"] == "custom_attributes.lead_score"
    updated = await call(
        emulator, "PUT", path, {"name": "Dee", "custom_attributes": {"lead_score": 80}}
    )
    assert updated.body["name"] == "Dee"
    assert updated.body["custom_attributes"] == {"lead_score": 80}
    wrong_type = await call(emulator, "PUT", path, {"custom_attributes": {"lead_score": "high"}})
    assert wrong_type.status == 400
    assert wrong_type.body["errors"][0]["code"] == "parameter_invalid"


async def test_data_attributes_list_defaults_and_custom_ones(emulator: Emulator) -> None:
    listed = (await call(emulator, "GET", "/data_attributes", query={"model": "contact"})).body
    names = {a["name"]: a for a in listed["data"]}
    assert {"email", "name", "phone", "account_number"} <= names.keys()
    assert names["email"]["custom"] is False
    assert "id" not in names["email"]
    assert names["account_number"]["custom"] is True
    assert all(a["model"] == "contact" for a in listed["data"])
    bad = await call(emulator, "GET", "/data_attributes", query={"model": "ticket"})
    assert bad.status == 400


async def test_duplicate_and_list_data_attributes(emulator: Emulator) -> None:
    body = {
        "name": "segment",
        "model": "contact",
        "data_type": "options",
        "options": [{"value": "residential"}, {"value": "utility"}],
    }
    created = await call(emulator, "POST", "/data_attributes", body)
    assert created.body["data_type"] == "string"
    assert created.body["options"] == ["residential", "utility"]
    duplicate = await call(emulator, "POST", "/data_attributes", body)
    assert duplicate.status == 400
    assert "You already have 'segment'" in duplicate.body["errors"][0]["message"]
    sent = await say(emulator, "Hi")
    path = f"/contacts/{sent['contact_id']}"
    assert (
        await call(emulator, "PUT", path, {"custom_attributes": {"segment": "utility"}})
    ).status == 200
    assert (
        await call(emulator, "PUT", path, {"custom_attributes": {"segment": "moon"}})
    ).status == 400


async def test_messages_reuse_a_contact_by_email_and_make_leads_without_one(
    emulator: Emulator,
) -> None:
    first = await say(emulator, "One", contact={"email": "Eve@Example.com", "name": "Eve"})
    second = await say(emulator, "Two", contact={"email": "eve@example.com"})
    anonymous = await say(emulator, "Three")
    assert first["contact_id"] == second["contact_id"]
    assert first["conversation_id"] != second["conversation_id"]
    eve = (await call(emulator, "GET", f"/contacts/{first['contact_id']}")).body
    lead = (await call(emulator, "GET", f"/contacts/{anonymous['contact_id']}")).body
    assert eve["role"] == "user"
    assert eve["name"] == "Eve"
    assert lead["role"] == "lead"
    assert lead["email"] == ""


async def test_seed_overrides_replace_only_what_they_name() -> None:
    seed = Seed(
        admins=(AdminSeed(id="42", name="Solo", email="solo@example.com", team_ids=("5000002",)),),
        contacts=(ContactSeed(id="c1", email="c1@example.com"),),
        conversations=(
            ConversationSeed(
                id="77",
                contact_id="c1",
                messages=(
                    MessageSeed(author_id="c1", body="Old question"),
                    MessageSeed(author_id="42", body="Old answer"),
                ),
            ),
        ),
    )
    emulator = Emulator(client_secret="s", webhook_url=None, bot_admin_id="555", seed=seed)
    admins = (await call(emulator, "GET", "/admins")).body["admins"]
    assert [a["id"] for a in admins] == ["42"]
    assert (await call(emulator, "GET", "/teams/5000002")).body["admin_ids"] == [42]
    assert (await call(emulator, "GET", "/me")).body["id"] == "555"
    conversation = (await call(emulator, "GET", "/conversations/77")).body
    assert conversation["conversation_parts"]["conversation_parts"][0]["author"]["id"] == "42"
    new = await say(emulator, "New one")
    assert new["conversation_id"] not in {"77"}


def test_a_seed_with_unknown_references_is_refused() -> None:
    seed = Seed(
        conversations=(
            ConversationSeed(
                id="1", contact_id="nobody", messages=(MessageSeed(author_id="x", body="hi"),)
            ),
        )
    )
    with pytest.raises(SeedError):
        Emulator(client_secret="s", webhook_url=None, seed=seed)
    with pytest.raises(ValueError, match="should match pattern"):
        Seed(teams=(TeamSeed(id="sales", name="Sales"),))
