"""Helpers for the flow tests: the test flows file and a turn builder."""

from __future__ import annotations

from typing import Any

from concierge.domain.understanding import Entity
from concierge.flows.steps import Turn

FLOWS_YAML = """\
flows:
  quote:
    description: A quote for a project
    confirm: true
    slots:
      - name: product
        type: text
        entity: product
        question: Which products do you need?
        why: So the right specialist prices it.
      - name: quantity
        type: number
        question: How many do you need?
        why: Quantity changes the price.
        min: 1
        max: 100000
        hint: "A whole number, like 300."
      - name: branch
        type: choice
        entity: branch
        question: Which branch should quote it?
        why: Stock is counted branch by branch.
        choices:
          - Portland
          - Salem
          - {value: Vancouver WA, label: Vancouver (WA), synonyms: [the Couv]}
      - name: email
        type: email
        question: What email should the quote go to?
        why: We send the written quote there.
    on_complete:
      reply: "Thanks! The quote goes to {email}."
      handoff: true
      tags: [quote-request]
  loan:
    description: A loan pre-application
    slots:
      - name: loan_type
        type: choice
        entity: loan_type
        question: Auto, home or business?
        why: Each loan type has its own specialists.
        choices: [auto, home, business]
      - name: business_name
        type: text
        question: What is the business called?
        why: So we can find your business account.
        when: {slot: loan_type, equals: business}
      - name: amount
        type: money
        question: How much would you like to borrow?
        why: The amount decides who reviews it.
        min: 500
        max: 5000000
      - name: member
        type: yes_no
        question: Are you already a member?
        why: Members can apply straight away.
      - name: phone
        type: phone
        question: A phone number? Optional, say skip.
        why: Some members prefer a call.
        required: false
      - name: start
        type: date
        question: When do you need the funds?
        why: So the paperwork is ready in time.
        required: false
    on_complete:
      reply: Thanks, a loan officer will reply here.
"""


def turn(
    text: str,
    *entities: tuple[str, Any, str],
    intent: str | None = None,
    confidence: float = 0.0,
    contact: dict[str, Any] | None = None,
) -> Turn:
    """A turn; each entity is ``(type, value, text as written)`` and is located in ``text``."""
    found = []
    for kind, value, written in entities:
        start = text.index(written)
        found.append(Entity(kind, value, written, start, start + len(written)))
    return Turn(text, tuple(found), intent, confidence, contact or {})
