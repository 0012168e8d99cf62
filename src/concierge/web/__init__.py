"""Litestar wiring: routes, lifespan resources and the one place errors become HTTP."""
