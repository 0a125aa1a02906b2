"""search rows keyed in list order (issue 20 point 1): ``search_docs.id`` and the ``search_fts`` rowid become ids
that encode the row's sort key (core/store/list_order.py), so a search reads the first page of its hits in order
instead of sorting all of them; on PostgreSQL the column becomes bigint without a sequence (the ids are handed out
by search_index). SQLite's FTS5 table is rebuilt with the new rowids, in rowid order.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 19:30:00
"""

from collections.abc import Callable

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _rekey(new_id: Callable[[int, str], int]) -> None:
    """Give every search row the id ``new_id(old id, sort key)`` (in old id order), its body along."""
    from whh_desktop.core.store import dialect, search_index

    conn = op.get_bind()
    rows = dialect.rows(conn, "SELECT id, sort_key FROM search_docs ORDER BY id")
    pairs = [(old, new_id(old, key)) for old, key in rows]
    postgres = dialect.name(conn) == dialect.POSTGRESQL
    conn.exec_driver_sql("CREATE TEMP TABLE search_rekey (old bigint PRIMARY KEY, new bigint NOT NULL)")
    dialect.run_many(conn, "INSERT INTO search_rekey (old, new) VALUES (?, ?)", pairs)
    if postgres:
        conn.exec_driver_sql("UPDATE search_docs d SET id = r.new FROM search_rekey r WHERE r.old = d.id")
        conn.exec_driver_sql("UPDATE search_fts f SET rowid = r.new FROM search_rekey r WHERE r.old = f.rowid")
    else:  # a new table written in id order (moving 1 000 000 rowids in place took minutes and left it scattered)
        ddl = str(conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' "
                                       "AND name = 'search_docs'").scalar())
        indexes = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'index' "
                                       "AND tbl_name = 'search_docs' AND sql IS NOT NULL").scalars().all()
        columns = [str(r[1]) for r in conn.exec_driver_sql("PRAGMA table_info(search_docs)") if r[1] != "id"]
        conn.exec_driver_sql(ddl.replace("search_docs", "search_docs_rekeyed", 1))
        conn.exec_driver_sql(f"INSERT INTO search_docs_rekeyed (id, {', '.join(columns)}) SELECT r.new, "
                             f"{', '.join('d.' + c for c in columns)} FROM search_docs d "
                             "JOIN search_rekey r ON r.old = d.id ORDER BY r.new")
        conn.exec_driver_sql("DROP TABLE search_docs")
        conn.exec_driver_sql("ALTER TABLE search_docs_rekeyed RENAME TO search_docs")
        for sql in indexes:
            conn.exec_driver_sql(sql)
        search_index.create_search_table(conn, "search_fts_rekeyed")
        conn.exec_driver_sql("INSERT INTO search_fts_rekeyed (rowid, body) SELECT r.new, f.body FROM search_fts f "
                             "JOIN search_rekey r ON r.old = f.rowid ORDER BY r.new")
        conn.exec_driver_sql("DROP TABLE search_fts")
        conn.exec_driver_sql("ALTER TABLE search_fts_rekeyed RENAME TO search_fts")
    conn.exec_driver_sql("DROP TABLE search_rekey")


def upgrade() -> None:
    from whh_desktop.core.store import dialect, list_order

    if dialect.name(op.get_bind()) == dialect.POSTGRESQL:
        op.execute("ALTER TABLE search_docs ALTER COLUMN id DROP DEFAULT")
        op.execute("ALTER TABLE search_docs ALTER COLUMN id TYPE bigint")
        op.execute("DROP SEQUENCE IF EXISTS search_docs_id_seq")
    slots: dict[int, int] = {}

    def in_order(_old: int, sort_key: str) -> int:
        low, high = list_order.bounds(list_order.group(sort_key))
        slot = slots.get(low, low)
        if slot > high:
            raise list_order.GroupFull(sort_key)
        slots[low] = slot + 1
        return slot

    _rekey(in_order)


def downgrade() -> None:
    from whh_desktop.core.store import dialect

    counter = iter(range(1, 1 << 62))
    _rekey(lambda _old, _key: next(counter))
    if dialect.name(op.get_bind()) == dialect.POSTGRESQL:
        op.execute("ALTER TABLE search_docs ALTER COLUMN id TYPE integer")
        op.execute("CREATE SEQUENCE search_docs_id_seq OWNED BY search_docs.id")
        op.execute("SELECT setval('search_docs_id_seq', (SELECT COALESCE(MAX(id), 0) + 1 FROM search_docs), false)")
        op.execute("ALTER TABLE search_docs ALTER COLUMN id SET DEFAULT nextval('search_docs_id_seq')")
