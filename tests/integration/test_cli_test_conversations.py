"""``concierge test conversations``: scripts played on one local server per playbook."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from concierge.cli import app

ROOT = Path(__file__).resolve().parents[2]
MODELS = Path(tempfile.gettempdir()) / "concierge-test-models" / "scripts"

runner = CliRunner()

ORDER_STATUS = """\
name: {name}
playbook: {playbook}
canvases: {canvases}
at: "2026-11-24T09:15:00-08:00"
turns:
  - customer: "where's my order?"
    bot: {{contains: ["order number"]}}
  - customer: "PES-204518"
    bot: {{contains: ["{second}"]}}
  - customer: "jo@cascade-electric.com"
    bot: {{contains: ["support"]}}
expect:
  slots: {{order_number: PES-204518}}
  team: support
"""


def write_script(path: Path, name: str, second: str) -> Path:
    path.write_text(
        ORDER_STATUS.format(
            name=name,
            playbook=ROOT / "intents",
            canvases=ROOT / "canvases",
            second=second,
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Result:
    """One run over three scripts of one playbook: one passes, two fail in different ways."""
    scripts = tmp_path_factory.mktemp("scripts")
    write_script(scripts / "a_good.yaml", "Order status asks for the email", "email")
    write_script(scripts / "b_turn.yaml", "Order status asks for a zebra", "zebra")
    team = write_script(scripts / "c_team.yaml", "Order status goes to sales?", "email")
    team.write_text(team.read_text().replace("team: support", "team: sales"))
    return runner.invoke(app, ["test", "conversations", str(scripts), "--model-dir", str(MODELS)])


def report_of(suite: Result, name: str) -> str:
    """The lines printed about the script called ``name``."""
    after = suite.output.split(name, 1)[1]
    return re.split(r"^(?:PASS|FAIL) ", after, maxsplit=1, flags=re.MULTILINE)[0]


def test_any_failure_exits_1_after_the_summary(suite: Result) -> None:
    assert suite.exit_code == 1, suite.output
    assert suite.output.rstrip().endswith("1 passed, 2 failed")
    assert "PASS" in suite.output.split("Order status asks for the email")[0]


def test_a_failing_turn_is_named_with_what_was_said_expected_and_done(suite: Result) -> None:
    failure = report_of(suite, "Order status asks for a zebra")
    assert "turn 2 diverged" in failure
    assert "turn 1 diverged" not in failure
    assert "turn 3 diverged" not in failure
    assert "customer  'PES-204518'" in failure
    assert "expected  a reply containing 'zebra'" in failure
    assert "bot said  What email was the order placed with?" in failure
    assert "routing   not routed; conversation status bot" in failure


def test_a_failing_outcome_shows_the_final_state(suite: Result) -> None:
    failure = report_of(suite, "Order status goes to sales?")
    assert "diverged" not in failure
    assert "after the last turn" in failure
    assert "team: expected 'sales', got 'support'" in failure
    assert "routing   support (rule order_status)" in failure


def test_an_invalid_script_is_bad_input_naming_file_and_line(tmp_path: Path) -> None:
    script = tmp_path / "typo.yaml"
    script.write_text("name: typo\nturns:\n  - customer: hi\n    bot: {contain: [x]}\n")
    result = runner.invoke(app, ["test", "conversations", str(script)])
    assert result.exit_code == 2
    assert f"{script}:4:" in result.output
    assert "contain" in result.output


def test_a_missing_path_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["test", "conversations", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_a_broken_playbook_is_bad_input(tmp_path: Path) -> None:
    write_script(tmp_path / "script.yaml", "anything", "email")
    broken = tmp_path / "playbook"
    broken.mkdir()
    (broken / "intents.yaml").write_text("intents: [\n")
    result = runner.invoke(
        app, ["test", "conversations", str(tmp_path / "script.yaml"), "--intents-dir", str(broken)]
    )
    assert result.exit_code == 2
    assert "cannot be loaded" in result.output
    assert str(broken / "intents.yaml") in result.output
