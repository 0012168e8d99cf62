"""The library of canvas templates in ``canvases/``, and the Messenger and Inbox screens they make.

``CanvasLibrary.load(directory)`` reads and checks every ``*.yaml`` template (the format is
described in :mod:`concierge.canvas.template`); a single bad file stops the load with every
problem listed by file and line, so a running server keeps its last good library.

Screens (the web layer passes plain context mappings, e.g. ``{"contact": {"name": ...},
"conversation": {"id": ...}}``; see ``extract_context`` in ``concierge.intercom.canvas_requests``.
``contact.first_name`` is derived from ``contact.name`` when missing):

- ``messenger_initialize`` shows ``messenger_home``;
- ``messenger_submit`` follows the current screen's ``on_submit``, checks its ``validate``
  rules first (a failure shows the same screen with the entered values, ``save_state:
  failed`` and a hint), carries answers forward in ``stored_data`` and marks final screens
  ``completed``;
- ``inbox_panel`` shows ``inbox_panel`` for agents;
- ``render_error`` shows ``error`` (or a built-in equivalent).

A template with ``lookup: <name>`` gets values the server computes: ``messenger_submit`` is
given ``lookups`` (name → :data:`Lookup`), calls the named one with the answers so far as a
person reads them (``answer_text``) and shows its result as ``{{ lookup.<value> }}``. A
screen whose lookup was not given shows its placeholders' defaults.

The screen methods never raise: any problem becomes an error canvas with a way forward.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import structlog

from concierge.canvas.builders import canvas, error_text, respond
from concierge.canvas.errors import (
    CanvasError,
    CanvasTemplateError,
    TemplateProblem,
    UnknownTemplateError,
)
from concierge.canvas.placeholders import fill_all
from concierge.canvas.repeats import fill_screen
from concierge.canvas.responses import Canvas, CanvasResponse, parse_canvas
from concierge.canvas.screens import (
    ANSWER_TEXT,
    ANSWERS,
    SCREEN,
    carry_forward,
    find_failures,
    mark_failures,
    stored_mapping,
)
from concierge.canvas.template import (
    Template,
    build_template,
    check_document,
    load_schema,
    load_template,
)
from concierge.yaml_source import YamlDocument

HOME = "messenger_home"
INBOX = "inbox_panel"
ERROR = "error"
REQUIRED = (HOME, INBOX)
MAX_MESSAGE = 1000
SORRY = "Sorry, something went wrong on our side. Please try again in a moment."
EXPIRED = "This card has expired. Please start again and we'll pick it up from there."
UNAVAILABLE = "That option isn't available any more. Please start again."

log = structlog.get_logger(component="canvas")

Lookup = Callable[[Mapping[str, Any]], Mapping[str, Any]]
"""Values for a screen's ``{{ lookup.* }}`` placeholders, from the answers so far."""
LOOKUP = "lookup"


def _default_error(has_home: bool) -> dict[str, Any]:
    message = {"type": "text", "text": "{{ error.message | " + SORRY + " }}", "style": "error"}
    if not has_home:
        return {"components": [message]}
    start_over = {"type": "button", "id": "start_over", "label": "Start over"}
    button = {**start_over, "action": {"type": "submit"}, "style": "secondary"}
    return {"components": [message, button], "on_submit": {"start_over": HOME}}


def _builtin_error(has_home: bool) -> Template:
    path = Path("<built-in error template>")
    doc = YamlDocument(_default_error(has_home))
    problems = check_document(doc, path, load_schema())
    if problems:  # pragma: no cover - the built-in template is fixed and tested
        raise CanvasTemplateError(problems)
    return build_template(ERROR, doc, path)


def _read_all(directory: Path) -> tuple[dict[str, Template], list[TemplateProblem]]:
    schema = load_schema()
    templates: dict[str, Template] = {}
    problems: list[TemplateProblem] = []
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        try:
            templates[path.stem] = load_template(path, schema)
        except CanvasTemplateError as exc:
            problems.extend(exc.problems)
    return templates, problems


def _navigation_problems(
    templates: Mapping[str, Template], names: set[str]
) -> list[TemplateProblem]:
    problems = []
    for template in templates.values():
        for key, navigation in template.on_submit.items():
            if navigation.target not in names:
                known = ", ".join(sorted(names))
                message = (
                    f"on_submit {key!r} leads to {navigation.target!r}, "
                    f"which is not a template ({known})"
                )
                problems.append(
                    TemplateProblem(template.path, template.line_of("on_submit", key), message)
                )
    return problems


def _library_problems(
    directory: Path, required: Iterable[str]
) -> tuple[dict[str, Template], list[TemplateProblem]]:
    if not directory.is_dir():
        return {}, [TemplateProblem(directory, None, "the canvases directory does not exist")]
    templates, problems = _read_all(directory)
    names = {path.stem for path in [*directory.glob("*.yaml"), *directory.glob("*.yml")]}
    names.add(ERROR)  # built in when the directory has none
    for name in required:
        if name not in names:
            problems.append(
                TemplateProblem(
                    directory / f"{name}.yaml", None, "this template is required but missing"
                )
            )
    problems.extend(_navigation_problems(templates, names))
    return templates, problems


def _with_first_name(contact: Any) -> Any:
    """``contact.first_name`` from ``contact.name`` when the context does not give one."""
    if not isinstance(contact, Mapping) or contact.get("first_name"):
        return contact
    name = contact.get("name")
    first = name.split()[0] if isinstance(name, str) and name.strip() else None
    return {**contact, "first_name": first}


class CanvasLibrary:
    """Every template by name, and the screens built from them."""

    def __init__(self, templates: Mapping[str, Template]) -> None:
        self._templates = dict(templates)
        if ERROR not in self._templates:
            self._templates[ERROR] = _builtin_error(HOME in self._templates)

    @classmethod
    def load(cls, directory: Path, *, required: Iterable[str] = REQUIRED) -> CanvasLibrary:
        """Load and check every template; CanvasTemplateError lists each problem found."""
        templates, problems = _library_problems(Path(directory), required)
        if problems:
            raise CanvasTemplateError(problems)
        return cls(templates)

    @property
    def names(self) -> list[str]:
        """The template names, sorted."""
        return sorted(self._templates)

    def __contains__(self, name: object) -> bool:
        return name in self._templates

    def template(self, name: str) -> Template:
        """The template called ``name``; UnknownTemplateError if there is none."""
        try:
            return self._templates[name]
        except KeyError:
            raise UnknownTemplateError(f"no canvas template named {name!r}") from None

    def render(
        self,
        name: str,
        context: Mapping[str, Any],
        stored_data: Mapping[str, Any] | None = None,
        lookups: Mapping[str, Lookup] | None = None,
    ) -> Canvas:
        """The canvas of template ``name`` with placeholders filled from ``context``.

        ``stored_data`` is carried on the canvas (with ``screen`` set to ``name``) and its
        ``answers``/``answer_text`` are available to placeholders, as is the template's
        ``lookup`` from ``lookups`` (when it is not among them, the placeholders show their
        defaults). Raises CanvasError when the template is unknown or the filled-in canvas
        breaks a Canvas Kit rule.
        """
        template = self.template(name)
        stored = self._stored_data(template, context, stored_data or {})
        values = self._context(context, stored)
        if template.lookup is not None:
            values[LOOKUP] = self._looked_up(template, stored, lookups or {})
        return self._build(template, fill_screen(template.components, values), stored)

    def messenger_initialize(
        self, context: Mapping[str, Any], screen: str = HOME
    ) -> CanvasResponse:
        """The Messenger card: ``messenger_home``, or another ``screen`` (say, from configure)."""
        return self._safely(lambda: self._show(screen, context, {}))

    def messenger_submit(
        self,
        component_id: str,
        input_values: Mapping[str, Any],
        stored_data: Mapping[str, Any],
        context: Mapping[str, Any],
        lookups: Mapping[str, Lookup] | None = None,
    ) -> CanvasResponse:
        """The next screen after ``component_id`` was used on the screen named in stored_data
        (``lookups`` compute the values of a screen with ``lookup:``)."""
        return self._safely(
            lambda: self._submit(component_id, input_values, stored_data, context, lookups or {})
        )

    def inbox_panel(self, context: Mapping[str, Any]) -> CanvasResponse:
        """The agents' panel beside a conversation (missing values show as defaults)."""
        return self._safely(lambda: self._show(INBOX, context, {}))

    def render_error(self, message: str) -> CanvasResponse:
        """An error card showing ``message`` in error style, with a way to start over."""
        shown = message.strip()[:MAX_MESSAGE] or SORRY
        try:
            return respond(self.render(ERROR, {"error": {"message": shown}}))
        except CanvasError:
            log.exception("error template failed; using the plain fallback")
            return respond(canvas(error_text(shown)))

    def _safely(self, build: Callable[[], CanvasResponse]) -> CanvasResponse:
        try:
            response = build()
        except UnknownTemplateError as exc:
            log.warning("unknown canvas screen", error=str(exc))
            return self.render_error(EXPIRED)
        except CanvasError as exc:
            log.error("canvas could not be built", error=str(exc))
            return self.render_error(SORRY)
        return response

    def _submit(
        self,
        component_id: str,
        input_values: Mapping[str, Any],
        stored_data: Mapping[str, Any],
        context: Mapping[str, Any],
        lookups: Mapping[str, Lookup],
    ) -> CanvasResponse:
        screen = stored_data.get(SCREEN)
        if not isinstance(screen, str) or screen not in self._templates:
            log.warning("submit from an unknown screen", screen=screen, component_id=component_id)
            return self.render_error(EXPIRED)
        template = self._templates[screen]
        navigation = template.on_submit.get(str(component_id))
        if navigation is None:
            log.warning(
                "submit from an unknown component", screen=screen, component_id=component_id
            )
            return self.render_error(UNAVAILABLE)
        if navigation.validate and (failures := find_failures(template.validate, input_values)):
            return self._show_failures(template, input_values, failures, stored_data, context)
        components = fill_screen(template.components, self._context(context, stored_data))
        carried = carry_forward(stored_data, components, input_values)
        return self._show(navigation.target, context, carried, lookups)

    def _show(
        self,
        name: str,
        context: Mapping[str, Any],
        stored_data: Mapping[str, Any],
        lookups: Mapping[str, Lookup] | None = None,
    ) -> CanvasResponse:
        shown = self.render(name, context, stored_data, lookups)
        return respond(shown, completed=self._templates[name].completes)

    @staticmethod
    def _looked_up(
        template: Template, stored: Mapping[str, Any], lookups: Mapping[str, Lookup]
    ) -> dict[str, Any]:
        lookup = lookups.get(str(template.lookup))
        if lookup is None:
            log.warning(
                "lookup not provided; the screen shows its defaults",
                template=template.name,
                lookup=template.lookup,
                provided=sorted(lookups),
            )
            return {}
        return dict(lookup(stored_mapping(stored, ANSWER_TEXT)))

    def _show_failures(
        self,
        template: Template,
        input_values: Mapping[str, Any],
        failures: Mapping[str, str],
        stored_data: Mapping[str, Any],
        context: Mapping[str, Any],
    ) -> CanvasResponse:
        stored = self._stored_data(template, context, stored_data)
        components = fill_screen(template.components, self._context(context, stored))
        marked = mark_failures(components, input_values, failures)
        return respond(self._build(template, marked, stored))

    def _stored_data(
        self, template: Template, context: Mapping[str, Any], stored_data: Mapping[str, Any]
    ) -> dict[str, Any]:
        static = fill_all(template.stored_data, self._context(context, stored_data))
        return {**static, **stored_data, SCREEN: template.name}

    @staticmethod
    def _context(context: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
        return {
            **context,
            "contact": _with_first_name(context.get("contact")),
            "stored_data": stored,
            ANSWERS: stored_mapping(stored, ANSWERS),
            ANSWER_TEXT: stored_mapping(stored, ANSWER_TEXT),
        }

    @staticmethod
    def _build(template: Template, components: list[Any], stored: dict[str, Any]) -> Canvas:
        try:
            return parse_canvas({"content": {"components": components}, "stored_data": stored})
        except CanvasError as exc:
            raise CanvasError(f"template {template.name!r} ({template.path}): {exc}") from None
