"""The stock catalogue a playbook declares (``catalogue: {csv: ...}`` in ``playbook.yaml``).

Products are matched with the playbook's own words: the synonyms of the ``product`` lookup in
``entities.yaml`` find catalogue products, and the ``branch`` lookup's synonyms ("PDX",
"downtown") name catalogue branches. A flow that answers from the catalogue
(``on_complete: {answer: stock}``) needs one declared, and is answered in the chat (the
Messenger's stock search is a canvas); every problem names file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from concierge.flows import FLOWS_FILE, FlowCatalog
from concierge.nlu.entity_spec import EntitySpec
from concierge.playbook.bot_settings import PLAYBOOK_FILE, Playbook, PlaybookError
from concierge.routing.catalogue import Catalogue, CatalogueFileError
from concierge.routing.catalogue_csv import CsvCatalogue
from concierge.yaml_source import FileProblem, YamlSyntaxError, read_yaml

PRODUCT_LOOKUP = "product"
BRANCH_LOOKUP = "branch"


class CatalogueSetupError(PlaybookError):
    """The declared catalogue cannot be used; ``problems`` lists each with file and line."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def lookup_synonyms(entities: EntitySpec | None, kind: str) -> Mapping[str, Sequence[str]]:
    """Canonical name → synonyms of the entity lookup ``kind`` (empty when there is none)."""
    if entities is None:
        return {}
    return {value.name: value.synonyms for value in entities.lookups.get(kind, ())}


def _flows_without_catalogue(flows: FlowCatalog | None) -> Iterator[FileProblem]:
    if flows is None:
        return
    for flow in flows.flows:
        if flow.on_complete.answer == "stock":
            yield FileProblem(
                flows.path or Path(FLOWS_FILE),
                flow.line,
                f"flow '{flow.name}' answers from the stock catalogue (on_complete.answer: "
                f"stock), but {PLAYBOOK_FILE} declares none; add catalogue: {{csv: <file>}}",
            )


def _line(path: Path, where: tuple[str, ...]) -> int | None:
    try:
        return read_yaml(path).line_of(where)
    except (OSError, YamlSyntaxError):
        return None


def _card_flows_that_answer(settings: Playbook, flows: FlowCatalog | None) -> Iterator[FileProblem]:
    """Messenger buttons that would run an answering flow as cards (cards cannot answer)."""
    for button, name in settings.messenger_flows.items():
        flow = flows.get(name) if flows is not None else None
        if flow is not None and flow.on_complete.answer is not None:
            yield FileProblem(
                settings.path,
                _line(settings.path, ("messenger_flows", button)),
                f"messenger_flows: button '{button}' runs flow '{name}' as cards, but that "
                f"flow answers from the {flow.on_complete.answer} catalogue, which only the "
                "chat does; send the button to a canvas instead (e.g. canvases/stock_check.yaml)",
            )


def load_catalogue(
    settings: Playbook | None, entities: EntitySpec | None, flows: FlowCatalog | None = None
) -> Catalogue | None:
    """The playbook's catalogue (``None`` when it declares none and no flow needs one).

    Raises :class:`CatalogueSetupError` for a bad catalogue file, when a flow answers from a
    catalogue the playbook does not declare, or when a Messenger button would run an
    answering flow as cards (a card flow only collects answers).
    """
    if settings is None:
        return None
    problems = list(_card_flows_that_answer(settings, flows))
    if settings.catalogue is None:
        problems += _flows_without_catalogue(flows)
    if problems:
        raise CatalogueSetupError(problems)
    if settings.catalogue is None:
        return None
    try:
        return CsvCatalogue.load(
            settings.catalogue.csv,
            synonyms=lookup_synonyms(entities, PRODUCT_LOOKUP),
            branch_aliases=lookup_synonyms(entities, BRANCH_LOOKUP),
        )
    except CatalogueFileError as exc:
        raise CatalogueSetupError(exc.problems) from None
