"""Concierge: an Intercom bot and Canvas Kit app server."""

__version__ = "0.1.0"
