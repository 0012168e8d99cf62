"""The conversation-script file format and its loading (errors name file and line)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from concierge.yaml_source import YamlSyntaxError, read_yaml


class ScriptError(ValueError):
    """A conversation script that cannot be run; the message names file and line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TurnExpectation(_Strict):
    """What the bot must (not) say in reply to one customer turn."""

    contains: list[str] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list)
    silent: bool = False


class Turn(_Strict):
    """One customer message and the expectations on the bot's answer."""

    customer: str
    bot: TurnExpectation = Field(default_factory=TurnExpectation)


class Outcome(_Strict):
    """What must be true once every turn has been played."""

    slots: dict[str, Any] = Field(default_factory=dict)
    score_label: str | None = None
    team: str | None = None
    status: str | None = None
    tags: list[str] = Field(default_factory=list)
    note_contains: list[str] = Field(default_factory=list)
    contact_attributes: dict[str, Any] = Field(default_factory=dict)
    not_anywhere: list[str] = Field(default_factory=list)


class ContactSpec(_Strict):
    """The customer who writes in."""

    name: str | None = None
    email: str | None = None
    custom_attributes: dict[str, Any] = Field(default_factory=dict)


class Setup(_Strict):
    """The emulated workspace before the script plays (put back afterwards): ``away`` lists
    the admin ids that are away in Intercom."""

    away: list[str] = Field(default_factory=list)


class Script(_Strict):
    """A whole scripted conversation against one playbook."""

    name: str
    playbook: Path = Path("intents")
    canvases: Path = Path("canvases")
    at: datetime | None = None
    contact: ContactSpec | None = None
    setup: Setup = Field(default_factory=Setup)
    turns: list[Turn] = Field(min_length=1)
    expect: Outcome = Field(default_factory=Outcome)


def load_script(path: Path) -> Script:
    """Parse and validate one script file."""
    try:
        document = read_yaml(path)
    except YamlSyntaxError as exc:
        raise ScriptError(f"{path}:{exc.line or 1}: {exc}") from None
    except OSError as exc:
        raise ScriptError(f"{path}: {exc.strerror}") from None
    try:
        return Script.model_validate(document.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = tuple(error["loc"])
            line = document.line_of(where) or 1
            problems.append(f"{path}:{line}: {'.'.join(map(str, where))}: {error['msg']}")
        raise ScriptError("\n".join(problems)) from None


def find_scripts(paths: list[Path]) -> list[Path]:
    """Every ``*.yaml`` script under the given files and directories, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.yaml")))
        elif path.exists():
            found.append(path)
        else:
            raise ScriptError(f"{path}: no such file or directory")
    return found
