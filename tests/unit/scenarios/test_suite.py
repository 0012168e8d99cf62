"""Grouping conversation scripts by playbook, and the clock one stack's scripts share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from concierge.scenarios.script import ScriptError
from concierge.scenarios.stack import SettableClock
from concierge.scenarios.suite import load_suite, model_dir_for

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "tests" / "conversations"


def test_shipped_scripts_make_one_group_per_playbook() -> None:
    groups = load_suite([SCRIPTS], root=ROOT)
    by_playbook = {group.dirs.intents_dir: group for group in groups}
    assert set(by_playbook) == {ROOT / "intents", ROOT / "examples" / "credit-union" / "intents"}
    portlandia = by_playbook[ROOT / "intents"]
    assert {item.path.parent.name for item in portlandia.scripts} == {"portlandia"}
    assert len(portlandia.scripts) == len(list((SCRIPTS / "portlandia").glob("*.yaml")))


def test_intents_dir_option_puts_every_script_on_that_playbook(tmp_path: Path) -> None:
    groups = load_suite([SCRIPTS], root=ROOT, intents_dir=tmp_path)
    assert [group.dirs.intents_dir for group in groups] == [tmp_path.resolve()]
    assert len(groups[0].scripts) == len(list(SCRIPTS.rglob("*.yaml")))


def test_every_bad_script_is_reported_with_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: a\nturns: []\n")
    (tmp_path / "b.yaml").write_text("name: b\nturns:\n  - said: hi\n")
    with pytest.raises(ScriptError) as caught:
        load_suite([tmp_path], root=ROOT)
    message = str(caught.value)
    assert f"{tmp_path / 'a.yaml'}:2: turns" in message
    assert f"{tmp_path / 'b.yaml'}:3:" in message


def test_a_directory_without_scripts_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="no conversation scripts"):
        load_suite([tmp_path], root=ROOT)


def test_each_playbook_caches_its_model_apart(tmp_path: Path) -> None:
    one = model_dir_for(tmp_path, ROOT / "intents")
    other = model_dir_for(tmp_path, ROOT / "examples" / "credit-union" / "intents")
    assert one != other
    assert one.parent == other.parent == tmp_path


def test_the_clock_is_fixed_while_set_and_real_otherwise() -> None:
    clock = SettableClock()
    moment = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    clock.set(moment)
    assert clock() == moment
    clock.set(None)
    assert abs((clock() - datetime.now(UTC)).total_seconds()) < 5
