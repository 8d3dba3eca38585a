"""Conventions that hold the house design: one module commits, nothing writes around the Session."""

import ast
from pathlib import Path

WEBAPP = Path(__file__).resolve().parents[1] / "webapp"
TRANSACTION_MODULE = WEBAPP / "transactions.py"
# Calls that end or split a transaction: only the transaction module makes them.
TRANSACTION_CALLS = {"commit", "rollback", "begin_nested"}
# Ways round the Session that the house does not use in webapp/.
FORBIDDEN_CALLS = {"exec_driver_sql", "raw_connection"}
# The one exception: SQLite's connection set-up issues BEGIN itself (webapp/database.py).
SQLITE_SETUP = WEBAPP / "database.py"


def _calls(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.func.attr, node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    ]


def test_only_the_transaction_module_commits_or_rolls_back():
    found = [
        f"{path.relative_to(WEBAPP.parent)}:{line} {name}()"
        for path in sorted(WEBAPP.rglob("*.py"))
        if path != TRANSACTION_MODULE
        for name, line in _calls(path)
        if name in TRANSACTION_CALLS
    ]
    assert found == []


def test_nothing_in_webapp_writes_around_the_session():
    found = [
        f"{path.relative_to(WEBAPP.parent)}:{line} {name}()"
        for path in sorted(WEBAPP.rglob("*.py"))
        for name, line in _calls(path)
        if name in FORBIDDEN_CALLS and not (path == SQLITE_SETUP and name == "exec_driver_sql")
    ]
    assert found == []
    assert "expire_on_commit" not in "".join(p.read_text() for p in WEBAPP.rglob("*.py"))
