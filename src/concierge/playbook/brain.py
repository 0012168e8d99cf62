"""Everything the bot needs from one playbook directory, loaded, trained and cross-checked.

Each file type has its own loader and JSON Schema (``nlu``, ``flows``, ``scoring``,
``routing``); this module loads them together and adds the checks that span files: an
intent's flow must exist, its hand-off team must exist, routing rules may only name known
intents, and flow slots must be filled by known entity types.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from concierge.flows import FlowCatalog, load_flows
from concierge.nlu.classifier import IntentClassifier
from concierge.nlu.entities import EntityExtractor, load_entities
from concierge.nlu.intents import IntentCatalog, load_intents
from concierge.nlu.model_store import load_or_train
from concierge.nlu.pipeline import TFIDF, FeatureSet
from concierge.playbook.bot_settings import Playbook, PlaybookError, load_playbook
from concierge.playbook.catalogue_source import load_catalogue
from concierge.playbook.findings import ordered
from concierge.playbook.parts import PlaybookParts
from concierge.playbook.references import core_references
from concierge.routing import RoutingTable, load_routing
from concierge.routing.catalogue import Catalogue
from concierge.scoring import ScoringModel, load_scoring

BUILT_IN_ENTITIES = frozenset({"email", "phone", "money", "quantity", "postal_code", "date"})


@dataclass(frozen=True)
class Brain:
    """The loaded playbook: words, intents and their model, entities, flows, scoring, routing,
    and the stock catalogue when the playbook declares one."""

    directory: Path
    settings: Playbook
    intents: IntentCatalog
    classifier: IntentClassifier
    entities: EntityExtractor
    flows: FlowCatalog
    scoring: ScoringModel
    routing: RoutingTable
    catalogue: Catalogue | None = None

    def descriptions(self) -> dict[str, str]:
        """Intent name → human description (for "did you mean" buttons)."""
        return {intent.name: intent.description for intent in self.intents.intents}


def cross_file_problems(
    directory: Path, intents: IntentCatalog, flows: FlowCatalog, routing: RoutingTable
) -> list[str]:
    """Problems only visible across files, each as ``file:line: message``: an intent's flow
    and hand-off team must exist, and routing rules may only name known intents.

    ``concierge intents validate`` checks more (see :mod:`concierge.playbook.lint`); these are
    the ones the bot refuses to start with.
    """
    parts = PlaybookParts(directory, intents=intents, flows=flows, routing=routing)
    return [str(found) for found in ordered(core_references(parts))]


def load_brain(directory: Path, model_dir: Path, *, features: FeatureSet = TFIDF) -> Brain:
    """Load every file of the playbook, train (or reuse) the intent model, cross-check."""
    settings = load_playbook(directory)
    intents = load_intents(directory / "intents.yaml")
    flows = load_flows(directory / "flows.yaml")
    routing = load_routing(directory / "routing.yaml")
    problems = cross_file_problems(directory, intents, flows, routing)
    if problems:
        raise PlaybookError("\n".join(problems))
    entities = load_entities(directory / "entities.yaml")
    catalogue = load_catalogue(settings, entities, flows)
    classifier, _info = load_or_train(intents, model_dir, features=features)
    return Brain(
        directory=directory,
        settings=settings,
        intents=intents,
        classifier=classifier,
        entities=EntityExtractor(entities),
        flows=flows,
        scoring=load_scoring(directory / "scoring.yaml"),
        routing=routing,
        catalogue=catalogue,
    )
