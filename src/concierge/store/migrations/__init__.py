"""Alembic migration environment (run with ``concierge db upgrade`` or on ``serve``)."""
