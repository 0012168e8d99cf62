"""Lead scoring: readable rules over answers, intents, contact attributes and events."""
