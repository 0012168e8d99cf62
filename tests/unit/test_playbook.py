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
