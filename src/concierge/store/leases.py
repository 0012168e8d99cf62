"""Leases: how one worker (of possibly several instances) claims a row for a while.

A claim is an UPDATE that only succeeds when nobody else holds an unexpired lease, so two
workers never process the same row; a crashed worker's lease simply expires.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, update
from sqlmodel.ext.asyncio.session import AsyncSession


def lease_free(table: Any, now: float) -> Any:
    """SQL condition: the row is not leased, or its lease has expired."""
    return or_(table.lease_until.is_(None), table.lease_until < now)


async def try_claim(
    session: AsyncSession, table: Any, row_id: int, owner: str, now: float, seconds: float
) -> bool:
    """Lease one row to ``owner``; False if someone else holds it."""
    statement = (
        update(table)
        .where(table.id == row_id, lease_free(table, now))
        .values(lease_owner=owner, lease_until=now + seconds)
    )
    result = await session.exec(statement)
    return bool(result.rowcount == 1)


async def renew(
    session: AsyncSession, table: Any, row_id: int, owner: str, now: float, seconds: float
) -> bool:
    """Extend a lease we hold; False if it was lost."""
    statement = (
        update(table)
        .where(table.id == row_id, table.lease_owner == owner)
        .values(lease_until=now + seconds)
    )
    result = await session.exec(statement)
    return bool(result.rowcount == 1)


async def release_all(session: AsyncSession, table: Any) -> int:
    """Drop every lease (only safe when this process is the database's sole user)."""
    statement = (
        update(table)
        .where(table.lease_owner.is_not(None))
        .values(lease_owner=None, lease_until=None)
    )
    result = await session.exec(statement)
    return int(result.rowcount)
