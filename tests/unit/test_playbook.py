"""Loading the playbook: shipped file works, broken files name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.playbook import PlaybookError, load_playbook

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_playbook_loads() -> None:
    playbook = load_playbook(ROOT / "intents")
    assert "Portlandia" in playbook.greeting


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match=r"playbook\.yaml: file not found"):
        load_playbook(tmp_path)


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "playbook.yaml").write_text("name: x\ngreeting: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"playbook.yaml:\d+"):
        load_playbook(tmp_path)


def test_empty_greeting_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "playbook.yaml").write_text(
        "name: x\nbusiness: B\ngreeting: ' '\n", encoding="utf-8"
    )
    with pytest.raises(PlaybookError, match="'greeting' must be a non-empty string"):
        load_playbook(tmp_path)


def test_cross_file_problems_name_the_line_of_the_reference(tmp_path: Path) -> None:
    from concierge.flows import load_flows
    from concierge.nlu.intents import load_intents
    from concierge.playbook.brain import cross_file_problems
    from concierge.routing import load_routing

    for source in (ROOT / "intents").glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    intents_file = tmp_path / "intents.yaml"
    text = intents_file.read_text(encoding="utf-8").replace("handoff: support", "handoff: help", 1)
    intents_file.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "handoff: help" in row)
    problems = cross_file_problems(
        tmp_path,
        load_intents(intents_file),
        load_flows(tmp_path / "flows.yaml"),
        load_routing(tmp_path / "routing.yaml"),
    )
    assert problems == [
        f"{intents_file}:{line}: intent 'technical_help' hands off to unknown team 'help' "
        "(teams: catalog, sales, support)"
    ]
