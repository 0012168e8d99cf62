"""Lead scoring: readable rules over answers, intents, contact attributes and events."""

from concierge.scoring.attributes import contact_attributes, reasons_text
from concierge.scoring.errors import ScoringError, ScoringFileError, ScoringProblem
from concierge.scoring.loader import build_model, load_scoring
from concierge.scoring.model import Label, ScoringModel
from concierge.scoring.rules import Decay, ScoringRule

__all__ = [
    "Decay",
    "Label",
    "ScoringError",
    "ScoringFileError",
    "ScoringModel",
    "ScoringProblem",
    "ScoringRule",
    "build_model",
    "contact_attributes",
    "load_scoring",
    "reasons_text",
]
