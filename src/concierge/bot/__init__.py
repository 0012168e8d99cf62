"""Orchestration of one event: the only place that knows the order of steps."""

from concierge.bot.dialogue import handle

__all__ = ["handle"]
