"""Conventions that hold the house design: one module commits, nothing writes around the Session."""

import ast
import importlib
from pathlib import Path

import pytest

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


FEATURES = ("hazards", "training", "appointments", "open311", "notifications", "staff")
# The one table outside common/ that common's shared tables may point to (see its __init__).
COMMON_MAY_POINT_TO = {"users"}


def test_common_is_the_bottom_layer():
    imports = [
        f"{path.relative_to(WEBAPP.parent)}: {node.module}"
        for path in sorted((WEBAPP / "common").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.split(".")[:2] in [["webapp", feature] for feature in FEATURES]
    ]
    assert imports == []


def test_common_tables_point_only_to_staff_accounts(app):
    from webapp.extensions import db

    common_tables = [
        table
        for table in db.metadata.sorted_tables
        if table.name in {"workflow_events", "workflow_notes", "audit_entries"}
    ]
    assert len(common_tables) == 3
    targets = {fk.column.table.name for table in common_tables for fk in table.foreign_keys}
    assert targets <= COMMON_MAY_POINT_TO


ROOMS = {
    "models",
    "states",
    "forms",
    "services",
    "views",
    "staff_views",
    "inbox",
    "retention",
    "errors",
    "demo",
}
FEATURE_ROOMS = {
    "hazards": ROOMS,
    "training": ROOMS,
    "appointments": ROOMS,
    "open311": {"models", "forms", "services", "views", "staff_views"},
    "notifications": {"models", "states", "forms", "services", "staff_views", "retention"},
}


@pytest.mark.parametrize("package", sorted(FEATURE_ROOMS))
def test_feature_packages_have_the_same_rooms(package):
    present = {path.stem for path in (WEBAPP / package).glob("*.py")}
    assert FEATURE_ROOMS[package] - present == set()
    assert callable(importlib.import_module(f"webapp.{package}").register)


def test_blueprints_are_named_after_their_package(app):
    for name, blueprint in app.blueprints.items():
        package = blueprint.import_name.split(".")[1]
        assert name in {package, f"{package}_staff"}, blueprint.import_name


def test_every_text_column_is_anonymised_or_declared_free_of_personal_data(app):
    """A new String/Text column must be declared in its package's retention.py:
    in ANONYMISED (and its anonymiser must blank or mask it) or in NOT_PERSONAL."""
    from sqlalchemy import String

    from webapp.extensions import db
    from webapp.notifications.retention import ANONYMISERS, declared_columns

    text_columns = {
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String)
    }
    declarations = declared_columns()
    declared = [declaration.column for declaration in declarations]

    assert sorted(text_columns - set(declared)) == [], "declare these in a retention.py"
    assert sorted(set(declared) - text_columns) == [], "no such text column"
    assert sorted({column for column in declared if declared.count(column) > 1}) == []
    assert [d.column for d in declarations if not (d.anonymised or d.why)] == []
    # A module that says it anonymises a column has an anonymiser that the retention
    # command runs (tests/security/test_retention_leaves_nothing.py checks that each
    # such column is really emptied).
    running = {function.__module__ for function in ANONYMISERS.values()}
    assert {d.module for d in declarations if d.anonymised} <= running
