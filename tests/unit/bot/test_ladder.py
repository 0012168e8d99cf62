"""The "nobody available" ladder: which rung lands, from what the runtime saw."""

from __future__ import annotations

from datetime import UTC, datetime

from concierge.bot.handoff import ASSIGN, Staffing, climb, with_assignment
from concierge.domain.actions import Assign, Reply
from concierge.routing.agents import AgentAvailability, TeamAvailability
from concierge.routing.table import RoutingRule

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
LADDER = ("next_team", "offer_meeting", "capture_contact", "queue")


def agent(admin_id: str, *, away: bool) -> AgentAvailability:
    return AgentAvailability(admin_id, f"Agent {admin_id}", away, True, "", 0, None)


def team(key: str, *, open_now: bool = True, away: bool = False) -> TeamAvailability:
    return TeamAvailability(
        key, key.title(), NOW, open_now, None, "within an hour", (agent(f"{key}-1", away=away),)
    )


def rule(steps: tuple[str, ...] = LADDER, fallbacks: tuple[str, ...] = ("support",)) -> RoutingRule:
    return RoutingRule(
        "hot_lead", "sales", "high", fallback_teams=fallbacks, when_nobody_available=steps
    )


def test_an_available_team_gets_a_normal_hand_off() -> None:
    staffing = Staffing({"sales": team("sales")})
    assert climb(rule(), staffing).kind == ASSIGN


def test_unknown_availability_keeps_todays_behaviour() -> None:
    assert climb(rule(), Staffing()).kind == ASSIGN


def test_everyone_away_goes_to_the_next_team_with_someone_available() -> None:
    staffing = Staffing({"sales": team("sales", away=True), "support": team("support")})
    rung = climb(rule(), staffing)
    assert (rung.kind, rung.team, rung.index) == ("next_team", "support", 0)


def test_closed_team_with_agents_online_still_counts_as_unavailable() -> None:
    staffing = Staffing({"sales": team("sales", open_now=False), "support": team("support")})
    assert climb(rule(), staffing).kind == "next_team"


def test_no_next_team_available_offers_a_meeting_when_the_team_hosts_one() -> None:
    staffing = Staffing({"sales": team("sales", away=True), "support": team("support", away=True)})
    assert climb(rule(), staffing, hosts_meeting=True).kind == "offer_meeting"
    assert climb(rule(), staffing, hosts_meeting=False, has_contact=False).kind == (
        "capture_contact"
    )
    assert climb(rule(), staffing, hosts_meeting=False, has_contact=True).kind == "queue"


def test_resuming_after_a_declined_meeting_skips_it() -> None:
    staffing = Staffing({"sales": team("sales", away=True), "support": team("support", away=True)})
    rung = climb(rule(), staffing, start=2, hosts_meeting=True, has_contact=True)
    assert (rung.kind, rung.index) == ("queue", 3)


def test_someone_back_meanwhile_gets_it_even_when_resuming() -> None:
    staffing = Staffing({"sales": team("sales")})
    assert climb(rule(), staffing, start=2).kind == ASSIGN


def test_a_ladder_that_runs_out_ends_in_the_queue() -> None:
    staffing = Staffing({"sales": team("sales", away=True)})
    rung = climb(rule(("offer_meeting",), ()), staffing, hosts_meeting=False)
    assert (rung.kind, rung.index) == ("queue", 1)


def test_why_not_names_each_agent_and_a_closed_team() -> None:
    staffing = Staffing({"sales": team("sales", open_now=False, away=True)})
    assert staffing.why_not("sales") == "Sales: team closed; Agent sales-1: away"


def test_the_chosen_admin_is_assigned_after_the_team_and_named_in_the_note() -> None:
    actions = [
        Reply("passed on"),
        Assign("5000001", "team"),
        Reply("<p>Concierge hand-off</p>", "note"),
    ]
    chosen = {
        "team": "sales",
        "admin_id": "9000101",
        "admin_name": "Maya Chen",
        "method": "round_robin",
        "reason": "round robin, 1 of 3 online: Maya Chen",
    }
    done = with_assignment(actions, chosen)
    assert done[1:3] == [Assign("5000001", "team"), Assign("9000101", "admin")]
    note = done[3]
    assert isinstance(note, Reply)
    assert "Assigned to Maya Chen (round_robin)" in note.body


def test_the_queue_assigns_no_person() -> None:
    chosen = {"team": "sales", "admin_id": None, "reason": "nobody on Sales is available"}
    done = with_assignment([Assign("5000001", "team"), Reply("n", "note")], chosen)
    assert [a for a in done if isinstance(a, Assign)] == [Assign("5000001", "team")]
    assert "Assigned to the sales queue" in done[-1].body  # type: ignore[union-attr]
