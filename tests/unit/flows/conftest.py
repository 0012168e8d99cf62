"""Fixtures for the flow tests: the test flows file, its catalogue and engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from concierge.flows.engine import FlowEngine
from concierge.flows.loader import load_flows
from concierge.flows.spec import FlowCatalog
from tests.unit.flows.support import FLOWS_YAML


@pytest.fixture
def flows_file(tmp_path: Path) -> Path:
    """The test flows file on disk."""
    path = tmp_path / "flows.yaml"
    path.write_text(FLOWS_YAML, encoding="utf-8")
    return path


@pytest.fixture
def catalog(flows_file: Path) -> FlowCatalog:
    """The loaded test flows."""
    return load_flows(flows_file)


@pytest.fixture
def engine(catalog: FlowCatalog) -> FlowEngine:
    """An engine over the test flows."""
    return FlowEngine(catalog)
