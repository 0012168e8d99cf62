"""Steps described as forms for Messenger canvases (one card per step)."""

from __future__ import annotations

from concierge.flows.engine import FlowEngine
from concierge.flows.forms import step_as_form
from concierge.flows.steps import Step
from tests.unit.flows.support import turn


def _advance(engine: FlowEngine, step: Step, *texts: str) -> Step:
    for text in texts:
        step = engine.advance(step.state, turn(text))
    return step


def test_text_input_for_a_free_text_slot(engine: FlowEngine) -> None:
    form = step_as_form(engine.begin("quote", turn("hi")))
    assert form["input"] == "text"
    assert form["id"] == "product"
    assert form["step"] == "ask"
    assert form["label"] == "Which products do you need?"
    assert form["options"] == []
    assert not form["final"]


def test_single_select_with_options_and_error_on_reask(engine: FlowEngine) -> None:
    step = _advance(engine, engine.begin("quote", turn("hi")), "wire", "300", "Boise")
    form = step_as_form(step)
    assert form["input"] == "single_select"
    assert form["step"] == "reask"
    assert form["options"][2] == {"id": "Vancouver WA", "label": "Vancouver (WA)"}
    assert form["error"] == "Please choose one of: Portland, Salem or Vancouver (WA)."
    submitted = engine.advance(step.state, turn(form["options"][2]["id"]))
    assert submitted.state.answers["branch"] == "Vancouver WA"


def test_yes_no_date_and_number_inputs(engine: FlowEngine) -> None:
    step = engine.begin("loan", turn("auto", ("loan_type", "auto", "auto")))
    amount = step_as_form(step)
    assert amount["input"] == "text"
    assert amount["format"] == "money"
    step = _advance(engine, step, "9000")
    member = step_as_form(step)
    assert member["input"] == "yes_no"
    assert [o["id"] for o in member["options"]] == ["yes", "no"]
    step = _advance(engine, step, "yes", "skip")
    start = step_as_form(step)
    assert start["input"] == "date"
    assert start["optional"]
    assert start["placeholder"] == "YYYY-MM-DD"


def test_explain_puts_the_why_above_the_question(engine: FlowEngine) -> None:
    step = _advance(engine, engine.begin("quote", turn("hi")), "why?")
    form = step_as_form(step)
    assert form["intro"] == "So the right specialist prices it."
    assert form["input"] == "text"


def test_confirmation_and_change(engine: FlowEngine) -> None:
    step = _advance(engine, engine.begin("quote", turn("hi")), "wire", "300", "Salem", "a@b.co")
    form = step_as_form(step)
    assert form["input"] == "yes_no"
    assert form["id"] == "confirm"
    assert form["rows"][1] == {"field": "Quantity", "value": "300"}
    change = step_as_form(_advance(engine, step, "no"))
    assert change["input"] == "single_select"
    assert change["id"] == "change"
    assert change["options"][0] == {"id": "product", "label": "Product"}
    reopened = engine.advance(_advance(engine, step, "no").state, turn("quantity"))
    assert step_as_form(reopened)["id"] == "quantity"


def test_final_and_side_question_forms(engine: FlowEngine) -> None:
    done = _advance(engine, engine.begin("quote", turn("hi")), "cancel")
    form = step_as_form(done)
    assert form["final"]
    assert form["input"] == "none"
    assert form["message"]
    side = engine.advance(
        engine.begin("quote", turn("hi")).state,
        turn("where is my order?", intent="order_status", confidence=0.9),
    )
    form = step_as_form(side)
    assert form["input"] == "none"
    assert not form["final"]
    assert form["step"] == "side_question"
