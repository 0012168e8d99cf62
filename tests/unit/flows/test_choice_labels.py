"""A choice whose label reads like a date or number is still picked by its label."""

from __future__ import annotations

from pathlib import Path

from concierge.domain.understanding import Entity
from concierge.flows import Ask, FlowEngine, Turn, load_flows

FLOW = """
flows:
  loan:
    description: Loan
    slots:
      - name: timeline
        type: choice
        question: When do you need the funds?
        choices:
          - {value: within_30_days, label: Within 30 days}
          - {value: later, label: Later this year}
      - name: email
        type: email
        question: Your email?
"""


def test_label_that_looks_like_a_date_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    path.write_text(FLOW, encoding="utf-8")
    engine = FlowEngine(load_flows(path))
    state = engine.start("loan")
    date = Entity(type="date", value="2026-12-22", text="Within 30 days", start=0, end=14)
    step = engine.advance(state, Turn(text="Within 30 days", entities=(date,)))
    assert isinstance(step, Ask)
    assert step.slot == "email"
    assert dict(step.state.answers) == {"timeline": "within_30_days"}


MONEY_FLOW = """
flows:
  budget:
    description: Budget
    slots:
      - name: budget
        type: money
        question: Budget?
"""


def test_amount_that_looks_like_a_zip_code_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "flows.yaml"
    path.write_text(MONEY_FLOW, encoding="utf-8")
    engine = FlowEngine(load_flows(path))
    zip_code = Entity(type="postal_code", value="45000", text="45000", start=0, end=5)
    step = engine.advance(engine.start("budget"), Turn(text="45000", entities=(zip_code,)))
    assert dict(step.state.answers) == {"budget": 45000}
