"""Every conversation script of both playbooks, played through a real local server.

One server per playbook (a module-scoped fixture, parametrized indirectly so pytest groups the
scripts of a playbook together); one test per script, each its own customer and conversation.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from concierge.scenarios.report import describe_state
from concierge.scenarios.runner import ScriptResult, play_script
from concierge.scenarios.stack import Stack
from concierge.scenarios.suite import PlaybookDirs, ScriptFile, load_suite, playbook_stack

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS_DIR = ROOT / "tests" / "conversations"
GROUPS = load_suite([SCRIPTS_DIR], root=ROOT)
CASES = [(group.dirs, item) for group in GROUPS for item in group.scripts]
MODELS = Path(tempfile.gettempdir()) / "concierge-test-models" / "scripts"


@pytest.fixture(scope="module")
def stack(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """One local server for the playbook in ``request.param``, shared by its scripts."""
    dirs: PlaybookDirs = request.param
    work_dir = tmp_path_factory.mktemp(dirs.intents_dir.name)
    with playbook_stack(dirs, work_dir=work_dir, model_root=MODELS) as running:
        yield running


def explain(result: ScriptResult) -> str:
    lines = [f"{result.path.name}: {result.name}", *result.failures, "transcript:"]
    for turn in result.transcript:
        lines.append(f"  customer: {turn.customer}")
        lines += [f"  bot: {reply}" for reply in turn.replies]
        if turn.options:
            lines.append(f"  buttons: {turn.options}")
        lines += [f"  {label}: {text}" for label, text in describe_state(turn)]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("stack", "item"),
    CASES,
    ids=[str(item.path.relative_to(SCRIPTS_DIR)) for _, item in CASES],
    indirect=["stack"],
    scope="module",
)
def test_conversation_script(stack: Stack, item: ScriptFile) -> None:
    result = play_script(item.script, stack, item.path)
    assert result.passed, explain(result)
