"""The flow engine, one conversation at a time (the test flows are in ``support.py``)."""

from __future__ import annotations

import pytest

from concierge.flows.engine import FlowEngine
from concierge.flows.settings import FlowSettings
from concierge.flows.spec import FlowCatalog
from concierge.flows.state import FlowState
from concierge.flows.steps import (
    Ask,
    Cancelled,
    ChooseChange,
    Complete,
    Confirm,
    Explain,
    HandoffRequested,
    Option,
    Reask,
    SideQuestion,
    Step,
    Turn,
)
from tests.unit.flows.support import turn

EMAIL = ("email", "ada@example.com", "ada@example.com")


def _run(engine: FlowEngine, step: Step, *turns: Turn) -> Step:
    for next_turn in turns:
        step = engine.advance(step.state, next_turn)
        assert FlowState.from_json(step.state.to_json()) == step.state
    return step


def _at_quantity(engine: FlowEngine) -> Step:
    step = engine.begin("quote", turn("I need a quote"), intent="quote_request")
    return _run(engine, step, turn("LED high-bays", ("product", "LED high-bay", "LED high-bays")))


def _at_confirm(engine: FlowEngine) -> Step:
    return _run(
        engine,
        _at_quantity(engine),
        turn("300"),
        turn("Salem"),
        turn("ada@example.com", EMAIL),
    )


def test_happy_path_of_a_four_slot_flow(engine: FlowEngine) -> None:
    step = engine.begin("quote", turn("I need a quote"), intent="quote_request")
    assert isinstance(step, Ask)
    assert step.slot == "product"
    assert step.question == "Which products do you need?"
    step = _run(engine, step, turn("LED high-bays", ("product", "LED high-bay", "LED high-bays")))
    assert isinstance(step, Ask)
    assert step.slot == "quantity"
    step = _run(engine, step, turn("300"))
    assert isinstance(step, Ask)
    assert step.slot == "branch"
    assert step.choices == (
        Option("Portland", "Portland"),
        Option("Salem", "Salem"),
        Option("Vancouver WA", "Vancouver (WA)"),
    )
    step = _run(engine, step, turn("the Couv"))
    assert isinstance(step, Ask)
    assert step.slot == "email"
    step = _run(engine, step, turn("It's Ada@Example.com"))
    assert isinstance(step, Confirm)
    assert step.lines == (
        ("Product", "LED high-bay"),
        ("Quantity", "300"),
        ("Branch", "Vancouver (WA)"),
        ("Email", "ada@example.com"),
    )
    assert "300" in step.text
    assert step.question == "Shall I pass this on?"
    step = _run(engine, step, turn("yes, that's right"))
    assert isinstance(step, Complete)
    assert step.answers == {
        "product": "LED high-bay",
        "quantity": 300,
        "branch": "Vancouver WA",
        "email": "ada@example.com",
    }
    assert step.reply == "Thanks! The quote goes to ada@example.com."
    assert step.on_complete.handoff
    assert step.on_complete.tags == ("quote-request",)
    assert step.state.status == "completed"


def test_an_opening_message_answers_everything_it_names(engine: FlowEngine) -> None:
    text = "300 LED high-bays for a warehouse in Portland, email me at ada@example.com"
    opening = turn(
        text,
        ("quantity", 300, "300"),
        ("product", "LED high-bay", "LED high-bays"),
        ("branch", "Portland", "Portland"),
        EMAIL,
    )
    step = engine.begin("quote", opening, intent="quote_request")
    assert isinstance(step, Confirm)
    assert dict(step.state.answers) == {
        "quantity": 300,
        "product": "LED high-bay",
        "branch": "Portland",
        "email": "ada@example.com",
    }


def test_a_reply_may_answer_later_questions_too(engine: FlowEngine) -> None:
    step = _run(
        engine,
        _at_quantity(engine),
        turn("300, from Portland", ("quantity", 300, "300"), ("branch", "Portland", "Portland")),
    )
    assert isinstance(step, Ask)
    assert step.slot == "email"


def test_volunteered_answers_without_the_pending_one_ask_it_again(engine: FlowEngine) -> None:
    message = "Portland, and my email is ada@example.com"
    step = _run(
        engine, _at_quantity(engine), turn(message, ("branch", "Portland", "Portland"), EMAIL)
    )
    assert isinstance(step, Ask)
    assert step.slot == "quantity"
    assert step.state.attempts == {}
    assert dict(step.state.answers) == {
        "product": "LED high-bay",
        "branch": "Portland",
        "email": "ada@example.com",
    }


def test_invalid_then_valid(engine: FlowEngine) -> None:
    step = _run(engine, _at_quantity(engine), turn("a bunch"))
    assert isinstance(step, Reask)
    assert step.slot == "quantity"
    assert step.hint == "A whole number, like 300."
    assert step.attempt == 1
    assert step.text == "A whole number, like 300. How many do you need?"
    step = _run(engine, step, turn("0"))
    assert isinstance(step, Reask)
    assert step.hint == "Please give a number between 1 and 100,000."
    assert step.attempt == 2
    step = _run(engine, step, turn("about 12 please"))
    assert isinstance(step, Ask)
    assert step.slot == "branch"
    assert step.state.answers["quantity"] == 12


def test_invalid_choice_and_email_use_default_hints(engine: FlowEngine) -> None:
    step = _run(engine, _at_quantity(engine), turn("300"), turn("Boise"))
    assert isinstance(step, Reask)
    assert step.hint == "Please choose one of: Portland, Salem or Vancouver (WA)."
    step = _run(engine, step, turn("ok, Salem please"), turn("bob at work"))
    assert isinstance(step, Reask)
    assert step.slot == "email"
    assert step.hint == "Please give an email address, like name@example.com."


@pytest.mark.parametrize(
    "question", ["why do you need that?", "What's that for", "why?", "Why do you need to know?"]
)
def test_why_then_resume(engine: FlowEngine, question: str) -> None:
    before = _at_quantity(engine)
    step = _run(engine, before, turn(question))
    assert isinstance(step, Explain)
    assert step.slot == "quantity"
    assert step.why == "Quantity changes the price."
    assert step.text == "Quantity changes the price. How many do you need?"
    assert step.state == before.state
    again = engine.resume(step.state)
    assert isinstance(again, Ask)
    assert again.slot == "quantity"
    assert isinstance(_run(engine, step, turn("300")), Ask)


def test_side_question_then_resume(engine: FlowEngine) -> None:
    before = _at_quantity(engine)
    step = _run(engine, before, turn("where is my order?", intent="order_status", confidence=0.9))
    assert isinstance(step, SideQuestion)
    assert step.intent == "order_status"
    assert step.state == before.state
    again = engine.resume(step.state)
    assert isinstance(again, Ask)
    assert again.slot == "quantity"
    step = _run(engine, again, turn("300"))
    assert isinstance(step, Ask)
    assert step.slot == "branch"


def test_not_a_side_question_when_unsure_or_the_flows_own_intent(engine: FlowEngine) -> None:
    unsure = turn("where is my order?", intent="order_status", confidence=0.4)
    own = turn("a quote please", intent="quote_request", confidence=0.95)
    assert isinstance(_run(engine, _at_quantity(engine), unsure), Reask)
    assert isinstance(_run(engine, _at_quantity(engine), own), Reask)


def test_an_answer_beats_a_confident_other_intent(engine: FlowEngine) -> None:
    step = _run(engine, _at_quantity(engine), turn("300 in stock?", intent="stock", confidence=0.9))
    assert isinstance(step, Ask)
    assert step.slot == "branch"


def test_free_text_side_questions_must_read_as_questions(engine: FlowEngine) -> None:
    start = engine.begin("quote", turn("hi"), intent="quote_request")
    statement = turn("wire for the new warehouse", intent="order_status", confidence=0.9)
    question = turn("where is my order?", intent="order_status", confidence=0.9)
    answered = _run(engine, start, statement)
    assert isinstance(answered, Ask)
    assert answered.state.answers["product"] == statement.text
    assert isinstance(_run(engine, start, question), SideQuestion)


@pytest.mark.parametrize(
    "text", ["cancel", "never mind", "Stop.", "ok, forget it", "no, nevermind"]
)
def test_cancel(engine: FlowEngine, text: str) -> None:
    step = _run(engine, _at_quantity(engine), turn(text))
    assert isinstance(step, Cancelled)
    assert step.state.status == "cancelled"
    assert isinstance(engine.advance(step.state, turn("300")), Cancelled)


def test_cancel_words_inside_an_answer_do_not_cancel(engine: FlowEngine) -> None:
    start = engine.begin("quote", turn("hi"), intent="quote_request")
    step = _run(engine, start, turn("stop buttons and a cancel switch"))
    assert isinstance(step, Ask)
    assert step.slot == "quantity"


@pytest.mark.parametrize(
    "text",
    [
        "can I just talk to a person?",
        "agent",
        "HUMAN please",
        "a representative",
        "stop, I want a human",
    ],
)
def test_a_person_mid_flow(engine: FlowEngine, text: str) -> None:
    step = _run(engine, _at_quantity(engine), turn(text))
    assert isinstance(step, HandoffRequested)
    assert step.reason == "asked"
    assert step.slot == "quantity"
    assert step.state.status == "handed_off"
    assert step.state.answers == {"product": "LED high-bay"}


def test_a_person_by_intent(engine: FlowEngine) -> None:
    text = turn("put me through to somebody", intent="talk_to_human", confidence=0.8)
    step = _run(engine, _at_quantity(engine), text)
    assert isinstance(step, HandoffRequested)
    assert step.reason == "asked"


def test_conditional_slot_asked_only_when_it_applies(engine: FlowEngine) -> None:
    business = engine.begin("loan", turn("a business loan", ("loan_type", "business", "business")))
    assert isinstance(business, Ask)
    assert business.slot == "business_name"
    auto = engine.begin("loan", turn("hi"))
    step = _run(engine, auto, turn("Auto"))
    assert isinstance(step, Ask)
    assert step.slot == "amount"


def test_answers_that_no_longer_apply_are_dropped(engine: FlowEngine) -> None:
    state = engine.start("loan", known={"loan_type": "auto", "business_name": "Acme"})
    assert dict(state.answers) == {"loan_type": "auto"}
    assert state.pending == "amount"


def test_known_answers_are_checked_and_not_asked(engine: FlowEngine) -> None:
    state = engine.start("quote", known={"email": "Ada@Example.COM", "quantity": "lots"})
    assert dict(state.answers) == {"email": "ada@example.com"}
    assert state.pending == "product"


def test_money_yes_no_phone_and_skip(engine: FlowEngine) -> None:
    step = engine.begin("loan", turn("an auto loan", ("loan_type", "auto", "auto")))
    step = _run(engine, step, turn("$50", ("money", 50, "$50")))
    assert isinstance(step, Reask)
    assert step.hint == "Please give an amount between $500 and $5,000,000."
    step = _run(engine, step, turn("around 22k"))
    assert isinstance(step, Ask)
    assert step.slot == "member"
    assert step.choices == (Option("yes", "Yes"), Option("no", "No"))
    step = _run(engine, step, turn("maybe"))
    assert isinstance(step, Reask)
    assert step.hint == "Please answer yes or no."
    step = _run(engine, step, turn("yes I am"))
    assert isinstance(step, Ask)
    assert step.slot == "phone"
    assert step.optional
    step = _run(engine, step, turn("no thanks, skip"))
    assert isinstance(step, Ask)
    assert step.slot == "start"
    step = _run(engine, step, turn("March 2, 2027"))
    assert isinstance(step, Complete)
    assert step.answers == {
        "loan_type": "auto",
        "amount": 22000,
        "member": True,
        "start": "2027-03-02",
    }
    assert step.state.skipped == ("phone",)


def test_a_required_question_cannot_be_skipped(engine: FlowEngine) -> None:
    step = _run(engine, _at_quantity(engine), turn("skip"))
    assert isinstance(step, Reask)
    assert step.hint == "I need an answer to this one to go on."


def test_phone_fallback_ignores_other_entities(engine: FlowEngine) -> None:
    step = engine.begin("loan", turn("auto", ("loan_type", "auto", "auto")), known={"amount": 9000})
    text = "call me on (503) 555-0100 after 2025-01-01"
    step = _run(engine, step, turn("no"), turn(text, ("date", "2025-01-01", "2025-01-01")))
    assert step.state.answers["phone"] == "+15035550100"
    assert step.state.answers["start"] == "2025-01-01"


def test_confirm_yes_completes(engine: FlowEngine) -> None:
    step = _run(engine, _at_confirm(engine), turn("correct"))
    assert isinstance(step, Complete)
    assert step.answers["quantity"] == 300


def test_confirm_no_asks_which_then_reasks_it(engine: FlowEngine) -> None:
    step = _run(engine, _at_confirm(engine), turn("no"))
    assert isinstance(step, ChooseChange)
    assert step.state.status == "choosing"
    assert [option.value for option in step.choices] == ["product", "quantity", "branch", "email"]
    step = _run(engine, step, turn("the email address"))
    assert isinstance(step, Ask)
    assert step.slot == "email"
    assert "email" not in step.state.answers
    step = _run(engine, step, turn("bo@example.com"))
    assert isinstance(step, Confirm)
    assert ("Email", "bo@example.com") in step.lines


def test_confirm_change_names_the_answer(engine: FlowEngine) -> None:
    step = _run(engine, _at_confirm(engine), turn("change the branch please"))
    assert isinstance(step, Ask)
    assert step.slot == "branch"
    step = _run(engine, step, turn("Portland"))
    assert isinstance(step, Confirm)
    assert ("Branch", "Portland") in step.lines


def test_confirm_correction_in_one_message(engine: FlowEngine) -> None:
    step = _run(engine, _at_confirm(engine), turn("no, make it 400", ("quantity", 400, "400")))
    assert isinstance(step, Confirm)
    assert ("Quantity", "400") in step.lines


def test_choosing_nothing_goes_back_to_the_confirmation(engine: FlowEngine) -> None:
    step = _run(engine, _at_confirm(engine), turn("no"), turn("nothing"))
    assert isinstance(step, Confirm)
    assert step.state.status == "confirming"


def test_unclear_confirmation_asks_again_then_hands_off(engine: FlowEngine) -> None:
    step = _run(engine, _at_confirm(engine), turn("hmm"))
    assert isinstance(step, Confirm)
    assert step.hint
    step = _run(engine, step, turn("hmm"), turn("hmm"))
    assert isinstance(step, HandoffRequested)
    assert step.reason == "stuck"


def test_stuck_after_three_invalid_answers(engine: FlowEngine) -> None:
    step = _run(engine, _at_quantity(engine), turn("lots"), turn("loads"))
    assert isinstance(step, Reask)
    assert step.attempt == 2
    step = _run(engine, step, turn("heaps"))
    assert isinstance(step, HandoffRequested)
    assert step.reason == "stuck"
    assert step.slot == "quantity"
    assert step.state.status == "handed_off"
    assert step.state.reason == "stuck"
    again = engine.resume(step.state)
    assert isinstance(again, HandoffRequested)
    assert again.reason == "stuck"


def test_patience_is_a_setting(catalog: FlowCatalog) -> None:
    engine = FlowEngine(catalog, FlowSettings(max_invalid=1))
    assert isinstance(_run(engine, _at_quantity(engine), turn("lots")), HandoffRequested)


def test_resume_shows_the_current_step(engine: FlowEngine) -> None:
    confirm = _at_confirm(engine)
    assert isinstance(engine.resume(confirm.state), Confirm)
    done = _run(engine, confirm, turn("yes"))
    assert isinstance(done, Complete)
    resumed = engine.resume(done.state)
    assert isinstance(resumed, Complete)
    assert resumed.answers == done.answers


def test_a_stored_state_survives_a_changed_flow(engine: FlowEngine) -> None:
    state = FlowState(flow="quote", pending="colour", answers={"product": "wire"})
    step = engine.advance(state, turn("blue"))
    assert isinstance(step, Ask)
    assert step.slot == "quantity"
    assert isinstance(engine.resume(state), Ask)


def test_describe_for_the_agent(engine: FlowEngine) -> None:
    step = engine.begin("loan", turn("auto", ("loan_type", "auto", "auto")), known={"amount": 9000})
    step = _run(engine, step, turn("yes"), turn("skip"))
    assert engine.describe(step.state) == (
        "A loan pre-application (loan): waiting for: Start\n"
        "- Loan type: auto\n"
        "- Amount: $9,000\n"
        "- Member: yes\n"
        "Skipped: Phone"
    )
