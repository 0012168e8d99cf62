"""Qualification flows: ask, validate, re-ask, explain, detour and resume, confirm."""
