"""Qualification flows: ask, validate, re-ask, explain, detour and resume, confirm."""

from concierge.flows.engine import FlowEngine
from concierge.flows.errors import (
    FlowError,
    FlowFileError,
    FlowProblem,
    FlowStateError,
    UnknownFlowError,
)
from concierge.flows.forms import step_as_form
from concierge.flows.loader import FLOWS_FILE, flows_from_document, load_flows
from concierge.flows.settings import FlowSettings
from concierge.flows.spec import Answer, Choice, FlowCatalog, FlowSpec, OnComplete, SlotSpec
from concierge.flows.state import FlowState
from concierge.flows.steps import (
    Ask,
    Cancelled,
    ChooseChange,
    Complete,
    Confirm,
    Explain,
    HandoffRequested,
    Option,
    Reask,
    SideQuestion,
    Step,
    Turn,
)

__all__ = [
    "FLOWS_FILE",
    "Answer",
    "Ask",
    "Cancelled",
    "Choice",
    "ChooseChange",
    "Complete",
    "Confirm",
    "Explain",
    "FlowCatalog",
    "FlowEngine",
    "FlowError",
    "FlowFileError",
    "FlowProblem",
    "FlowSettings",
    "FlowSpec",
    "FlowState",
    "FlowStateError",
    "HandoffRequested",
    "OnComplete",
    "Option",
    "Reask",
    "SideQuestion",
    "SlotSpec",
    "Step",
    "Turn",
    "UnknownFlowError",
    "flows_from_document",
    "load_flows",
    "step_as_form",
]
