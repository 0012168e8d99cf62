"""One customer turn, start to finish: understand, then answer, qualify, or hand off.

Order of steps (the only place that knows it):
1. a human owns the conversation → stay silent;
2. understand the message (intent ranking + entities);
3. a qualification flow is running → let the flow take the turn;
4. the customer wants a person → hand off;
5. not understood → the fallback ladder ("did you mean…?" → "say it another way" → a person);
6. understood → start the intent's flow, answer with its reply, and/or hand off.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from concierge.bot.fallback import SOMETHING_ELSE, next_fallback, offered_intent
from concierge.bot.handoff import ASSIGN, Briefing, Rung, climb, handoff_actions
from concierge.bot.meetings import (
    LADDER_KEY,
    Circumstances,
    ask_contact,
    continue_ladder,
    hosted_meeting,
    offer_meeting,
)
from concierge.conditions import contact_value
from concierge.domain.actions import Action, Reply, Turn
from concierge.domain.conversation import ConversationEvent, ConversationState, Message
from concierge.domain.decisions import Facts, RouteDecision, Score, route_to_json, score_to_json
from concierge.domain.understanding import Entity, IntentScore, Prediction
from concierge.playbook.brain import Brain
from concierge.routing.table import (
    CAPTURE_CONTACT,
    NEXT_TEAM,
    OFFER_MEETING,
    RoutingRule,
    customer_zone,
)
from concierge.routing.wording import Audience, next_team_message, open_message, queue_message
from concierge.scoring import contact_attributes

HUMAN_OWNED = "human"
HUMAN_INTENTS = ("talk_to_human",)
OUT_OF_SCOPE_REPLY = (
    "That's outside what I can help with here. I can help with {topics}. What can I do for you?"
)


@dataclass
class TurnContext:
    """Everything one turn works with; ``memory`` collects what to remember."""

    event: ConversationEvent
    state: ConversationState
    brain: Brain
    now: datetime
    text: str
    prediction: Prediction
    entities: list[Entity]
    memory: dict[str, Any] = field(default_factory=dict)
    decision: dict[str, Any] = field(default_factory=dict)
    circumstances: Circumstances = field(default_factory=Circumstances)

    @property
    def customer_timezone(self) -> str | None:
        """The customer's IANA timezone when the contact says (``timezone`` attribute)."""
        value = contact_value(self.state.contact, "timezone")
        return value if isinstance(value, str) and customer_zone(value) else None

    @property
    def email(self) -> str | None:
        """The customer's email: an answer, the contact's, or the notification's."""
        found = self.answers.get("email") or contact_value(self.state.contact, "email")
        return str(found) if found else self.event.contact.email

    @property
    def reachable(self) -> bool:
        """True when we have an email or phone number to get back to the customer."""
        phone = self.answers.get("phone") or contact_value(self.state.contact, "phone")
        return bool(self.email or phone)

    @property
    def answers(self) -> dict[str, Any]:
        """Answers collected so far (updated during the turn)."""
        return dict(self.memory.get("answers", self.state.answers))

    def facts(self) -> Facts:
        """What scoring and routing see."""
        return Facts(
            now=self.now,
            intent=self.memory.get("intent", self.state.intent),
            slots=self.answers,
            contact=self.state.contact,
        )


def understand(brain: Brain, text: str) -> tuple[Prediction, list[Entity]]:
    """The intent ranking and the entities of one message."""
    return brain.classifier.classify(text), brain.entities.extract(text)


def _forced(intent: str) -> Prediction:
    return Prediction(intent=intent, confidence=1.0, ranking=(IntentScore(intent, 1.0),))


def _context(
    event: ConversationEvent,
    state: ConversationState,
    brain: Brain,
    now: datetime,
    circumstances: Circumstances,
) -> TurnContext:
    text = "\n".join(message.text for message in event.customer_messages).strip()
    prediction, entities = understand(brain, text)
    offered = None if state.offered and LADDER_KEY in state.offered else state.offered
    chosen = offered_intent(text, offered)
    if chosen is not None:
        prediction = _forced(chosen)
    context = TurnContext(
        event, state, brain, now, text, prediction, entities, circumstances=circumstances
    )
    context.decision = {
        "text": text,
        "intent": prediction.intent,
        "confidence": round(prediction.confidence, 4),
        "ranking": [[s.intent, round(s.confidence, 4)] for s in prediction.ranking[:5]],
        "abstain_reason": prediction.abstain_reason,
        "entities": [[e.type, e.value, e.text] for e in entities],
    }
    return context


def handle(
    event: ConversationEvent,
    state: ConversationState,
    brain: Brain,
    now: datetime,
    circumstances: Circumstances | None = None,
) -> Turn:
    """Decide what to do about one conversation event.

    ``circumstances`` is what the runtime saw (who is available, meetings, slots, a booking);
    without it every team counts as available and no meeting is offered. When the turn needs
    more (free slots, a booking), :func:`concierge.bot.situation.need_of` says what: the
    runtime gets it and asks again with the answer in ``circumstances``.
    """
    if event.topic in {"conversation.admin.assigned", "conversation.admin.open.assigned"}:
        return Turn(status=HUMAN_OWNED) if event.assignee_admin_id else Turn()
    if event.topic == "conversation.admin.closed":
        return Turn(status="closed")
    if not event.customer_messages or state.status in {HUMAN_OWNED, "closed"}:
        return Turn()
    context = _context(event, state, brain, now, circumstances or Circumstances())
    actions, status = _respond(context)
    if "score" not in context.decision:
        # recorded every turn (not only at hand-off) so "why?" shows the score as it moves
        context.decision["score"] = score_to_json(brain.scoring.score(context.facts()))
    if not state.greeted:
        actions = _welcomed(actions, brain.settings.welcome)
    return Turn(
        actions=actions,
        status=status,
        greeted=True,
        memory=context.memory,
        decision={**context.decision, "actions": [a.kind for a in actions]},
    )


def _welcomed(actions: list[Action], welcome: str | None) -> list[Action]:
    """The first reply of a conversation opens with the playbook's welcome line."""
    first = next((i for i, a in enumerate(actions) if isinstance(a, Reply)), None)
    if welcome is None or first is None:
        return actions
    reply = actions[first]
    assert isinstance(reply, Reply)
    if reply.message_type == "note" or welcome.casefold() in reply.body.casefold():
        return actions
    opened = Reply(f"{welcome} {reply.body}", reply.message_type, reply.options)
    return [*actions[:first], opened, *actions[first + 1 :]]


def _respond(context: TurnContext) -> tuple[list[Action], str | None]:
    from concierge.bot.qualify import continue_flow, start_flow, wants_person

    if context.state.offered and LADDER_KEY in context.state.offered:
        return continue_ladder(context)
    if context.state.flow_state:
        return continue_flow(context)
    if context.prediction.intent in HUMAN_INTENTS or wants_person(context.text):
        return hand_off(context, "the customer asked for a person")
    if context.prediction.abstained or context.text.casefold() == SOMETHING_ELSE.casefold():
        return _fallback(context)
    return _answer_intent(context, start_flow)


def _answer_intent(
    context: TurnContext,
    start_flow: Callable[[TurnContext, str, list[Action]], tuple[list[Action], str | None]],
) -> tuple[list[Action], str | None]:
    intent = context.brain.intents.get(str(context.prediction.intent))
    assert intent is not None
    context.memory.update(
        intent=intent.name, confidence=context.prediction.confidence, fallback_count=0, offered=None
    )
    if intent.out_of_scope:
        return _out_of_scope(context)
    actions: list[Action] = [Reply(body=intent.reply)] if intent.reply else []
    if intent.flow:
        return start_flow(context, intent.flow, actions)
    if intent.handoff:
        return hand_off(
            context, f"{intent.description.lower()}", team=intent.handoff, before=actions
        )
    if not actions:
        actions.append(Reply(body=context.brain.settings.greeting))
    return actions, None


def _topics(brain: Brain) -> str:
    names = [i.description.lower() for i in brain.intents.intents if i.flow or i.handoff]
    return ", ".join(names[:4]) or "questions about our products and services"


def _out_of_scope(context: TurnContext) -> tuple[list[Action], str | None]:
    attempts = context.state.fallback_count
    if attempts >= 2:
        return hand_off(context, "the customer's questions were outside what the bot handles")
    context.memory.update(fallback_count=attempts + 1)
    return [Reply(body=OUT_OF_SCOPE_REPLY.format(topics=_topics(context.brain)))], None


def _fallback(context: TurnContext) -> tuple[list[Action], str | None]:
    attempts = context.state.fallback_count
    step = next_fallback(attempts, context.prediction, context.brain.descriptions())
    if step.handoff:
        return hand_off(context, "the bot could not understand the customer")
    context.memory.update(fallback_count=attempts + 1, offered=step.offered)
    return ([step.reply] if step.reply else []), None


def _transcript(context: TurnContext) -> tuple[Message, ...]:
    return (*context.state.transcript, *context.event.customer_messages)


def hand_off(
    context: TurnContext,
    reason: str,
    *,
    team: str | None = None,
    before: list[Action] | None = None,
    tags: tuple[str, ...] = (),
    rule_name: str | None = None,
    resume_at: int = 0,
) -> tuple[list[Action], str | None]:
    """Score, route (or use ``team``), and either hand off (brief the team, tell the customer)
    or, when nobody of the team is available, take the rule's ladder from ``resume_at``."""
    facts = context.facts()
    score = context.brain.scoring.score(facts)
    rule = _rule(context, facts, score, team, rule_name)
    rung = climb(
        rule,
        context.circumstances.staffing,
        start=resume_at,
        hosts_meeting=hosted_meeting(context, rule.team) is not None,
        has_contact=context.reachable,
    )
    context.decision["ladder"] = {
        "rule": rule.name,
        "team": rule.team,
        "steps": list(rule.when_nobody_available),
        "step": rung.kind,
        "to_team": rung.team,
        "index": rung.index,
        "why": context.circumstances.staffing.why_not(rule.team),
    }
    if rung.kind == OFFER_MEETING:
        return offer_meeting(context, reason, rule, rung, before or [], tags)
    if rung.kind == CAPTURE_CONTACT:
        return ask_contact(context, reason, rule, rung, before or [], tags)
    return _hand_over(context, reason, rule, rung, score, before or [], tags)


def _rule(
    context: TurnContext, facts: Facts, score: Score, team: str | None, name: str | None
) -> RoutingRule:
    """The rule this hand-off follows: one named earlier (resuming a ladder), the rule for an
    explicit ``team``, or the first rule that matches."""
    routing = context.brain.routing
    if name is not None:
        found = next((r for r in (*routing.rules, routing.default) if r.name == name), None)
        if found is not None and (team is None or found.team == team):
            return found
    rule = routing.match(facts, score)
    if team is not None and team != rule.team:
        return routing.rule_for_team(team, facts, score)
    return rule


def _customer_message(
    context: TurnContext, rule: RoutingRule, rung: Rung, route: RouteDecision
) -> str:
    """What the customer is told: the reply promise (measured when the runtime measured it),
    where the next team took it, or that it waits in the queue and when the team is back."""
    routing = context.brain.routing
    zone = customer_zone(context.customer_timezone)
    staffing = context.circumstances.staffing
    team = routing.teams[rule.team]
    audience = Audience(team.name, team.zone, zone)
    seen = staffing.seen(rung.team)
    reply = seen.expected_reply if seen is not None else routing.teams[rung.team].expected_reply
    if rung.kind == NEXT_TEAM:
        taker = routing.teams[rung.team]
        return next_team_message(audience, Audience(taker.name, taker.zone, zone), reply)
    if rung.kind == ASSIGN:
        return open_message(audience, reply) if route.open_now else route.customer_message
    return queue_message(
        audience,
        context.now,
        open_now=route.open_now,
        next_open=route.next_open,
        expected_reply=reply,
    )


def _hand_over(
    context: TurnContext,
    reason: str,
    rule: RoutingRule,
    rung: Rung,
    score: Score,
    before: list[Action],
    tags: tuple[str, ...],
) -> tuple[list[Action], str | None]:
    """Brief the team that takes it (the rule's, or the next team), tell the customer."""
    routing = context.brain.routing
    facts = context.facts()
    chosen = rule
    if rung.kind == NEXT_TEAM:
        chosen = routing.rule_for_team(rung.team, facts, score, f"{rule.name}.next_team")
    route = routing.decide_by(chosen, facts, context.customer_timezone)
    staffing = context.circumstances.staffing
    availability = (
        None
        if rung.kind == ASSIGN
        else f"nobody available ({staffing.why_not(rule.team)}) → {rung.kind}"
    )
    attributes = {**contact_attributes(score), **_answer_attributes(context.answers)}
    briefing = Briefing(
        reason=reason,
        route=route,
        score=score,
        intent=facts.intent,
        confidence=context.memory.get("confidence", context.state.confidence),
        answers=context.answers,
        transcript=_transcript(context),
        contact_id=context.event.contact.id,
        tags=(*rule.tags, *tags),
        contact_attributes=attributes,
        customer_message=_customer_message(context, rule, rung, route),
        availability=availability,
    )
    context.memory.update(
        score=score_to_json(score), route=route_to_json(route), flow_state=None, offered=None
    )
    context.decision.update(score=score_to_json(score), route=route_to_json(route), handoff=reason)
    return [*before, *handoff_actions(briefing)], HUMAN_OWNED


def _answer_attributes(answers: dict[str, Any]) -> dict[str, str | int | float | bool | None]:
    return {
        f"concierge_{name}": value
        for name, value in answers.items()
        if isinstance(value, str | int | float | bool) and name.isidentifier()
    }


__all__ = ["TurnContext", "hand_off", "handle", "understand"]
