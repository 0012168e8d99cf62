"""Intent files: what customers ask, in their own words, and what the bot does about it.

The file is ``intents.yaml`` in the playbook directory (see ``intents.schema.json`` for every
field)::

    # yaml-language-server: $schema=<relative path to intents.schema.json>
    intents:
      - name: quote_request              # snake_case, unique
        description: Get a price quote   # the label of the "did you mean" button
        examples: ["we need a quote for 300 LED high-bays", "pricing on 12 AWG THHN"]
        reply: Happy to help.            # optional: what the bot says
        flow: commercial_quote           # optional: a flow from flows.yaml to start
        handoff: sales                   # optional: a team from routing.yaml to hand off to
        entities: [product, quantity]    # optional: entity types this intent uses
      - name: out_of_scope               # reserved: what the bot should not answer
        ...

:func:`load_intents` checks the file against the schema and the semantic rules (unique names,
an example under one intent only, at least two different examples per intent) and raises
:class:`~concierge.nlu.errors.IntentFileError` listing every problem as ``file:line: message``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from concierge.nlu.errors import IntentFileError, IntentProblem
from concierge.nlu.intent_checks import semantic_problems
from concierge.nlu.intent_schema import schema_problems
from concierge.nlu.text import normalise_text
from concierge.yaml_source import YamlDocument, YamlSyntaxError, read_yaml

OUT_OF_SCOPE = "out_of_scope"
INTENTS_FILE = "intents.yaml"
FINGERPRINT_VERSION = "concierge-intents/1"


@dataclass(frozen=True)
class IntentSpec:
    """One intent: its examples and what the bot does when it recognises it."""

    name: str
    description: str
    examples: tuple[str, ...]
    reply: str | None = None
    flow: str | None = None
    handoff: str | None = None
    entities: tuple[str, ...] = ()
    line: int | None = None

    @property
    def out_of_scope(self) -> bool:
        """True for the reserved intent that collects what the bot should not answer."""
        return self.name == OUT_OF_SCOPE


@dataclass(frozen=True)
class IntentCatalog:
    """Every intent of a playbook, in file order."""

    intents: tuple[IntentSpec, ...]
    path: Path | None = None

    def get(self, name: str) -> IntentSpec | None:
        """The intent called ``name``, or None."""
        return next((intent for intent in self.intents if intent.name == name), None)

    def names(self) -> tuple[str, ...]:
        """Every intent name, in file order."""
        return tuple(intent.name for intent in self.intents)

    def training_pairs(self) -> list[tuple[str, str]]:
        """``(example text, intent name)`` for every example, in file order."""
        return [(example, intent.name) for intent in self.intents for example in intent.examples]

    def fingerprint(self) -> str:
        """SHA-256 (hex) of the normalised training data; the same data gives the same value.

        The order of intents and examples does not matter, the wording (after case and
        whitespace normalisation) and the intent each example belongs to do.
        """
        pairs = sorted({(normalise_text(text), name) for text, name in self.training_pairs()})
        payload = json.dumps([FINGERPRINT_VERSION, pairs], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _spec(item: dict[str, Any], line: int | None) -> IntentSpec:
    return IntentSpec(
        name=str(item["name"]),
        description=str(item["description"]).strip(),
        examples=tuple(str(example) for example in item["examples"]),
        reply=item.get("reply"),
        flow=item.get("flow"),
        handoff=item.get("handoff"),
        entities=tuple(item.get("entities") or ()),
        line=line,
    )


def _read(path: Path) -> YamlDocument:
    try:
        doc = read_yaml(path)
    except YamlSyntaxError as exc:
        raise IntentFileError([IntentProblem(path, exc.line, str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IntentFileError([IntentProblem(path, None, f"cannot read: {exc}")]) from None
    if doc.data is None:
        message = "the file is empty; it needs an `intents:` list"
        raise IntentFileError([IntentProblem(path, None, message)])
    return doc


def check_intents(doc: YamlDocument, path: Path) -> list[IntentProblem]:
    """Everything wrong with a parsed intents file (empty when it is good), in file order."""
    found = [*schema_problems(doc, path), *semantic_problems(doc, path)]
    return sorted(found, key=lambda problem: problem.line or 0)


def load_intents(path: Path) -> IntentCatalog:
    """Read and check an intents file (or ``intents.yaml`` in a directory).

    Raises IntentFileError listing every problem, each with file and line.
    """
    if path.is_dir():
        path = path / INTENTS_FILE
    doc = _read(path)
    found = check_intents(doc, path)
    if found:
        raise IntentFileError(found)
    intents = tuple(
        _spec(item, doc.line_of(("intents", index)))
        for index, item in enumerate(doc.data["intents"])
    )
    return IntentCatalog(intents, path)
