"""One canvas template: the file format, and the checks that make a bad edit fail at load time.

A template is one screen, in ``canvases/<name>.yaml`` (the name is the file stem)::

    # yaml-language-server: $schema=../src/concierge/canvas/template.schema.json
    description: Ask what the customer needs a quote for.   # optional, for designers
    components:                # Canvas Kit components, written exactly as Intercom's JSON
      - type: text
        text: "Hi {{ contact.first_name | there }}, what do you need?"
      - {type: input, id: email, label: Email}
      - {type: button, id: send, label: Send, action: {type: submit}}
    validate:                  # optional: checks on this screen's inputs, by input id
      email: email             #   a rule name (required, email, positive_integer, number, phone)
      phone: {rule: phone, optional: true, hint: "Digits only, please."}
    on_submit:                 # optional: where each submitting component leads, by its id
      send: quote_received
      back: {to: messenger_home, validate: false}   # skip the validate rules
    stored_data: {flow: quote}  # optional: extra state sent back with the next request
    lookup: stock              # optional: values the server computes, as {{ lookup.<value> }}
    event: completed           # optional: a final screen (Intercom is told the job is done)

Every string may hold placeholders, ``{{ dotted.path | default }}``, filled from the render
context (see :mod:`concierge.canvas.placeholders`); a component or data-table row with
``repeat: <dotted path>`` is shown once per value there (see :mod:`concierge.canvas.repeats`).
Loading checks, and reports with file and line: YAML syntax, the JSON Schema in
``template.schema.json``, placeholder syntax, the Canvas Kit rules (by building a sample with
placeholders replaced by their defaults, else ``sample``, and each repeated part shown once),
that ``on_submit`` and ``validate`` name components on the screen; the library then checks
that every ``on_submit`` target exists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# types-jsonschema is not among the lint extras; the ignore stays harmless if it is added.
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from pydantic import ValidationError

from concierge.canvas.components import INPUT_TYPES
from concierge.canvas.errors import CanvasError, CanvasTemplateError, TemplateProblem
from concierge.canvas.input_rules import InputRule, parse_rule
from concierge.canvas.placeholders import fill_all, find_placeholders, strings_in
from concierge.canvas.repeats import fill_screen
from concierge.canvas.responses import Canvas, Content
from concierge.canvas.wire import describe_path, problems
from concierge.schema_check import schema_findings, validator_for
from concierge.yaml_source import YamlDocument, YamlSyntaxError, read_yaml

SAMPLE = "sample"


@dataclass(frozen=True)
class Navigation:
    """Where a submitting component leads, and whether the screen's inputs are checked first."""

    target: str
    validate: bool = True


@dataclass(frozen=True)
class Template:
    """A loaded, checked template; ``components`` still hold their placeholders."""

    name: str
    path: Path
    components: list[dict[str, Any]]
    stored_data: dict[str, Any] = field(default_factory=dict)
    on_submit: dict[str, Navigation] = field(default_factory=dict)
    validate: dict[str, InputRule] = field(default_factory=dict)
    completes: bool = False
    lookup: str | None = None
    document: YamlDocument = field(default_factory=lambda: YamlDocument(None))

    def line_of(self, *path: str | int) -> int | None:
        """The line in the file of a value in the template."""
        return self.document.line_of(path)


def _schema_problems(
    doc: YamlDocument, path: Path, schema: Draft202012Validator
) -> list[TemplateProblem]:
    return [TemplateProblem(path, line, message) for line, message in schema_findings(schema, doc)]


def _placeholder_problems(doc: YamlDocument, path: Path) -> list[TemplateProblem]:
    found = []
    for where, text in strings_in(doc.data):
        try:
            find_placeholders(text)
        except CanvasError as exc:
            found.append(TemplateProblem(path, doc.line_of(where), str(exc)))
    return found


def _sample_problems(doc: YamlDocument, path: Path) -> list[TemplateProblem]:
    components = fill_screen(doc.data["components"], {}, missing=SAMPLE, sample=True)
    sample = {"components": components}
    try:
        Content.model_validate(sample)
    except ValidationError as exc:
        found = []
        for where, message in problems(exc, sample):
            where = where or ("components",)
            described = describe_path(where, sample)
            found.append(TemplateProblem(path, doc.line_of(where), f"{described}: {message}"))
        return found
    stored = fill_all(doc.data.get("stored_data") or {}, {}, missing=SAMPLE)
    try:
        Canvas(content=Content.model_validate(sample), stored_data=stored)
    except ValidationError as exc:
        line = doc.line_of(("stored_data",))
        return [TemplateProblem(path, line, message) for _, message in problems(exc, {})]
    return []


def _declared_ids(components: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    for component in components:
        if "id" in component:
            yield str(component["id"]), str(component["type"])
        for item in component.get("items", []) if component["type"] == "list" else []:
            yield str(item["id"]), "item"


def _reference_problems(doc: YamlDocument, path: Path) -> list[TemplateProblem]:
    kinds = dict(_declared_ids(doc.data["components"]))
    found = []
    for key in doc.data.get("on_submit") or {}:
        if key not in kinds:
            message = f"on_submit names {key!r}, but no component on this screen has that id"
            found.append(TemplateProblem(path, doc.line_of(("on_submit", key)), message))
    for key in doc.data.get("validate") or {}:
        if kinds.get(key) not in INPUT_TYPES:
            message = f"validate names {key!r}, but no input on this screen has that id"
            found.append(TemplateProblem(path, doc.line_of(("validate", key)), message))
    return found


def check_document(
    doc: YamlDocument, path: Path, schema: Draft202012Validator
) -> list[TemplateProblem]:
    """Everything wrong with one template's parsed YAML (empty when it is good)."""
    if doc.data is None:
        return [TemplateProblem(path, None, "the template is empty; it needs components")]
    found = _schema_problems(doc, path, schema)
    if found:
        return found
    found = _placeholder_problems(doc, path)
    return found or [*_sample_problems(doc, path), *_reference_problems(doc, path)]


def load_schema() -> Draft202012Validator:
    """A validator for template files, from ``template.schema.json`` shipped in this package."""
    return validator_for("concierge.canvas", "template.schema.json")


def _navigation(spec: str | Mapping[str, Any]) -> Navigation:
    if isinstance(spec, str):
        return Navigation(spec)
    return Navigation(str(spec["to"]), bool(spec.get("validate", True)))


def build_template(name: str, doc: YamlDocument, path: Path) -> Template:
    """A Template from a document that passed :func:`check_document`."""
    data: dict[str, Any] = doc.data
    return Template(
        name=name,
        path=path,
        components=list(data["components"]),
        stored_data=dict(data.get("stored_data") or {}),
        on_submit={key: _navigation(spec) for key, spec in (data.get("on_submit") or {}).items()},
        validate={key: parse_rule(spec) for key, spec in (data.get("validate") or {}).items()},
        completes=data.get("event") == "completed",
        lookup=data.get("lookup"),
        document=doc,
    )


def load_template(path: Path, schema: Draft202012Validator) -> Template:
    """Read and check one template file; raises CanvasTemplateError naming file and line."""
    try:
        doc = read_yaml(path)
    except YamlSyntaxError as exc:
        raise CanvasTemplateError([TemplateProblem(path, exc.line, str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CanvasTemplateError([TemplateProblem(path, None, f"cannot read: {exc}")]) from None
    found = check_document(doc, path, schema)
    if found:
        raise CanvasTemplateError(found)
    return build_template(path.stem, doc, path)
