"""Loading ``flows.yaml``: YAML, the JSON Schema, the semantic checks, then the flow specs.

The file lives in the playbook directory (``flows.schema.json`` documents every field)::

    # yaml-language-server: $schema=<relative path to flows.schema.json>
    flows:
      commercial_quote:
        description: Quote for a commercial project
        confirm: true                      # "shall I pass this on?" before completing
        slots:
          - name: quantity
            type: number                   # choice|text|email|phone|money|number|date|yes_no
            question: Roughly how many do you need?
            why: Quantity changes the price.   # the answer to "why do you need that?"
            entity: quantity               # default by type (number → quantity)
            min: 1
            max: 100000
            required: true                 # default; false lets the customer "skip"
            when: {slot: segment, equals: commercial}   # ask only if (earlier slots only)
            hint: "A whole number, for example 300"      # said when re-asking
        on_complete:
          reply: "Thanks {name}!"          # {slot} placeholders from the answers
          handoff: true
          tags: [quote-request]

A flow may answer instead of handing off: ``on_complete: {answer: stock}`` answers from the
playbook's stock catalogue with the slots ``product`` (required), ``branch`` and
``quantity``; it cannot also set ``handoff: true`` (when there is no answer the bot offers a
person itself).

:func:`load_flows` raises :class:`~concierge.flows.errors.FlowFileError` listing every
problem as ``file:line: message``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from concierge.conditions import parse_condition
from concierge.flows import phrases
from concierge.flows.errors import FlowFileError, FlowProblem
from concierge.flows.flow_checks import semantic_problems
from concierge.flows.flow_schema import describe_path, schema_problems
from concierge.flows.spec import (
    ANSWER_SLOTS,
    AnswerSource,
    Choice,
    FlowCatalog,
    FlowSpec,
    OnComplete,
    SlotSpec,
    SlotType,
)
from concierge.yaml_source import YamlDocument, YamlSyntaxError, read_yaml

FLOWS_FILE = "flows.yaml"


def load_flows(path: Path) -> FlowCatalog:
    """Read and check a flows file (or ``flows.yaml`` in a playbook directory)."""
    file = path / FLOWS_FILE if path.is_dir() else path
    if not file.is_file():
        raise FlowFileError([FlowProblem(file, None, "the flows file does not exist")])
    try:
        doc = read_yaml(file)
    except YamlSyntaxError as exc:
        raise FlowFileError([FlowProblem(file, exc.line, str(exc))]) from None
    return flows_from_document(doc, file)


def flows_from_document(doc: YamlDocument, path: Path) -> FlowCatalog:
    """Check a parsed flows document and build its catalogue; ``path`` names it in errors."""
    problems = schema_problems(doc, path)
    if not problems:
        problems = sorted(
            [*semantic_problems(doc, path), *answer_problems(doc, path)],
            key=lambda problem: problem.line or 0,
        )
    if problems:
        raise FlowFileError(problems)
    flows = tuple(
        _flow(name, data, doc, ("flows", name)) for name, data in doc.data["flows"].items()
    )
    return FlowCatalog(flows=flows, path=path)


def _flow(
    name: str, data: Mapping[str, Any], doc: YamlDocument, where: tuple[str, ...]
) -> FlowSpec:
    slots = tuple(
        _slot(slot, doc.line_of((*where, "slots", index)))
        for index, slot in enumerate(data["slots"])
    )
    return FlowSpec(
        name=name,
        description=data.get("description") or name.replace("_", " ").capitalize(),
        slots=slots,
        on_complete=_on_complete(data.get("on_complete", {})),
        confirm=bool(data.get("confirm", False)),
        line=doc.line_of(where),
    )


def _slot(data: Mapping[str, Any], line: int | None) -> SlotSpec:
    when = data.get("when")
    return SlotSpec(
        name=data["name"],
        type=cast(SlotType, data["type"]),
        question=data["question"],
        why=data.get("why") or phrases.DEFAULT_WHY,
        entity=data.get("entity"),
        choices=tuple(_choice(choice) for choice in data.get("choices", [])),
        minimum=data.get("min"),
        maximum=data.get("max"),
        required=bool(data.get("required", True)),
        when=parse_condition(when) if when is not None else None,
        hint=data.get("hint"),
        label=data.get("label"),
        line=line,
    )


def _choice(data: Any) -> Choice:
    if isinstance(data, str):
        return Choice(value=data, label=data)
    value = data["value"]
    return Choice(
        value=value, label=data.get("label", value), synonyms=tuple(data.get("synonyms", []))
    )


def _on_complete(data: Mapping[str, Any]) -> OnComplete:
    return OnComplete(
        reply=data.get("reply"),
        handoff=bool(data.get("handoff", False)),
        tags=tuple(data.get("tags", [])),
        answer=cast(AnswerSource | None, data.get("answer")),
    )


def _answer_findings(flow: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    on_complete = flow.get("on_complete") or {}
    source = on_complete.get("answer")
    if source is None:
        return
    if on_complete.get("handoff"):
        mixed = "answer and handoff: true cannot be combined; a flow that answers offers a "
        yield "handoff", mixed + "person itself when it finds no answer"
    reads, required = ANSWER_SLOTS[source], ANSWER_SLOTS[source][0]
    if required not in {slot["name"] for slot in flow["slots"]}:
        names = ", ".join(repr(name) for name in reads)
        missing = f"this flow has no {required!r} slot"
        yield "answer", f"answer: {source} reads the slots {names} by name; {missing}"


def answer_problems(doc: YamlDocument, path: Path) -> list[FlowProblem]:
    """What is wrong with the ``on_complete.answer`` of a schema-valid flows document."""
    problems = []
    for name, flow in doc.data["flows"].items():
        for key, message in _answer_findings(flow):
            where = ("flows", name, "on_complete", key)
            problems.append(
                FlowProblem(path, doc.line_of(where), f"{describe_path(where)}: {message}")
            )
    return problems
