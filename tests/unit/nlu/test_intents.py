"""Intent files: loading, schema and semantic errors that name file and line, the fingerprint."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from concierge.nlu.errors import IntentFileError, NluError
from concierge.nlu.intents import OUT_OF_SCOPE, IntentCatalog, IntentSpec, load_intents
from tests.unit.nlu.intent_samples import EXAMPLES, write_catalog

REPO = Path(__file__).resolve().parents[3]

GOOD = """\
# yaml-language-server: $schema=../src/concierge/nlu/intents.schema.json
intents:
  - name: quote_request
    description: Get a price quote
    reply: Happy to help with a quote.
    flow: commercial_quote
    handoff: sales
    entities: [product, quantity]
    examples:
      - "we need a quote for 300 LED high-bays"
      - "pricing on 5000 ft of 12 AWG THHN"
  - name: out_of_scope
    description: Something else
    examples: ["tell me a joke", "what's the weather"]
"""


def write(tmp_path: Path, text: str, name: str = "intents.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(IntentFileError) as caught:
        load_intents(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_good_file_loads_every_field(tmp_path: Path) -> None:
    catalog = load_intents(write(tmp_path, GOOD))
    quote = catalog.get("quote_request")
    assert quote == IntentSpec(
        name="quote_request",
        description="Get a price quote",
        examples=("we need a quote for 300 LED high-bays", "pricing on 5000 ft of 12 AWG THHN"),
        reply="Happy to help with a quote.",
        flow="commercial_quote",
        handoff="sales",
        entities=("product", "quantity"),
        line=3,
    )
    out = catalog.get(OUT_OF_SCOPE)
    assert out is not None
    assert out.out_of_scope
    assert (out.reply, out.flow, out.handoff, out.entities) == (None, None, None, ())
    assert catalog.get("nope") is None
    assert catalog.names() == ("quote_request", "out_of_scope")


def test_a_directory_means_its_intents_yaml(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    assert load_intents(tmp_path).path == tmp_path / "intents.yaml"


@pytest.mark.parametrize("playbook", ["intents", "examples/credit-union/intents"])
def test_the_shipped_playbooks_are_valid(playbook: str) -> None:
    catalog = load_intents(REPO / playbook)
    assert catalog.get(OUT_OF_SCOPE) is not None
    assert len(catalog.training_pairs()) > 100


def test_training_pairs_are_text_then_intent_in_file_order(tmp_path: Path) -> None:
    pairs = load_intents(write(tmp_path, GOOD)).training_pairs()
    assert pairs == [
        ("we need a quote for 300 LED high-bays", "quote_request"),
        ("pricing on 5000 ft of 12 AWG THHN", "quote_request"),
        ("tell me a joke", "out_of_scope"),
        ("what's the weather", "out_of_scope"),
    ]


def test_schema_errors_name_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        intents:
          - name: Quote-Request
            description: Get a quote
            examples: ["a quote please", "price for leds"]
            colour: red
          - name: greeting
            examples:
              - "hello"
              - yes
          - "just a string"
        """,
    )
    assert problems_of(path) == [
        f"{path}:2: intent 'Quote-Request': name: 'Quote-Request' must be snake_case "
        "(lowercase letters, digits and _)",
        f"{path}:5: intent 'Quote-Request': unknown field 'colour' (known fields: name, "
        "description, examples, reply, flow, handoff, entities)",
        f"{path}:6: intent 'greeting': 'description' is a required property",
        f"{path}:7: intent 'greeting': examples: has 1 different example(s), needs at least 2 "
        "(15-30 varied examples work best)",
        f"{path}:9: intent 'greeting': examples[1]: True is read as a YAML bool; quote it",
        f"{path}:10: intents[2]: 'just a string' is not of type 'object'",
    ]


def test_semantic_errors_are_reported_together_with_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        intents:
          - name: greeting
            description: Say hello
            examples: ["hi", "hello"]
          - name: thanks
            description: Say thanks
            examples:
              - "thanks"
              - "  HELLO "
          - name: greeting
            description: Hello again
            examples: ["hey", "Hey"]
        """,
    )
    assert problems_of(path) == [
        f"{path}:9: intent 'thanks': example '  HELLO ' is also an example of 'greeting' "
        "(line 4); an example may appear under one intent only",
        f"{path}:10: intent name 'greeting' is already used (line 2); names must be unique",
        f"{path}:12: intent 'greeting': examples: has 1 different example(s), needs at least 2 "
        "(15-30 varied examples work best)",
    ]


def test_schema_and_semantic_problems_come_together(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        intents:
          - name: greeting
            description: Say hello
            examples: ["hi"]
            extra: 1
          - name: greeting
            description: " "
            examples: ["hello", "hey"]
        """,
    )
    lines = [problem.split(": ", 1)[0] for problem in problems_of(path)]
    assert lines == [f"{path}:4", f"{path}:5", f"{path}:6", f"{path}:7"]


def test_too_few_intents_or_examples(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        intents:
          - name: greeting
            description: Say hello
            examples: []
        """,
    )
    assert problems_of(path) == [
        f"{path}:1: intents: has 1, needs at least 2",
        f"{path}:4: intent 'greeting': examples: has 0 different example(s), needs at least 2 "
        "(15-30 varied examples work best)",
    ]


def test_yaml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'intents:\n  - name: greeting\n    examples: ["hi", "hello"\n')
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:")
    assert "not valid YAML" in problem


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty; it needs an `intents:` list"),
        ("- just\n- a list\n", "['just', 'a list'] is not of type 'object'"),
        ("intent:\n  - name: x\n", "unknown field 'intent'"),
    ],
)
def test_files_without_an_intents_list(tmp_path: Path, text: str, message: str) -> None:
    problems = problems_of(write(tmp_path, text))
    assert any(message in problem for problem in problems), problems


def test_a_missing_file_is_an_intent_file_error(tmp_path: Path) -> None:
    with pytest.raises(NluError, match="cannot read"):
        load_intents(tmp_path / "missing.yaml")


def test_the_fingerprint_is_stable_and_ignores_order_case_and_spacing(tmp_path: Path) -> None:
    catalog = write_catalog(tmp_path, EXAMPLES)
    again = write_catalog(tmp_path, EXAMPLES)
    assert catalog.fingerprint() == again.fingerprint()
    assert len(catalog.fingerprint()) == 64
    reordered = IntentCatalog(tuple(reversed(catalog.intents)))
    assert reordered.fingerprint() == catalog.fingerprint()
    shouted = {name: [f"  {text.upper()} " for text in texts] for name, texts in EXAMPLES.items()}
    assert write_catalog(tmp_path, shouted).fingerprint() == catalog.fingerprint()


def test_the_fingerprint_changes_with_the_examples(tmp_path: Path) -> None:
    before = write_catalog(tmp_path, EXAMPLES).fingerprint()
    edited = {**EXAMPLES, "greeting": [*EXAMPLES["greeting"][:-1], "yo"]}
    assert write_catalog(tmp_path, edited).fingerprint() != before
    added = {**EXAMPLES, "greeting": [*EXAMPLES["greeting"], "howdy"]}
    assert write_catalog(tmp_path, added).fingerprint() != before
    first_greeting, *other_greetings = EXAMPLES["greeting"]
    moved = {
        **EXAMPLES,
        "greeting": other_greetings,
        "store_hours": [*EXAMPLES["store_hours"], first_greeting],
    }
    assert write_catalog(tmp_path, moved).fingerprint() != before


def test_the_fingerprint_ignores_replies_and_descriptions(tmp_path: Path) -> None:
    plain = load_intents(write(tmp_path, GOOD)).fingerprint()
    reworded = GOOD.replace("Happy to help with a quote.", "Sure!").replace("Get a", "Ask for a")
    assert load_intents(write(tmp_path, reworded)).fingerprint() == plain
