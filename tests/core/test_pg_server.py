"""The throw-away PostgreSQL cluster the district tests run on (tests/pg_server.py) really serves SQL."""

from __future__ import annotations

import sqlalchemy as sa


def test_cluster_serves_a_fresh_database(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("SHOW server_version_num")).scalar_one()
            assert int(version) >= 150000
            conn.execute(sa.text("CREATE TABLE t (name text)"))
            conn.execute(sa.text("INSERT INTO t VALUES ('Łukasz Nguyễn Müller')"))
            assert conn.execute(sa.text("SELECT name FROM t")).scalar_one() == "Łukasz Nguyễn Müller"
    finally:
        engine.dispose()
