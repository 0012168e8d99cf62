"""The root exception of the storage layer."""

from __future__ import annotations


class StoreError(Exception):
    """The database could not do what was asked (unreachable, wrong schema, bad URL)."""
