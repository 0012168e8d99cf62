"""``concierge intents validate``: findings by severity, file and line; exit codes for CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from concierge.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def copy_of_portlandia(directory: Path) -> Path:
    playbook = directory / "playbook"
    shutil.copytree(ROOT / "intents", playbook)
    return playbook


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("playbook", ["intents", "examples/credit-union/intents"])
def test_shipped_playbooks_pass_even_with_strict(playbook: str) -> None:
    result = runner.invoke(app, ["intents", "validate", str(ROOT / playbook), "--strict"])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output
    assert "0 errors, 0 warnings" in result.output


def test_warnings_pass_without_strict_and_fail_with_it(tmp_path: Path) -> None:
    playbook = copy_of_portlandia(tmp_path)
    edit(playbook / "intents.yaml", "    flow: stock_check\n", "    reply: Let me check.\n")
    relaxed = runner.invoke(app, ["intents", "validate", str(playbook)])
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning flows.yaml" not in relaxed.output
    assert f"warning {playbook / 'flows.yaml'}:" in relaxed.output
    assert "flow 'stock_check' is never started" in relaxed.output
    assert "0 errors, 1 warning" in relaxed.output
    strict = runner.invoke(app, ["intents", "validate", str(playbook), "--strict"])
    assert strict.exit_code == 1
    assert "0 errors, 1 warning (--strict: warnings fail too)" in strict.output


def test_errors_fail_and_come_before_warnings(tmp_path: Path) -> None:
    playbook = copy_of_portlandia(tmp_path)
    edit(playbook / "playbook.yaml", "get_quote: commercial_quote", "get_quote: commercial_quotes")
    edit(playbook / "intents.yaml", "    flow: stock_check\n", "    reply: Let me check.\n")
    result = runner.invoke(app, ["intents", "validate", str(playbook)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith(f"error   {playbook / 'playbook.yaml'}:")
    assert "button 'get_quote' starts unknown flow 'commercial_quotes'" in lines[0]
    assert lines[1].startswith(f"warning {playbook / 'flows.yaml'}:")
    assert "1 error, 1 warning" in result.output


def test_a_missing_directory_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["intents", "validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such playbook directory" in result.output


def test_help_explains_strict() -> None:
    result = runner.invoke(app, ["intents", "validate", "--help"])
    assert result.exit_code == 0
    assert "--strict" in result.output
    assert "Fail on warnings" in result.output
