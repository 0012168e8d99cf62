"""Warnings about intents and flows: near-duplicate examples, thin intents, idle intents,
unused flows."""

from __future__ import annotations

from pathlib import Path

from concierge.playbook.lint import MAX_LISTED, RECOMMENDED_EXAMPLES
from concierge.playbook.validation import validate_playbook
from tests.unit.playbook.sample import (
    EXAMPLES,
    FLOWS,
    INTENTS,
    PLAYBOOK,
    intents_yaml,
    line_of,
    replaced,
    write_playbook,
)


def warnings(directory: Path, **files: str) -> list[str]:
    return validate_playbook(write_playbook(directory, **files)).warnings


def with_examples(name: str, examples: list[str]) -> str:
    return intents_yaml([{**i, "examples": examples} if i["name"] == name else i for i in INTENTS])


def test_near_duplicate_examples_of_two_intents_are_one_warning(tmp_path: Path) -> None:
    found = warnings(
        tmp_path,
        intents=with_examples("out_of_scope", [*EXAMPLES["out_of_scope"], "Good morning!"]),
    )
    intents = tmp_path / "intents.yaml"
    assert found == [
        f"{intents}:{line_of(intents, 'Good morning!')}: intent 'out_of_scope': example "
        f"'Good morning!' is nearly the same as 'good morning' of intent 'greeting' (line "
        f"{line_of(intents, '- good morning')}; the same words apart from punctuation and little "
        "words); reword one or keep it under one intent"
    ]


def test_similar_wording_is_reported_with_its_similarity(tmp_path: Path) -> None:
    quote = "can you quote conduit and fittings for a new school project"
    examples = [*EXAMPLES["out_of_scope"], quote + " tomorrow"]
    greeting = [*EXAMPLES["greeting"], quote]
    intents = intents_yaml(
        [
            {
                **i,
                "examples": {"out_of_scope": examples, "greeting": greeting}.get(
                    i["name"], EXAMPLES[i["name"]]
                ),
            }
            for i in INTENTS
        ]
    )
    (found,) = warnings(tmp_path, intents=intents)
    assert "% similar);" in found
    assert "tomorrow" in found


def test_near_duplicates_under_one_intent_are_fine(tmp_path: Path) -> None:
    found = warnings(tmp_path, intents=with_examples("greeting", [*EXAMPLES["greeting"], "Hello!"]))
    assert found == []


def test_hundreds_of_near_duplicates_are_capped_with_a_count(tmp_path: Path) -> None:
    copies = [f"please quote {number} LED panels" for number in range(MAX_LISTED + 20)]
    twins = [f"quote {number} LED panels!" for number in range(MAX_LISTED + 20)]
    intents = intents_yaml(
        [
            {**INTENTS[0], "examples": [*EXAMPLES["greeting"], *copies]},
            {**INTENTS[1], "examples": [*EXAMPLES["quote_request"], *twins]},
            *INTENTS[2:],
        ]
    )
    found = warnings(tmp_path, intents=intents)
    assert len(found) == MAX_LISTED + 1
    assert found[-1] == (
        f"{tmp_path / 'intents.yaml'}: ... and 20 more pairs of nearly identical examples under "
        f"different intents (the {MAX_LISTED} most similar are listed)"
    )


def test_an_intent_with_few_examples_is_a_warning_with_the_advice(tmp_path: Path) -> None:
    few = [*EXAMPLES["greeting"][:5], "hello"]  # a repeat counts once
    (found,) = warnings(tmp_path, intents=with_examples("greeting", few))
    assert (
        f"intent 'greeting' has 5 different examples; add at least {RECOMMENDED_EXAMPLES - 5} more"
        in found
    )
    assert "15-30 varied examples work best" in found


def test_an_intent_with_the_recommended_number_is_fine(tmp_path: Path) -> None:
    enough = EXAMPLES["greeting"][:RECOMMENDED_EXAMPLES]
    assert warnings(tmp_path, intents=with_examples("greeting", enough)) == []


def test_an_intent_that_does_nothing_is_a_warning_but_out_of_scope_is_not(tmp_path: Path) -> None:
    idle = [{k: v for k, v in i.items() if k != "reply"} for i in INTENTS]
    (found,) = warnings(tmp_path, intents=intents_yaml(idle))
    line = line_of(tmp_path / "intents.yaml", "name: greeting")
    assert found == (
        f"{tmp_path / 'intents.yaml'}:{line}: intent 'greeting' has no reply, flow or handoff: "
        "when it is recognised the bot only repeats its greeting"
    )


def test_an_intent_with_a_flow_and_a_handoff_is_a_warning(tmp_path: Path) -> None:
    both = [{**i, "handoff": "sales"} if i["name"] == "quote_request" else i for i in INTENTS]
    (found,) = warnings(tmp_path, intents=intents_yaml(both))
    assert "intent 'quote_request' has both a flow and a handoff: the flow starts" in found


def test_a_flow_nothing_starts_is_a_warning(tmp_path: Path) -> None:
    no_flow = [{k: v for k, v in i.items() if k != "flow"} for i in INTENTS]
    playbook = replaced(PLAYBOOK, "messenger_flows:\n  get_quote: quote\n", "")
    (found,) = warnings(tmp_path, intents=intents_yaml(no_flow), playbook=playbook)
    line = line_of(tmp_path / "flows.yaml", "quote:")
    assert found.startswith(f"{tmp_path / 'flows.yaml'}:{line}: flow 'quote' is never started")


def test_a_flow_only_a_messenger_button_starts_is_used(tmp_path: Path) -> None:
    no_flow = [{k: v for k, v in i.items() if k != "flow"} for i in INTENTS]
    assert warnings(tmp_path, intents=intents_yaml(no_flow), flows=FLOWS) == []
