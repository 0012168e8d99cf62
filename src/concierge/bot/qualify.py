"""Qualification flows in chat: turn flow steps into replies, quick replies and hand-offs."""

from __future__ import annotations

from concierge.bot.dialogue import TurnContext, hand_off
from concierge.bot.stock import answer_in_chat
from concierge.domain.actions import Action, Reply, Tag
from concierge.flows import (
    Ask,
    Cancelled,
    ChooseChange,
    Complete,
    Confirm,
    Explain,
    FlowEngine,
    FlowState,
    HandoffRequested,
    Reask,
    SideQuestion,
    Step,
)
from concierge.flows import Turn as FlowTurn
from concierge.flows.progress import proceed
from concierge.flows.signals import asks_for_human

Outcome = tuple[list[Action], str | None]
CONFIRM_OPTIONS = ("Yes, pass it on", "No, change something")
SIDE_FALLBACK = "Good question, I'll make sure the team sees it."


def wants_person(text: str) -> bool:
    """The customer asked for a human ("can I talk to a person?")."""
    return asks_for_human(text)


def _turn(context: TurnContext) -> FlowTurn:
    return FlowTurn(
        text=context.text,
        entities=tuple(context.entities),
        intent=context.prediction.intent,
        confidence=context.prediction.confidence,
        contact=context.state.contact,
    )


def _remember(context: TurnContext, state: FlowState | None) -> None:
    if state is None or state.finished:
        context.memory["flow_state"] = None
    else:
        context.memory["flow_state"] = state.to_dict()
    if state is not None:
        context.memory["answers"] = {**context.state.answers, **dict(state.answers)}
    context.decision["flow"] = state.to_dict() if state is not None else None


def start_flow(context: TurnContext, flow_name: str, before: list[Action]) -> Outcome:
    """Start the intent's flow; what the message already says fills its slots."""
    engine = FlowEngine(context.brain.flows)
    step = engine.begin(flow_name, _turn(context), intent=context.prediction.intent)
    return _act(context, step, before)


def continue_flow(context: TurnContext) -> Outcome:
    """Let the running flow take the customer's message."""
    engine = FlowEngine(context.brain.flows)
    state = FlowState.from_dict(context.state.flow_state)
    step = engine.advance(state, _turn(context))
    if isinstance(step, SideQuestion):
        return _side_question(context, engine, step)
    return _act(context, step, [])


def _side_question(context: TurnContext, engine: FlowEngine, step: SideQuestion) -> Outcome:
    intent = context.brain.intents.get(step.intent)
    if step.intent in {"talk_to_human"}:
        _remember(context, step.state)
        return hand_off(context, "the customer asked for a person")
    answer = intent.reply if intent is not None and intent.reply else SIDE_FALLBACK
    return _act(context, engine.resume(step.state), [Reply(body=answer)])


def _question(step: Ask | Reask | Explain) -> Reply:
    if step.choices:
        return Reply(step.text, "quick_reply", tuple(option.label for option in step.choices))
    return Reply(step.text)


def _answer_now(context: TurnContext, step: Step) -> Step:
    """A flow that answers (``on_complete.answer``) does not ask optional questions: it
    answers as soon as the required ones are in, with optional answers only if volunteered."""
    while isinstance(step, Ask) and step.optional:
        flow = context.brain.flows.get(step.state.flow)
        if flow is None or flow.on_complete.answer is None:
            return step
        skipped = step.state.evolve(skipped=(*step.state.skipped, step.slot))
        step = proceed(flow, skipped, context.state.contact)
    return step


def _act(context: TurnContext, step: Step, before: list[Action]) -> Outcome:
    step = _answer_now(context, step)
    context.decision["step"] = step.kind
    if isinstance(step, Ask | Reask | Explain):
        _remember(context, step.state)
        return [*before, _question(step)], None
    if isinstance(step, Confirm):
        _remember(context, step.state)
        return [*before, Reply(step.text, "quick_reply", CONFIRM_OPTIONS)], None
    if isinstance(step, ChooseChange):
        _remember(context, step.state)
        options = tuple(option.label for option in step.choices)
        return [
            *before,
            Reply(step.text, "quick_reply", options) if options else Reply(step.text),
        ], None
    return _finish(context, step, before)


def _finish(context: TurnContext, step: Step, before: list[Action]) -> Outcome:
    _remember(context, step.state)
    if isinstance(step, Complete) and step.on_complete.answer == "stock":
        said = [*before, Reply(step.reply)] if step.on_complete.reply else before
        return answer_in_chat(context, step, said)
    if isinstance(step, Complete):
        said = [*before, Reply(step.reply)] if step.reply else before
        if step.on_complete.handoff:
            return hand_off(
                context, "qualification complete", before=said, tags=step.on_complete.tags
            )
        return [*said, *(Tag(tag) for tag in step.on_complete.tags)], None
    if isinstance(step, Cancelled):
        return [*before, Reply(step.text)], None
    if isinstance(step, HandoffRequested):
        reason = (
            "the customer asked for a person" if step.reason == "asked" else "the bot got stuck"
        )
        return hand_off(context, reason, before=before)
    return before, None
