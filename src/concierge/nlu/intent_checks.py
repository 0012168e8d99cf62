"""Semantic checks on an intents file that a JSON Schema cannot express.

Each check looks only at the well-formed parts of the file (an intent that is not a mapping,
or an example that is not a string, is the schema's to report), so schema and semantic
problems can be reported together.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from concierge.nlu.errors import IntentProblem
from concierge.nlu.intent_schema import describe_path
from concierge.nlu.text import normalise_text
from concierge.yaml_source import YamlDocument

MIN_EXAMPLES = 2


def _intents(data: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each intent that is a mapping, with its index in the list."""
    intents = data.get("intents") if isinstance(data, dict) else None
    for index, item in enumerate(intents if isinstance(intents, list) else []):
        if isinstance(item, dict):
            yield index, item


def _examples(item: dict[str, Any]) -> Iterator[tuple[int, str]]:
    """Each example of an intent that is a non-blank string, with its index."""
    examples = item.get("examples")
    for index, example in enumerate(examples if isinstance(examples, list) else []):
        if isinstance(example, str) and example.strip():
            yield index, example


def duplicate_names(doc: YamlDocument, path: Path) -> list[IntentProblem]:
    """Intents whose name an earlier intent already uses."""
    first_line: dict[str, int | None] = {}
    found = []
    for index, item in _intents(doc.data):
        name = item.get("name")
        if not isinstance(name, str):
            continue
        line = doc.line_of(("intents", index, "name"))
        if name in first_line:
            earlier = first_line[name]
            message = f"intent name {name!r} is already used (line {earlier}); names must be unique"
            found.append(IntentProblem(path, line, message))
        else:
            first_line[name] = line
    return found


def duplicate_examples(doc: YamlDocument, path: Path) -> list[IntentProblem]:
    """Examples (compared case- and whitespace-insensitively) that another intent also has."""
    owner: dict[str, tuple[str, int | None]] = {}
    found = []
    for index, item in _intents(doc.data):
        name = str(item.get("name", f"intents[{index}]"))
        for position, example in _examples(item):
            key = normalise_text(example)
            line = doc.line_of(("intents", index, "examples", position))
            other, other_line = owner.setdefault(key, (name, line))
            if other != name:
                message = (
                    f"intent {name!r}: example {example!r} is also an example of {other!r} "
                    f"(line {other_line}); an example may appear under one intent only"
                )
                found.append(IntentProblem(path, line, message))
    return found


def too_few_examples(doc: YamlDocument, path: Path) -> list[IntentProblem]:
    """Intents with fewer than two different examples (the classifier cannot learn them)."""
    found = []
    for index, item in _intents(doc.data):
        if not isinstance(item.get("examples"), list):
            continue  # missing or not a list: the schema says so
        distinct = {normalise_text(example) for _, example in _examples(item)}
        if len(distinct) < MIN_EXAMPLES:
            where = describe_path(("intents", index, "examples"), doc.data)
            message = (
                f"{where}: has {len(distinct)} different example(s), needs at least "
                f"{MIN_EXAMPLES} (15-30 varied examples work best)"
            )
            found.append(IntentProblem(path, doc.line_of(("intents", index, "examples")), message))
    return found


def semantic_problems(doc: YamlDocument, path: Path) -> list[IntentProblem]:
    """Every semantic problem in the file, in file order."""
    found = [
        *duplicate_names(doc, path),
        *too_few_examples(doc, path),
        *duplicate_examples(doc, path),
    ]
    return sorted(found, key=lambda problem: problem.line or 0)
