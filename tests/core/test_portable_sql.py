"""Services, sync and reports hold no dialect-specific SQL (DESIGN.md §10 Scale, issue 19 point 1): SQLite-only
statements, functions and driver calls live in core/store, behind functions with one form per backend. The check
reads the code's string literals (not docstrings) and attribute names, and is shown to catch a planted one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "whh_desktop" / "core"
CHECKED = ("services", "sync", "reports")

SQLITE_SQL = re.compile(r"\b(json_each|json_extract|json_type|julianday|strftime|group_concat|printf|sqlite_\w+)\("
                        r"|INSERT OR |\bPRAGMA |\bMATCH\b|\bGLOB\b|search_fts")
DRIVER_CALLS = {"exec_driver_sql", "dbapi_connection", "driver_connection", "julianday", "strftime"}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def findings(source: str) -> list[str]:
    tree = ast.parse(source)
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if m := SQLITE_SQL.search(node.value):
                out.append(f"{node.lineno}: SQL {m[0]!r}")
        elif isinstance(node, ast.Attribute) and node.attr in DRIVER_CALLS:
            out.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Name | ast.alias) and getattr(node, "id", getattr(node, "name", "")) in DRIVER_CALLS:
            out.append(f"{getattr(node, 'lineno', 0)}: {getattr(node, 'id', getattr(node, 'name', ''))}")
    return out


def test_services_sync_and_reports_hold_no_dialect_specific_sql() -> None:
    problems = {}
    for part in CHECKED:
        for path in sorted((ROOT / part).rglob("*.py")):
            if found := findings(path.read_text("utf-8")):
                problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


@pytest.mark.parametrize("planted", [
    'conn.exec_driver_sql("SELECT 1")',
    'conn.execute(text("INSERT OR REPLACE INTO t VALUES (1)"))',
    'x = "SELECT value FROM json_each(?)"',
    "y = func.julianday(a) - func.julianday(b)",
    "from whh_desktop.core.store.driver import driver_connection",
    'z = f"SELECT rowid FROM search_fts WHERE body MATCH {q}"',
])
def test_the_check_catches_planted_sqlite_sql(planted: str) -> None:
    assert findings('"""A docstring may say PRAGMA quick_check."""\n' + planted + "\n")


def test_docstrings_may_name_sqlite_features() -> None:
    assert findings('"""Runs PRAGMA quick_check and json_each."""\ndef f():\n    """INSERT OR REPLACE."""\n') == []
