"""A small synthetic intents catalog (six intents, eight examples each) for the NLU tests."""

from __future__ import annotations

from pathlib import Path

from concierge.nlu.intents import IntentCatalog, load_intents

EXAMPLES: dict[str, list[str]] = {
    "order_status": [
        "where is my order",
        "has my order shipped yet",
        "track my delivery",
        "when will my package arrive",
        "I want an update on order 1234",
        "what's the status of my purchase",
        "my shipment hasn't arrived",
        "can you check where my delivery is",
    ],
    "quote_request": [
        "I need a quote for 200 light fixtures",
        "can you price out this job",
        "how much would 50 breakers cost",
        "send me pricing for copper wire",
        "looking for a bid on a warehouse project",
        "what is your price for LED panels",
        "please quote me 10 transformers",
        "estimate for conduit and fittings",
    ],
    "reset_password": [
        "I forgot my password",
        "reset my login",
        "can't sign in to my account",
        "my password doesn't work",
        "locked out of the portal",
        "how do I change my password",
        "login keeps failing",
        "help me recover my account access",
    ],
    "store_hours": [
        "what time do you open",
        "when does the branch close",
        "are you open on saturday",
        "opening hours please",
        "what are your hours today",
        "is the store open on sunday",
        "what time does the counter close",
        "holiday hours for the branch",
    ],
    "return_item": [
        "I want to return a broken fixture",
        "how do I send back a damaged part",
        "the breaker arrived cracked, need a refund",
        "return policy for unopened items",
        "can I exchange the wrong size wire",
        "item was defective, want my money back",
        "ship back a faulty ballast",
        "start a return please",
    ],
    "greeting": [
        "hi",
        "hello",
        "hey there",
        "good morning",
        "hiya",
        "hello, anyone around?",
        "good afternoon",
        "hey team",
    ],
}

HELD_OUT: list[tuple[str, str]] = [
    ("where is my package right now", "order_status"),
    ("has the delivery shipped", "order_status"),
    ("price for 300 LED panels", "quote_request"),
    ("could you quote 40 breakers", "quote_request"),
    ("I forgot the password for my account", "reset_password"),
    ("can't log in, password not working", "reset_password"),
    ("what are your opening hours on saturday", "store_hours"),
    ("what time does the branch open", "store_hours"),
    ("I want to return a damaged breaker", "return_item"),
    ("the fixture is defective, can I get a refund", "return_item"),
    ("hey, good morning", "greeting"),
    ("hello there", "greeting"),
]


def catalog_yaml(examples: dict[str, list[str]]) -> str:
    """An intents file holding ``examples`` (intent name -> examples)."""
    lines = ["intents:"]
    for name, texts in examples.items():
        lines += [f"  - name: {name}", f"    description: {name.replace('_', ' ')}"]
        lines += ["    examples:", *(f'      - "{text}"' for text in texts)]
    return "\n".join(lines) + "\n"


def write_catalog(directory: Path, examples: dict[str, list[str]]) -> IntentCatalog:
    """Write ``intents.yaml`` into ``directory`` and load it."""
    path = directory / "intents.yaml"
    path.write_text(catalog_yaml(examples), encoding="utf-8")
    return load_intents(path)


def training_pairs(examples: dict[str, list[str]]) -> list[tuple[str, str]]:
    """``(text, intent)`` pairs of ``examples``."""
    return [(text, name) for name, texts in examples.items() for text in texts]
