"""The entities file: lookups (canonical names with synonyms) and regex patterns.

``entities.yaml`` sits in the playbook directory::

    # yaml-language-server: $schema=../src/concierge/nlu/entities.schema.json
    lookups:
      product:                       # the entity type
        - name: LED high-bay         # the canonical value flows, scoring and routing see
          synonyms: [high bay, highbay, LED highbay, high-bays]
    patterns:
      - type: account_number
        regex: "\\bPES-\\d{6}\\b"     # Python syntax; ignores case unless case_sensitive: true

Loading checks, and reports with file and line: YAML syntax, the JSON Schema in
``entities.schema.json``, regexes that do not compile or match the empty string, canonical
names given twice, and a synonym claimed by two canonical names of the same type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from concierge.nlu.entity_errors import EntityFileError, EntityProblem
from concierge.nlu.entity_schema import schema_problems
from concierge.yaml_source import JsonPath, YamlDocument, YamlSyntaxError, read_yaml

ENTITIES_FILE = "entities.yaml"


def phrase_key(text: str) -> str:
    """How two phrases are compared: case-folded, hyphens and whitespace runs as one space."""
    return " ".join(re.sub(r"[-_\s]+", " ", text.casefold()).split())


@dataclass(frozen=True)
class LookupValue:
    """One canonical value of a lookup type and the other ways customers write it."""

    name: str
    synonyms: tuple[str, ...] = ()
    line: int | None = None

    @property
    def phrases(self) -> tuple[str, ...]:
        """The canonical name followed by every synonym."""
        return (self.name, *self.synonyms)


@dataclass(frozen=True)
class EntityPattern:
    """An entity type found by regular expression."""

    type: str
    regex: str
    case_sensitive: bool = False
    line: int | None = None

    def compile(self) -> re.Pattern[str]:
        """The compiled expression (raises ``re.error`` when it is not valid)."""
        return re.compile(self.regex, 0 if self.case_sensitive else re.IGNORECASE)


@dataclass(frozen=True)
class EntitySpec:
    """Everything a playbook declares about entities; empty when it declares nothing."""

    lookups: Mapping[str, tuple[LookupValue, ...]] = field(default_factory=dict)
    patterns: tuple[EntityPattern, ...] = ()
    path: Path | None = None

    @property
    def types(self) -> tuple[str, ...]:
        """The playbook's entity types (lookups first, then patterns), without repeats."""
        names = [*self.lookups, *(pattern.type for pattern in self.patterns)]
        return tuple(dict.fromkeys(names))


def _regex_problem(regex: str) -> str | None:
    try:
        compiled = re.compile(regex, re.IGNORECASE)
    except re.error as exc:
        return f"the regex {regex!r} is not valid: {exc}"
    if compiled.search("") is not None:
        return f"the regex {regex!r} matches the empty string; it would match everywhere"
    return None


def _pattern_problems(doc: YamlDocument, path: Path) -> Iterator[EntityProblem]:
    for index, item in enumerate(doc.data.get("patterns") or []):
        problem = _regex_problem(item["regex"])
        if problem is not None:
            yield EntityProblem(path, doc.line_of(("patterns", index, "regex")), problem)


def _phrase_paths(kind: str, index: int, value: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """Each phrase of one lookup value (name first) with its path in the file."""
    base: JsonPath = ("lookups", kind, index)
    yield (*base, "name"), value["name"]
    for number, synonym in enumerate(value.get("synonyms") or []):
        yield (*base, "synonyms", number), synonym


def _claim_message(kind: str, phrase: str, first: str, first_line: int | None, name: str) -> str:
    if phrase_key(first) == phrase_key(name):
        return f"{kind}: {name!r} is defined twice (first on line {first_line})"
    return (
        f"{kind}: {phrase!r} is claimed by both {first!r} (line {first_line}) and {name!r}; "
        "keep it under one of them"
    )


def _claim_problems(
    doc: YamlDocument, path: Path, kind: str, values: list[dict[str, Any]]
) -> Iterator[EntityProblem]:
    """Names given twice, and phrases claimed by two canonical names of one lookup type."""
    owners: dict[str, tuple[int, int | None]] = {}
    for index, value in enumerate(values):
        for where, phrase in _phrase_paths(kind, index, value):
            line = doc.line_of(where)
            owner, owner_line = owners.setdefault(phrase_key(phrase), (index, line))
            if owner != index:
                first = values[owner]["name"]
                message = _claim_message(kind, phrase, first, owner_line, value["name"])
                yield EntityProblem(path, line, message)


def check_document(doc: YamlDocument, path: Path) -> list[EntityProblem]:
    """Everything wrong with a parsed entities file (empty when it is good)."""
    if doc.data is None:
        return []
    found = schema_problems(doc, path)
    if found:
        return found
    found = list(_pattern_problems(doc, path))
    for kind, values in (doc.data.get("lookups") or {}).items():
        found.extend(_claim_problems(doc, path, kind, values))
    return sorted(found, key=lambda problem: problem.line or 0)


def build_spec(doc: YamlDocument, path: Path) -> EntitySpec:
    """An EntitySpec from a document that passed :func:`check_document`."""
    data: dict[str, Any] = doc.data or {}
    lookups = {
        kind: tuple(
            LookupValue(
                name=str(value["name"]).strip(),
                synonyms=tuple(str(s).strip() for s in value.get("synonyms") or []),
                line=doc.line_of(("lookups", kind, index)),
            )
            for index, value in enumerate(values)
        )
        for kind, values in (data.get("lookups") or {}).items()
    }
    patterns = tuple(
        EntityPattern(
            type=item["type"],
            regex=item["regex"],
            case_sensitive=bool(item.get("case_sensitive", False)),
            line=doc.line_of(("patterns", index)),
        )
        for index, item in enumerate(data.get("patterns") or [])
    )
    return EntitySpec(lookups=lookups, patterns=patterns, path=path)


def load_entities(path: Path) -> EntitySpec:
    """Read and check an entities file (or ``entities.yaml`` in a playbook directory).

    A missing file is an empty spec. Raises :class:`EntityFileError` naming file and line.
    """
    if path.is_dir():
        path = path / ENTITIES_FILE
    if not path.exists():
        return EntitySpec(path=path)
    try:
        doc = read_yaml(path)
    except YamlSyntaxError as exc:
        raise EntityFileError([EntityProblem(path, exc.line, str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EntityFileError([EntityProblem(path, None, f"cannot read: {exc}")]) from None
    found = check_document(doc, path)
    if found:
        raise EntityFileError(found)
    return build_spec(doc, path)
