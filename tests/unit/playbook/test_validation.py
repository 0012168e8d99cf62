"""Validating a whole playbook: the shipped ones are clean, findings are ordered and located."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.playbook.findings import ordered
from concierge.playbook.validation import validate_playbook
from tests.unit.playbook.sample import FLOWS, line_of, write_playbook

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("playbook", ["intents", "examples/credit-union/intents"])
def test_shipped_playbooks_have_no_errors_or_warnings(playbook: str) -> None:
    report = validate_playbook(ROOT / playbook)
    assert report.errors == []
    assert report.warnings == []
    assert report.counts["intents"] >= 10


def test_the_sample_playbook_is_clean(tmp_path: Path) -> None:
    report = validate_playbook(write_playbook(tmp_path))
    assert report.findings == []
    assert report.summary() == "0 errors, 0 warnings"


def test_errors_come_first_then_warnings_each_by_file_and_line(tmp_path: Path) -> None:
    unused = FLOWS + (
        "  survey:\n    slots:\n      - {name: mood, type: text, question: 'How are you?'}\n"
    )
    playbook = "name: shop\nbusiness: Shop\ngreeting: Hi!\nmessenger_flows: {go: nowhere}\n"
    write_playbook(tmp_path, flows=unused, playbook=playbook)
    intents = (tmp_path / "intents.yaml").read_text().replace("handoff: support", "handoff: nobody")
    (tmp_path / "intents.yaml").write_text(intents, encoding="utf-8")
    report = validate_playbook(tmp_path)
    shown = ordered(report.findings)
    severities = [found.severity for found in shown]
    assert set(severities) == {"error", "warning"}
    located = [(found.path, found.line or 0) for found in shown if found.is_error]
    assert severities == sorted(severities)  # "error" < "warning"
    assert located == sorted(located, key=lambda where: (str(where[0]), where[1]))
    assert any("playbook.yaml:4: messenger_flows: button 'go'" in text for text in report.errors)
    assert any("hands off to unknown team 'nobody'" in text for text in report.errors)
    assert report.warnings == [
        f"{tmp_path / 'flows.yaml'}:{line_of(tmp_path / 'flows.yaml', 'survey:')}: flow 'survey' "
        "is never started: no intent has `flow: survey` and no messenger_flows button in "
        "playbook.yaml names it",
        f"{tmp_path / 'flows.yaml'}:{line_of(tmp_path / 'flows.yaml', 'name: mood')}: flow "
        "'survey' asks 'mood' but nothing uses the answer: no scoring or routing rule, "
        "condition or reply reads it, and the flow does not hand off (so no team sees it); "
        "use it or stop asking",
    ]
    assert report.summary().endswith("2 warnings")


def test_a_broken_file_still_lets_the_others_be_checked(tmp_path: Path) -> None:
    write_playbook(tmp_path, routing="timezone: UTC\nteams: {}\n")
    thin = (tmp_path / "intents.yaml").read_text().replace("  - hiya\n", "")
    (tmp_path / "intents.yaml").write_text(thin, encoding="utf-8")
    report = validate_playbook(tmp_path)
    assert any(text.startswith(f"{tmp_path / 'routing.yaml'}:") for text in report.errors)
    assert any("intent 'greeting' has 9 different examples" in text for text in report.warnings)


def test_a_missing_directory_is_one_error(tmp_path: Path) -> None:
    report = validate_playbook(tmp_path / "nowhere")
    assert not report.ok
    assert report.errors == [f"{tmp_path / 'nowhere'}: not a directory"]


def test_a_broken_playbook_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    write_playbook(tmp_path, playbook="name: shop\ngreeting: [unclosed\n")
    (found,) = validate_playbook(tmp_path).findings
    assert (found.severity, found.path, found.line) == ("error", tmp_path / "playbook.yaml", 3)
    assert found.message


def test_a_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    write_playbook(tmp_path)
    (tmp_path / "playbook.yaml").unlink()
    assert validate_playbook(tmp_path).errors == [f"{tmp_path / 'playbook.yaml'}: file not found"]
