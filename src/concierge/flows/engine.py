"""The flow engine: start a flow, advance it one customer turn at a time, resume after a detour.

Pure: every call takes a :class:`~concierge.flows.state.FlowState` and returns a new one inside
the :class:`~concierge.flows.steps.Step` it answers with; nothing is stored here. A typical
conversation::

    engine = FlowEngine(load_flows(playbook_dir))
    step = engine.begin("commercial_quote", turn, known={"email": contact_email},
                        intent="quote_request")          # asks the first open question
    store(step.state.to_json())
    ...
    step = engine.advance(FlowState.from_json(stored), next_turn)
    if isinstance(step, SideQuestion):                   # answer it, then re-ask:
        step = engine.resume(step.state)

Precedence in :meth:`FlowEngine.advance`: a request for a person (any time), then "cancel",
then the confirmation if one is pending, then "why?", then answers (see ``answering``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from concierge.flows.answering import answer
from concierge.flows.confirming import choose_change, choosing, confirming
from concierge.flows.detours import hand_off, with_answers
from concierge.flows.filling import take_entities
from concierge.flows.progress import ask, complete, confirm, explain, proceed
from concierge.flows.settings import FlowSettings
from concierge.flows.signals import asks_for_human, asks_to_cancel, asks_why
from concierge.flows.spec import Answer, FlowCatalog, FlowSpec
from concierge.flows.state import FlowState
from concierge.flows.steps import Cancelled, Step, Turn
from concierge.flows.summary import describe
from concierge.flows.values import Accepted, check_value


class FlowEngine:
    """Runs the flows of one catalogue. Holds no conversation state."""

    def __init__(self, catalog: FlowCatalog, settings: FlowSettings | None = None) -> None:
        self.catalog = catalog
        self.settings = settings or FlowSettings()

    def start(
        self,
        flow_name: str,
        *,
        known: Mapping[str, Any] | None = None,
        intent: str | None = None,
        contact: Mapping[str, Any] | None = None,
    ) -> FlowState:
        """A new state for ``flow_name``; ``known`` answers (checked, e.g. from the contact's
        attributes) are not asked again. ``intent`` is the flow's own intent (not a detour).

        Raises UnknownFlowError for a name the catalogue does not have.
        """
        flow = self.catalog.require(flow_name)
        state = FlowState(flow=flow.name, intent=intent, answers=_checked(flow, known or {}))
        return proceed(flow, state, contact or {}).state

    def begin(
        self,
        flow_name: str,
        turn: Turn,
        *,
        known: Mapping[str, Any] | None = None,
        intent: str | None = None,
    ) -> Step:
        """Start ``flow_name`` from the message that triggered it: its entities answer what
        they can ("a quote for 300 LED high-bays"), then the first open question is asked."""
        state = self.start(flow_name, known=known, intent=intent, contact=turn.contact)
        flow = self.catalog.require(flow_name)
        fill = take_entities(flow, state.answers, turn.entities, flow.slot(state.pending))
        return proceed(flow, with_answers(state, fill.found), turn.contact)

    def advance(self, state: FlowState, turn: Turn) -> Step:
        """What the customer's message means for the flow, and what to do next."""
        flow = self.catalog.require(state.flow)
        if state.finished:
            return self.resume(state)
        if asks_for_human(turn.text):
            return hand_off(state, "asked", state.pending)
        if asks_to_cancel(turn.text):
            return Cancelled(state=state.evolve(status="cancelled"))
        if state.status == "confirming":
            return confirming(flow, state, turn, self.settings)
        if state.status == "choosing":
            return choosing(flow, state, turn, self.settings)
        slot = flow.slot(state.pending)
        if slot is not None and asks_why(turn.text):
            return explain(slot, state)
        return answer(flow, state, turn, self.settings)

    def resume(self, state: FlowState) -> Step:
        """The step that stands for ``state`` now: re-ask the pending question after a side
        question, show the confirmation again, or repeat how the flow ended."""
        flow = self.catalog.require(state.flow)
        return _resume(flow, state)

    def describe(self, state: FlowState) -> str:
        """The flow's progress in a few lines, for the agent's note."""
        return describe(self.catalog.require(state.flow), state)


def _checked(flow: FlowSpec, known: Mapping[str, Any]) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for slot in flow.slots:
        verdict = check_value(slot, known.get(slot.name))
        if isinstance(verdict, Accepted):
            answers[slot.name] = verdict.value
    return answers


def _resume(flow: FlowSpec, state: FlowState) -> Step:
    if state.status == "confirming":
        return confirm(flow, state)
    if state.status == "choosing":
        return choose_change(flow, state)
    if state.status == "completed":
        return complete(flow, state)
    if state.status == "cancelled":
        return Cancelled(state=state)
    if state.status == "handed_off":
        return hand_off(state, state.reason or "asked", state.pending)
    slot = flow.slot(state.pending)
    return ask(slot, state) if slot is not None else proceed(flow, state, {})
