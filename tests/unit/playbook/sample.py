"""A small, clean playbook written to a directory, for tests to break one thing at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

EXAMPLES = {
    "greeting": [
        "hello",
        "hi there",
        "good morning",
        "hey team",
        "howdy",
        "good afternoon",
        "greetings",
        "hiya",
        "good evening",
        "hey folks",
    ],
    "quote_request": [
        "we need a quote for 300 panels",
        "how much for 40 breakers",
        "price on 5000 ft of wire",
        "quote for a warehouse lighting job",
        "what would 20 EV chargers cost",
        "pricing for conduit and fittings",
        "can you bid our material list",
        "volume pricing on transformers",
        "estimate for a retrofit",
        "RFQ for street lights",
    ],
    "talk_to_human": [
        "can I talk to a person",
        "agent please",
        "human",
        "get me a live agent",
        "representative",
        "operator",
        "connect me with someone",
        "real person pls",
        "put me through to somebody",
        "I want a person",
    ],
    "out_of_scope": [
        "tell me a joke",
        "what's the weather tomorrow",
        "who won the game",
        "write me a poem",
        "recommend a movie",
        "how tall is mount hood",
        "sing me a song",
        "what's the capital of Australia",
        "do you like cats",
        "how do I cook salmon",
    ],
}

INTENTS: list[dict[str, Any]] = [
    {"name": "greeting", "description": "Say hello", "reply": "Hi! What do you need?"},
    {"name": "quote_request", "description": "Quotes", "reply": "Sure.", "flow": "quote"},
    {"name": "talk_to_human", "description": "A person", "handoff": "support"},
    {"name": "out_of_scope", "description": "Other things", "reply": "I can't help there."},
]

FLOWS = """\
flows:
  quote:
    description: A quote for a customer.
    slots:
      - name: segment
        type: choice
        question: Is this for a home or a business?
        why: Prices differ.
        choices: [home, business]
      - name: email
        type: email
        question: What email should the quote go to?
        why: We send the quote there.
    on_complete:
      reply: Thanks, we'll email {email}.
      handoff: true
"""

SCORING = """\
rules:
  - name: business
    dimension: fit
    points: 20
    when: {slot: segment, equals: business}
caps: {fit: 100, engagement: 50}
labels:
  - {label: hot, at_least: 20}
  - {label: cold}
"""

ROUTING = """\
timezone: UTC
teams:
  sales: {name: Sales}
  support: {name: Support}
rules:
  - name: hot
    when: {slot: score_label, equals: hot}
    team: sales
  - name: quotes
    when: {intent: quote_request}
    team: sales
default: {team: support, sla: medium}
"""

PLAYBOOK = """\
name: shop
business: Shop
greeting: Hi! How can we help?
messenger_flows:
  get_quote: quote
"""

ENTITIES = """\
lookups:
  product:
    - name: panel
      synonyms: [panels]
"""


def intents_yaml(intents: list[dict[str, Any]] | None = None) -> str:
    """``intents.yaml`` text; each intent without ``examples`` gets its sample examples."""
    items = [
        {**intent, "examples": intent.get("examples", EXAMPLES.get(intent["name"], []))}
        for intent in (INTENTS if intents is None else intents)
    ]
    return yaml.safe_dump({"intents": items}, sort_keys=False, width=200)


def write_playbook(directory: Path, **files: str) -> Path:
    """The sample playbook in ``directory``; ``files`` replace whole files (``flows="..."``)."""
    texts = {
        "intents": intents_yaml(),
        "flows": FLOWS,
        "scoring": SCORING,
        "routing": ROUTING,
        "playbook": PLAYBOOK,
        "entities": ENTITIES,
        **files,
    }
    for name, text in texts.items():
        (directory / f"{name}.yaml").write_text(text, encoding="utf-8")
    return directory


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` containing ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def replaced(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which must be there) replaced by ``new``."""
    assert old in text, f"{old!r} is not in the sample"
    return text.replace(old, new)
