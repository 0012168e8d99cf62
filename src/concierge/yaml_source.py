"""A YAML file parsed together with the line of every value, so errors can say file:line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

JsonPath = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    """The file is not valid YAML; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class YamlDocument:
    """Parsed data plus a map from each value's path (keys and list indexes) to its line."""

    data: Any
    lines: dict[JsonPath, int] = field(default_factory=dict)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of the value at ``path``, or of its nearest ancestor that has one."""
        steps = tuple(path)
        while steps:
            if steps in self.lines:
                return self.lines[steps]
            steps = steps[:-1]
        return self.lines.get(())


def _record_lines(node: yaml.Node, path: JsonPath, lines: dict[JsonPath, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            _record_lines(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines)


def _explain(problem: str) -> str:
    if "unhashable" in problem:
        problem += ' (a value starting with {{ must be quoted: text: "{{ contact.name }}")'
    return f"not valid YAML: {problem}"


def parse_yaml(text: str) -> YamlDocument:
    """Parse YAML text (safe loader only) and remember where every value sits."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlSyntaxError(_explain(str(exc.problem or exc)), line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"not valid YAML: {exc}", None) from None
    lines: dict[JsonPath, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlDocument(data, lines)


def read_yaml(path: Path) -> YamlDocument:
    """Read and parse a YAML file."""
    return parse_yaml(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong with a designer file, pointing at the line to fix."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"
