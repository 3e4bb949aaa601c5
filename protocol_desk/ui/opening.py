"""Opening the database for the window: the officer is asked whenever there is a choice
(read-only when it is in use, a backup when it is damaged). Message boxes are only made when
there is something to ask, so an ordinary start does not pay for them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from protocol_desk import APP_NAME
from protocol_desk.domain.errors import DatabaseError, ProtocolDeskError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.safety import (
    BackupInfo,
    DamagedDatabaseError,
    DatabaseInUseError,
    LockHolder,
    ReadOnlyLocationError,
    StorageError,
    UnusableDatabaseError,
)
from protocol_desk.i18n import _, shown
from protocol_desk.services.database import Database
from protocol_desk.services.safety import (
    OpenedDatabase,
    is_corruption,
    open_for_editing,
    open_read_only,
    restore_file,
    set_aside_damaged,
    storage_error,
)
from protocol_desk.ui.day_words import long_date
from protocol_desk.ui.update_notice import UpdateNotice

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox


# ask(kind, title, text, details, choices) -> the chosen label or None; replaced in tests.
Ask = Callable[[str, str, str, str, Sequence[str]], str | None]


def message_box(
    kind: str, title: str, text: str, details: str, choices: Sequence[str]
) -> tuple[QMessageBox, dict[object, str]]:
    """The question asked at start, with one button per choice (the first is the default)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox()
    box.setObjectName(f"{kind}Message")
    box.setIcon(
        QMessageBox.Icon.Critical
        if kind in {"damaged", "foreign", "error"}
        else QMessageBox.Icon.Warning
    )
    box.setWindowTitle(f"{APP_NAME} — {_(title)}")
    box.setText(shown(text))
    if details:
        box.setInformativeText(details)
    buttons: dict[object, str] = {}
    for index, label in enumerate(choices):
        role = (
            QMessageBox.ButtonRole.AcceptRole if index == 0 else QMessageBox.ButtonRole.RejectRole
        )
        button = box.addButton(_(label), role)  # answered by its English key
        buttons[button] = label
        if index == 0:
            box.setDefaultButton(button)
    return box, buttons


def ask_with_message_box(
    kind: str, title: str, text: str, details: str, choices: Sequence[str]
) -> str | None:
    box, buttons = message_box(kind, title, text, details, choices)
    box.exec()
    return buttons.get(box.clickedButton())


OPEN_READ_ONLY = N_("Open read-only")
RESTORE = N_("Restore this backup")
START_EMPTY = N_("Start a new, empty database")
QUIT = N_("Quit")
TRY_AGAIN = N_("Try again")
OK = "OK"


def _show_warnings(opened: OpenedDatabase, ask: Ask) -> None:
    for warning in opened.warnings:
        ask("warning", _("About the database"), warning, "", [OK])


def _open_for_editing(path: Path) -> OpenedDatabase:
    notice = UpdateNotice(path)
    try:
        # The daily backup runs once the window is up (its safety jobs), not before it.
        return open_for_editing(path, automatic_backup=False, on_update=notice)
    finally:
        notice.close()


def _holder_words(holder: LockHolder) -> str:
    """Who holds the database and since when, in the window's language."""
    since = holder.since.astimezone()
    return _("in use by {user} on {host} since {since}").format(
        user=holder.user, host=holder.host, since=f"{long_date(since.date())}, {since:%H:%M}"
    )


def open_database_interactively(path: Path, ask: Ask = ask_with_message_box) -> Database | None:
    """Open the database for the window, asking the officer whenever there is a choice:
    read-only when it is in use, a backup when it is damaged. None means quit."""
    path = Path(path)
    try:
        opened = _open_for_editing(path)
    except DatabaseInUseError as error:
        answer = ask(
            "inUse",
            _("Database in use"),
            _("The database {name} is {holder}.").format(
                name=path.name, holder=_holder_words(error.holder)
            ),
            _("You can open it read-only to look things up. To edit, close it there first."),
            [OPEN_READ_ONLY, QUIT],
        )
        return _read_only(path, ask) if answer == OPEN_READ_ONLY else None
    except ReadOnlyLocationError as error:
        answer = ask("readOnly", N_("Read-only"), shown(error.message), "", [OPEN_READ_ONLY, QUIT])
        return _read_only(path, ask) if answer == OPEN_READ_ONLY else None
    except StorageError as error:
        # The disk or folder failed, not the file: it stays exactly where and as it is.
        answer = ask(
            "storage",
            _("Cannot open the database"),
            shown(error.message),
            _("Nothing was moved or replaced: once that is seen to, Try again opens it as it was."),
            [TRY_AGAIN, QUIT],
        )
        return open_database_interactively(path, ask) if answer == TRY_AGAIN else None
    except UnusableDatabaseError as error:
        return _recover(path, error, ask)
    except DatabaseError as error:
        ask("error", _("Cannot open the database"), shown(error.message), "", [QUIT])
        return None
    _show_warnings(opened, ask)
    return opened.store


def _read_only(path: Path, ask: Ask) -> Database | None:
    try:
        opened = open_read_only(path)
    except DatabaseError as error:
        ask("error", _("Cannot open the database"), shown(error.message), "", [QUIT])
        return None
    _show_warnings(opened, ask)
    return opened.store


def _restore_with_progress(path: Path, backup: BackupInfo) -> tuple[bool, str | None]:
    """Restore before any window is open, beside a dialog showing how far it has gone (for a
    big office that is minutes): (whether it was restored, why it failed when it did)."""
    from protocol_desk.ui.safety_dialogs import RestoreProgressDialog

    dialog = RestoreProgressDialog(
        lambda report, cancelled: restore_file(path, backup, report, cancelled)
    )
    dialog.exec()
    restored, error = dialog.completed, dialog.error
    dialog.deleteLater()
    if error is None:
        return restored, None
    return False, shown(error.message) if isinstance(error, ProtocolDeskError) else str(error)


def _recover(path: Path, error: UnusableDatabaseError, ask: Ask) -> Database | None:
    """A damaged or foreign file: offer the newest verified backup, or a fresh start when the
    damaged file is already safe aside. A fresh start is never the default answer, and says
    what becomes of the damaged file."""
    damaged = isinstance(error, DamagedDatabaseError)
    choices = [RESTORE] if error.backup else []
    choices.append(QUIT)
    details = (
        _("Restore the backup of {when}? Changes made after it are not in it.").format(
            when=error.backup.when
        )
        if error.backup
        else ""  # the message says there is none
    )
    if damaged and error.kept_at is not None:
        choices.append(START_EMPTY)
        details = details and details + " "
        details += _(
            "{start_empty} makes a new file with no records; the damaged one stays beside "
            "it as {name}, unchanged, for your IT support."
        ).format(start_empty=_(START_EMPTY), name=error.kept_at.name)
    answer = ask(
        "damaged" if damaged else "foreign",
        _("Database damaged") if damaged else _("Not a Protocol Desk database"),
        shown(error.message),
        details,
        choices,
    )
    if answer == RESTORE and error.backup is not None:
        restored, failure = _restore_with_progress(path, error.backup)
        if failure is not None:
            ask("error", _("Not restored"), failure, "", [QUIT])
            return None
        if not restored:  # cancelled, the files as they were: the same question again
            return _recover(path, error, ask)
        return open_database_interactively(path, ask)
    if answer == START_EMPTY:
        return open_database_interactively(path, ask)
    return None


def reopen_after_failure(
    store: Database, error: BaseException, ask: Ask | None = None
) -> Database | None:
    """SQLite failed while the window was being built: the file is closed (its lock released)
    and, when SQLite found damage, set aside and the officer asked as at any damaged start; a
    failing disk is said plainly. None means quit."""
    ask = ask or ask_with_message_box
    path = store.path
    store.close()
    if path is None:
        raise error
    if is_corruption(error):
        return _recover(path, set_aside_damaged(path, str(error)), ask)
    plain = storage_error(path, error)
    message = (
        shown(plain.message)
        if plain is not None
        else _("{path} cannot be read: {reason}.").format(path=path, reason=error)
    )
    ask("storage", _("Cannot open the database"), message, "", [QUIT])
    return None
