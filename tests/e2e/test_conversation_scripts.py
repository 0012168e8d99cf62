"""Every conversation script of both playbooks, played through a real local server."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from concierge.scenarios.runner import ScriptResult, run_script
from concierge.scenarios.script import find_scripts

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = find_scripts([ROOT / "tests" / "conversations"])
MODELS = Path(tempfile.gettempdir()) / "concierge-test-models" / "scripts"


def explain(result: ScriptResult) -> str:
    lines = [f"{result.path.name}: {result.name}", *result.failures, "transcript:"]
    for turn in result.transcript:
        lines.append(f"  customer: {turn.customer}")
        lines += [f"  bot: {reply}" for reply in turn.replies]
        if turn.options:
            lines.append(f"  buttons: {turn.options}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    "script", SCRIPTS, ids=[str(p.relative_to(ROOT / "tests" / "conversations")) for p in SCRIPTS]
)
def test_conversation_script(script: Path, tmp_path: Path) -> None:
    result = run_script(script, root=ROOT, work_dir=tmp_path, model_root=MODELS)
    assert result.passed, explain(result)
