"""The root exception of the Intercom wire layer."""

from __future__ import annotations


class IntercomError(Exception):
    """Something about talking to (or being called by) Intercom went wrong."""
