"""Scoring: caps, negative points, decay at a fixed now, labels, contains, reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from concierge.domain.decisions import Facts, FiredRule, Score
from concierge.scoring import ScoringModel, contact_attributes, load_scoring, reasons_text

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
PORTLANDIA = Path(__file__).with_name("portlandia.yaml")


@pytest.fixture(scope="module")
def model() -> ScoringModel:
    return load_scoring(PORTLANDIA)


def facts(**values: Any) -> Facts:
    return Facts(now=NOW, **values)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def points_of(score: Score, rule: str) -> float:
    return next(fired.points for fired in score.fired if fired.rule == rule)


def test_fit_rules_add_up_and_label(model: ScoringModel) -> None:
    score = model.score(facts(slots={"segment": "commercial", "quantity": "250"}))
    assert (score.fit, score.engagement, score.total) == (45, 0, 45)
    assert score.label == "warm"
    assert [fired.rule for fired in score.fired] == ["commercial_segment", "large_quantity"]


def test_fit_is_clamped_to_its_cap_and_fired_points_add_up(model: ScoringModel) -> None:
    contact = {"companies": "Acme, PowerLink Inc"}
    score = model.score(facts(slots={"segment": "utility", "quantity": 500}, contact=contact))
    assert score.fit == 60  # 30 + 25 + 15 = 70, capped
    assert sum(f.points for f in score.fired if f.dimension == "fit") == 60
    assert points_of(score, "powerlink_partner") == 5
    partner = next(f for f in score.fired if f.rule == "powerlink_partner")
    assert partner.reason.endswith("(over the cap)")


def test_negative_points_and_contains_on_comma_separated_roles(model: ScoringModel) -> None:
    contact = {"custom_attributes": {"roles": "Member, Student ,Intern"}}
    score = model.score(facts(slots={"segment": "residential"}, contact=contact))
    assert score.fit == -20
    assert score.label == "cold"
    assert score.fired[0].reason == "Students rarely buy"


def test_negative_total_is_clamped_to_minus_cap(tmp_path: Path) -> None:
    path = tmp_path / "scoring.yaml"
    path.write_text(
        "rules:\n"
        "  - {name: a, dimension: fit, points: -50, when: {slot: x, present: true}}\n"
        "  - {name: b, dimension: fit, points: -50, when: {slot: y, present: true}}\n"
        "caps: {fit: 60, engagement: 40}\n"
        "labels: [{label: good, at_least: 0}, {label: bad}]\n",
        encoding="utf-8",
    )
    score = load_scoring(path).score(facts(slots={"x": 1, "y": 2}))
    assert score.fit == -60
    assert [f.points for f in score.fired] == [-50, -10]
    assert score.label == "bad"


def test_event_points_decay_by_age(model: ScoringModel) -> None:
    events = (("visited_pricing", days_ago(7)),)
    score = model.score(facts(events=events))
    assert score.engagement == pytest.approx(8 * 0.5 ** (7 / 14), abs=0.01)


def test_event_outside_window_does_not_count(model: ScoringModel) -> None:
    score = model.score(facts(events=(("visited_pricing", days_ago(15)),)))
    assert score.fired == ()


def test_per_event_points_each_decay_then_rule_cap(model: ScoringModel) -> None:
    fresh = tuple(("asked_for_pricing", days_ago(0)) for _ in range(2))
    score = model.score(facts(events=(*fresh, ("asked_for_pricing", days_ago(14)))))
    assert points_of(score, "asked_for_pricing") == 25  # 10 + 10 + 5
    many = tuple(("asked_for_pricing", days_ago(0)) for _ in range(5))
    assert points_of(model.score(facts(events=many)), "asked_for_pricing") == 30


def test_non_event_engagement_rules_do_not_decay(model: ScoringModel) -> None:
    score = model.score(facts(slots={"wants_meeting": "yes"}))
    assert score.engagement == 15


def test_engagement_cap_and_hot_label(model: ScoringModel) -> None:
    events = tuple(("asked_for_pricing", days_ago(1)) for _ in range(4))
    slots = {"wants_meeting": "yes", "segment": "commercial", "quantity": 120}
    score = model.score(facts(slots=slots, events=(*events, ("visited_pricing", NOW))))
    assert score.engagement == 40
    assert score.total == 85
    assert score.label == "hot"


def test_negative_engagement(model: ScoringModel) -> None:
    score = model.score(facts(contact={"unsubscribed_from_emails": True}))
    assert score.engagement == -25
    assert score.total == -25


def test_default_reason_describes_the_condition(model: ScoringModel) -> None:
    score = model.score(facts(events=(("asked_for_pricing", NOW),)))
    assert score.fired[0].reason == "asked_for_pricing in the last 30 days"


def test_contact_attributes(model: ScoringModel) -> None:
    events = (("visited_pricing", days_ago(7)),)
    score = model.score(facts(slots={"segment": "commercial"}, events=events))
    assert contact_attributes(score) == {
        "concierge_score": 26,
        "concierge_score_label": "cold",
        "concierge_fit": 20.0,
        "concierge_engagement": 5.7,
        "concierge_score_reasons": "+20 Commercial projects buy in volume; "
        "+5.66 Looked at the pricing page",
    }


def test_reasons_text_is_short() -> None:
    fired = tuple(FiredRule(f"rule{i}", "fit", 10 - i, "x" * 200) for i in range(3))
    text = reasons_text(Score(27, 0, 27, "warm", fired))
    assert len(text) <= 255
    assert text.startswith("+10 xxx")


EVENT_NAMES = st.sampled_from(["asked_for_pricing", "visited_pricing", "other"])
EVENTS = st.lists(st.tuples(EVENT_NAMES, st.floats(0, 40).map(days_ago)), max_size=8)
SLOTS = st.fixed_dictionaries(
    {
        "segment": st.sampled_from(["commercial", "utility", "residential"]),
        "quantity": st.integers(0, 1000),
        "wants_meeting": st.sampled_from(["yes", "no"]),
    }
)
CONTACTS = st.fixed_dictionaries(
    {
        "roles": st.sampled_from(["", "student", "buyer, Student"]),
        "companies": st.sampled_from(["", "PowerLink"]),
        "unsubscribed_from_emails": st.booleans(),
    }
)


@given(slots=SLOTS, contact=CONTACTS, events=EVENTS)
def test_scores_stay_within_caps_and_reasons_add_up(
    slots: dict[str, Any], contact: dict[str, Any], events: list[tuple[str, datetime]]
) -> None:
    model = load_scoring(PORTLANDIA)
    score = model.score(facts(slots=slots, contact=contact, events=tuple(events)))
    assert -60 <= score.fit <= 60
    assert -40 <= score.engagement <= 40
    for dimension, value in (("fit", score.fit), ("engagement", score.engagement)):
        listed = sum(f.points for f in score.fired if f.dimension == dimension)
        assert listed == pytest.approx(value, abs=0.011)
    assert score.total == pytest.approx(score.fit + score.engagement)
