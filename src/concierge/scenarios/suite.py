"""A suite of conversation scripts: loaded, grouped by playbook, played on one stack per playbook.

Every script names its playbook (``playbook:`` and ``canvases:``, relative to the project
root); scripts of the same playbook share one local stack, each as its own customer and
conversation, so a playbook trains (or loads) its model and starts its server once.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from concierge.canvas.errors import CanvasError
from concierge.canvas.templates import CanvasLibrary
from concierge.playbook.validation import validate_playbook
from concierge.scenarios.runner import ScriptResult, play_script
from concierge.scenarios.script import Script, ScriptError, find_scripts, load_script
from concierge.scenarios.stack import Stack, local_stack


@dataclass(frozen=True, order=True)
class PlaybookDirs:
    """The two designer directories a stack serves: the playbook and the canvas templates."""

    intents_dir: Path
    canvases_dir: Path

    @property
    def label(self) -> str:
        """A short name for reports: the playbook directory as given, relative when possible."""
        with contextlib.suppress(ValueError):
            return str(self.intents_dir.relative_to(Path.cwd()))
        return str(self.intents_dir)


@dataclass(frozen=True)
class ScriptFile:
    """One loaded script and the file it came from."""

    path: Path
    script: Script


@dataclass
class PlaybookGroup:
    """The scripts that run against one playbook, in file order."""

    dirs: PlaybookDirs
    scripts: list[ScriptFile] = field(default_factory=list)


@dataclass
class SuiteResult:
    """Every script's result, in the order they ran."""

    results: list[ScriptResult] = field(default_factory=list)

    @property
    def passed(self) -> int:
        """How many scripts passed."""
        return sum(1 for result in self.results if result.passed)

    @property
    def failed(self) -> int:
        """How many scripts failed."""
        return len(self.results) - self.passed


def playbook_of(
    script: Script,
    *,
    root: Path,
    intents_dir: Path | None = None,
    canvases_dir: Path | None = None,
) -> PlaybookDirs:
    """The directories a script runs against: its own (relative to ``root``) unless overridden."""
    return PlaybookDirs(
        intents_dir=(intents_dir or root / script.playbook).resolve(),
        canvases_dir=(canvases_dir or root / script.canvases).resolve(),
    )


def load_suite(
    paths: list[Path],
    *,
    root: Path,
    intents_dir: Path | None = None,
    canvases_dir: Path | None = None,
) -> list[PlaybookGroup]:
    """Load every script under ``paths`` and group them by playbook; raises ScriptError with
    every problem found (each naming file and line) when a path or a script is bad."""
    files = find_scripts(paths)
    if not files:
        raise ScriptError(f"no conversation scripts (*.yaml) in {', '.join(map(str, paths))}")
    groups: dict[PlaybookDirs, PlaybookGroup] = {}
    problems: list[str] = []
    for path in files:
        try:
            script = load_script(path)
        except ScriptError as exc:
            problems.append(str(exc))
            continue
        dirs = playbook_of(script, root=root, intents_dir=intents_dir, canvases_dir=canvases_dir)
        groups.setdefault(dirs, PlaybookGroup(dirs)).scripts.append(ScriptFile(path, script))
    if problems:
        raise ScriptError("\n".join(problems))
    return list(groups.values())


def playbook_problems(dirs: PlaybookDirs) -> list[str]:
    """What keeps a playbook (and its canvas templates) from loading, each naming its file."""
    report = validate_playbook(dirs.intents_dir)
    problems = list(report.errors)
    if not dirs.canvases_dir.is_dir():
        problems.append(f"{dirs.canvases_dir}: canvas templates directory not found")
    else:
        try:
            CanvasLibrary.load(dirs.canvases_dir)
        except CanvasError as exc:
            problems.extend(line for line in str(exc).splitlines() if line.strip())
    return problems


def suite_problems(groups: list[PlaybookGroup]) -> list[str]:
    """The playbook problems of every group, each prefixed with the scripts that use it."""
    problems = []
    for group in groups:
        found = playbook_problems(group.dirs)
        if found:
            users = ", ".join(str(item.path) for item in group.scripts[:3])
            more = f" and {len(group.scripts) - 3} more" if len(group.scripts) > 3 else ""
            problems.append(f"playbook {group.dirs.label} (used by {users}{more}):")
            problems.extend(f"  {line}" for line in found)
    return problems


def model_dir_for(model_root: Path, intents_dir: Path) -> Path:
    """Where a playbook's trained model is cached: one directory per playbook path."""
    key = hashlib.sha256(str(intents_dir.resolve()).encode()).hexdigest()[:12]
    return model_root / f"{intents_dir.name}-{key}"


@contextlib.contextmanager
def playbook_stack(
    dirs: PlaybookDirs, *, work_dir: Path, model_root: Path, quiet: bool = False
) -> Iterator[Stack]:
    """A local stack serving one playbook (its database in ``work_dir``)."""
    with local_stack(
        intents_dir=dirs.intents_dir,
        canvases_dir=dirs.canvases_dir,
        work_dir=work_dir,
        model_dir=model_dir_for(model_root, dirs.intents_dir),
        quiet=quiet,
    ) as stack:
        yield stack


def run_suite(
    groups: list[PlaybookGroup],
    *,
    work_root: Path,
    model_root: Path,
    on_group: Callable[[PlaybookGroup], None] = lambda _group: None,
    on_result: Callable[[ScriptResult], None] = lambda _result: None,
    quiet: bool = False,
) -> SuiteResult:
    """Play every group's scripts on one stack per playbook; report each result as it comes."""
    suite = SuiteResult()
    for number, group in enumerate(groups, start=1):
        on_group(group)
        with playbook_stack(
            group.dirs,
            work_dir=work_root / f"playbook-{number}",
            model_root=model_root,
            quiet=quiet,
        ) as stack:
            for item in group.scripts:
                result = play_script(item.script, stack, item.path)
                suite.results.append(result)
                on_result(result)
    return suite
