"""The files of one playbook as loaded for checking, and where things are in them.

Any part may be missing (its file failed to load); checks that need it are then skipped, so
a broken routing file does not hide the warnings about intents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from concierge.flows import FlowCatalog
from concierge.nlu.entity_spec import EntitySpec
from concierge.nlu.intents import IntentCatalog
from concierge.playbook.bot_settings import Playbook
from concierge.routing import RoutingTable
from concierge.scoring import ScoringModel
from concierge.yaml_source import JsonPath, YamlDocument

INTENTS = "intents.yaml"
FLOWS = "flows.yaml"
SCORING = "scoring.yaml"
ROUTING = "routing.yaml"
PLAYBOOK = "playbook.yaml"
ENTITIES = "entities.yaml"

# libyaml composes a 10,000-example intents file in a fraction of a second (the pure-Python
# composer takes seconds); only the line of each value is needed here.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _record(node: yaml.Node, where: JsonPath, lines: dict[JsonPath, int]) -> None:
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
            _record(value, (*where, name), lines)
            lines[(*where, name)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*where, index), lines)


def line_map(path: Path) -> YamlDocument:
    """The line of every value in a YAML file (no data); empty when it cannot be read."""
    lines: dict[JsonPath, int] = {}
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_COMPOSER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        node = None
    if node is not None:
        _record(node, (), lines)
    return YamlDocument(None, lines)


@dataclass
class PlaybookParts:
    """Whatever loaded of one playbook directory."""

    directory: Path
    settings: Playbook | None = None
    intents: IntentCatalog | None = None
    entities: EntitySpec | None = None
    flows: FlowCatalog | None = None
    scoring: ScoringModel | None = None
    routing: RoutingTable | None = None
    _lines: dict[str, YamlDocument] = field(default_factory=dict, repr=False)

    def path(self, name: str) -> Path:
        """The playbook file called ``name``."""
        return self.directory / name

    def line(self, name: str, where: JsonPath) -> int | None:
        """The line of the value at ``where`` in file ``name`` (or of its nearest parent)."""
        if name not in self._lines:
            self._lines[name] = line_map(self.path(name))
        return self._lines[name].line_of(where)
