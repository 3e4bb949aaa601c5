"""Which schema migrations this version of the app has, and which a file has had: one query,
so opening an up-to-date file never imports the migrations themselves (``schema``)."""

from __future__ import annotations

import sqlite3

# Marks the file as ours, so a foreign SQLite file is recognised before anything touches it.
APPLICATION_ID = 0x50444B31  # "PDK1"

MIGRATION_SET = "protocol_desk"

# In the order they run. ``schema`` defines each one; a test keeps the two lists the same.
MIGRATIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_indexes_for_office_scale",
    "0003_action_due_dates",
    "0004_action_sort_keys",
    "0005_search_vocabulary",
    "0006_search_in_date_order",
    "0007_dictionary_order_keys",
    "0008_anniversary_days_with_dates",
    "0009_change_log_chain",
    "0010_name_keys",
    "0011_world_reference_data",
    "0012_office_sync",
    "0012_office_sync_whole_meetings",
    "0013_signed_documents",
    "0014_people_to_the_bin",
    "0017_world_reference_bodies",
)

# Where sqlite-utils' ``Migrations`` records what it applied.
_APPLIED_TABLE = "_sqlite_migrations"


def applied(conn: sqlite3.Connection) -> list[str]:
    """The migrations the file has had, in the order they were applied."""
    has_table = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [_APPLIED_TABLE]
    ).fetchone()[0]
    if not has_table:
        return []
    rows = conn.execute(
        f"SELECT name FROM {_APPLIED_TABLE} WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    )
    return [str(name) for (name,) in rows]


def pending(conn: sqlite3.Connection) -> list[str]:
    """This version's migrations that the file has not had yet."""
    done = set(applied(conn))
    return [name for name in MIGRATIONS if name not in done]


def unknown_applied(conn: sqlite3.Connection) -> list[str]:
    """Migrations recorded in the file that this version of the app does not know:
    the file was written by a newer Protocol Desk."""
    known = set(MIGRATIONS)
    return [name for name in applied(conn) if name not in known]
