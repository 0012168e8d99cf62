"""The bot designer's playbook settings (``intents/playbook.yaml``): name, greeting, hand-off words.

Later work adds intents, flows, scoring and routing files; this module loads the part the
bot needs today and reports a broken file with its path and line.

``catalogue`` (optional) names where stock questions are answered from, relative to the
playbook directory::

    catalogue:
      csv: catalogue.csv    # sku, name, aliases, branch, on_hand, lead_time_days, unit
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from concierge.yaml_source import read_yaml

PLAYBOOK_FILE = "playbook.yaml"
CATALOGUE_KEYS = ("csv",)


class PlaybookError(ValueError):
    """A playbook file is missing or invalid; the message names the file (and line)."""


@dataclass(frozen=True)
class CatalogueSource:
    """Where the stock catalogue is kept: a CSV file (its path resolved)."""

    csv: Path


@dataclass(frozen=True)
class Playbook:
    """Designer-controlled words the bot says."""

    name: str
    greeting: str
    business: str
    welcome: str | None = None
    messenger_flows: dict[str, str] = field(default_factory=dict)
    catalogue: CatalogueSource | None = None
    path: Path = Path(PLAYBOOK_FILE)
    """The file these settings were read from."""


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlaybookError(f"{path}: file not found") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise PlaybookError(f"{where}: {exc.problem or 'invalid YAML'}") from None


def _required_text(data: dict[str, Any], key: str, path: Path) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PlaybookError(f"{path}: '{key}' must be a non-empty string")
    return value.strip()


def _optional_text(data: dict[str, Any], key: str, path: Path) -> str | None:
    if data.get(key) is None:
        return None
    return _required_text(data, key, path)


def _mapping(data: dict[str, Any], key: str, path: Path) -> dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise PlaybookError(f"{path}: '{key}' must map button ids to flow names")
    return dict(value)


def _line(path: Path, *where: str) -> str:
    """``path:line`` of the value at ``where`` (just ``path`` when the line is unknown)."""
    line = read_yaml(path).line_of(where)
    return f"{path}:{line}" if line else str(path)


def _catalogue(data: dict[str, Any], path: Path) -> CatalogueSource | None:
    value = data.get("catalogue")
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - set(CATALOGUE_KEYS) or "csv" not in value:
        raise PlaybookError(
            f"{_line(path, 'catalogue')}: 'catalogue' must name the stock file, "
            "for example catalogue: {csv: catalogue.csv}"
        )
    name = value["csv"]
    if not isinstance(name, str) or not name.strip():
        raise PlaybookError(
            f"{_line(path, 'catalogue', 'csv')}: 'catalogue.csv' must be a file name"
        )
    csv = path.parent / name.strip()
    if not csv.is_file():
        raise PlaybookError(
            f"{_line(path, 'catalogue', 'csv')}: the catalogue file {csv} does not exist"
        )
    return CatalogueSource(csv)


def load_playbook(intents_dir: Path) -> Playbook:
    """Load ``playbook.yaml`` from the intents directory."""
    path = intents_dir / PLAYBOOK_FILE
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise PlaybookError(f"{path}: expected a mapping with name, business and greeting")
    return Playbook(
        name=_required_text(data, "name", path),
        greeting=_required_text(data, "greeting", path),
        business=_required_text(data, "business", path),
        welcome=_optional_text(data, "welcome", path),
        messenger_flows=_mapping(data, "messenger_flows", path),
        catalogue=_catalogue(data, path),
        path=path,
    )
