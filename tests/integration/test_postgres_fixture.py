"""The throwaway PostgreSQL cluster: reachable with SQLAlchemy, and gone after use."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.postgres import PostgresCluster, postgres_cluster

pytestmark = pytest.mark.postgres


def test_sqlalchemy_connects_and_creates_tables(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "127.0.0.1"
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            assert connection.execute(text("select 1")).scalar_one() == 1
            connection.execute(text("create table fixture_probe (id int primary key, name text)"))
            connection.execute(text("insert into fixture_probe values (1, 'ünïcode')"))
            name = connection.execute(text("select name from fixture_probe")).scalar_one()
            assert name == "ünïcode"
            connection.execute(text("drop table fixture_probe"))
    finally:
        engine.dispose()


def test_cluster_is_stopped_and_removed_even_when_the_body_raises() -> None:
    seen: list[PostgresCluster] = []

    def use_then_fail() -> None:
        with postgres_cluster("other") as cluster:
            seen.append(cluster)
            with psycopg.connect(
                host="127.0.0.1", port=cluster.port, user="concierge", dbname="other"
            ) as connection:
                assert connection.execute("show fsync").fetchone() == ("off",)
            raise LookupError("boom")

    with pytest.raises(LookupError, match="boom"):
        use_then_fail()
    (cluster,) = seen
    assert not cluster.directory.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(host="127.0.0.1", port=cluster.port, user="concierge", connect_timeout=2)
