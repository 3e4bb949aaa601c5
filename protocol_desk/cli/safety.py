"""``backup``, ``backups``, ``check`` and ``restore``: the database's safety, from the shell."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from protocol_desk.cli import print_json
from protocol_desk.domain.errors import DatabaseError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.safety import BackupInfo
from protocol_desk.i18n import _, record_count, shown
from protocol_desk.paths import default_db_path
from protocol_desk.services.safety import check_database, list_backups, restore_file
from protocol_desk.store.backup import create_backup
from protocol_desk.store.connection import connect


def register(commands: Any) -> None:
    backup = commands.add_parser(
        "backup",
        help=_("make a verified backup now (into the backups folder beside the database)"),
    )
    backup.set_defaults(run=run_backup)

    listing = commands.add_parser("backups", help=_("list the backups, newest first"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(run=run_backups)

    check = commands.add_parser(
        "check",
        help=_("check the whole database (changes nothing); exit code 1 when damaged"),
    )
    check.add_argument("--json", action="store_true", help=_("print JSON"))
    check.set_defaults(run=run_check)

    restore = commands.add_parser(
        "restore",
        help=_("replace the database by a backup (the current file is kept aside)"),
        description=_(
            "Restore a backup: give its number from `backups` (1 = newest) or its "
            "path. The database must not be open in a window. The current file is not "
            "deleted: it is renamed beside the database."
        ),
    )
    restore.add_argument("backup", help=_("backup number (1 = newest) or path"))
    restore.set_defaults(run=run_restore)


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def _size(size: int) -> str:
    if size >= 1_048_576:
        return _("{size} MB").format(size=f"{size / 1_048_576:.1f}")
    return _("{size} KB").format(size=max(size // 1024, 1))


def run_backup(args: argparse.Namespace) -> int:
    path = _db_path(args)
    # A read-only connection: a backup never waits for, or blocks, the window that writes.
    db = connect(path, readonly=True)
    try:
        made = create_backup(db.conn, path, "manual")
    finally:
        db.conn.close()
    print(_("Backed up to {path} ({size}, checked).").format(path=made.path, size=_size(made.size)))
    return 0


def _backup_json(b: BackupInfo) -> dict[str, Any]:
    return {
        "path": str(b.path),
        "created": b.created.isoformat(),
        "reason": b.reason,
        "size": b.size,
    }


def run_backups(args: argparse.Namespace) -> int:
    found = list_backups(_db_path(args))
    if args.json:
        print_json([_backup_json(b) for b in found])
        return 0
    if not found:
        print(_("No backups yet. Make one with: python -m protocol_desk backup"))
        return 0
    for number, b in enumerate(found, start=1):
        print(f"{number:>3}  {b.when:<26} {_(b.reason_text):<34} {_size(b.size):>9}  {b.path.name}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    report = check_database(_db_path(args))
    if args.json:
        print_json(
            {
                "path": str(report.path),
                "ok": report.ok,
                "problems": report.problems,
                "size": report.size,
                "counts": report.counts,
                "backups": [_backup_json(b) for b in report.backups],
                "in_use": report.lock.describe() if report.lock else None,
                "warning": report.warning,
            }
        )
        return 0 if report.ok else 1
    print(f"{report.path} ({_size(report.size)})")
    if report.ok:
        print(_("Integrity: ok."))
        holds = ", ".join(record_count(what, n) for what, n in report.counts.items())
        print(_("Holds {counts}.").format(counts=holds))
    else:
        print(_("Problems found:"))
        for problem in report.problems:
            print(f"  - {shown(problem)}")
    if report.backups:
        newest = report.backups[0]
        print(
            _("Newest backup: {when} ({kept} kept).").format(
                when=newest.when, kept=len(report.backups)
            )
        )
    else:
        print(_("No backups yet."))
    if report.lock:
        state = _("left by a session that did not close") if report.lock.is_stale() else _("open")
        print(_("Lock: {lock} ({state}).").format(lock=report.lock.describe(), state=state))
    if report.warning:
        print(_("Warning: {warning}").format(warning=shown(report.warning)))
    return 0 if report.ok else 1


def run_restore(args: argparse.Namespace) -> int:
    path = _db_path(args)
    found = list_backups(path)
    chosen: BackupInfo | Path
    if args.backup.isdigit():
        number = int(args.backup)
        if not 1 <= number <= len(found):
            raise DatabaseError(
                N_(
                    "There is no backup number {number}: there are {count}. "
                    "List them with: python -m protocol_desk backups",
                    number=number,
                    count=len(found),
                )
            )
        chosen = found[number - 1]
        label = _("the backup of {when}").format(when=chosen.when)
    else:
        chosen = Path(args.backup)
        if not chosen.is_file():
            raise DatabaseError(N_("There is no backup file {path}.", path=str(chosen)))
        label = str(chosen)
    kept = restore_file(path, chosen)
    print(_("Restored {backup} into {path}.").format(backup=label, path=path))
    if kept is not None:
        print(_("The file it replaced was kept as {path}.").format(path=kept))
    return 0
