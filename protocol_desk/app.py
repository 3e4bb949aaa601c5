"""The window application: settings, logging, the error hook, opening the store, the window."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from protocol_desk import APP_NAME, __version__
from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.domain.language import Language
from protocol_desk.domain.messages import os_reason
from protocol_desk.paths import data_dir, default_db_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from protocol_desk.store import Store

log = logging.getLogger("protocol_desk")

# The modules the window opens with that have no Qt in them. PySide6 reads the source of every
# module imported after it (to honour its opt-in ``__feature__`` switches module by module),
# about 0.3 ms a module: these are imported before Qt and spared that.
DATA_LAYER = (
    "protocol_desk.services.home",
    "protocol_desk.services.meetings",
    "protocol_desk.services.reference",
    "protocol_desk.services.safety",
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    from protocol_desk.cli import requested_language, speak
    from protocol_desk.i18n import _, choose_language

    # The help and the option errors in --lang's language, else the system's (the saved
    # preference is read once Qt is up).
    speak(choose_language(requested_language(list(sys.argv[1:] if argv is None else argv))))
    parser = argparse.ArgumentParser(
        prog="protocol-desk", description=_("{app} window").format(app=APP_NAME)
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=_("database file (default: {path})").format(path=default_db_path()),
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help=_("open a fresh throw-away database with the demo data"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help=_("show the program's version and exit"),
    )
    parser.add_argument(
        "--lang",
        choices=[language.value for language in Language],
        help=_("the window's language (default: the one chosen in Preferences, else the system's)"),
    )
    return parser.parse_args(argv)


def configure_logging() -> Path | None:
    from protocol_desk.store.files import private_log_file

    folder = data_dir() / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Private: the log names records and files.
        path = private_log_file(folder / "protocol-desk.log")
        logging.basicConfig(
            filename=path,
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        return path
    except OSError:
        logging.basicConfig(level=logging.INFO)
        return None


def install_error_hook() -> None:
    """Unexpected exceptions are logged and shown calmly; the app keeps running."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("unhandled error\n%s", "".join(traceback.format_exception(kind, error, tb)))
        from PySide6.QtWidgets import QApplication, QMessageBox  # not needed to start

        if QApplication.instance() is None:
            return
        if isinstance(error, ProtocolDeskError):
            from protocol_desk.i18n import shown

            QMessageBox.warning(None, APP_NAME, shown(error.message))
        else:
            from protocol_desk.i18n import _

            QMessageBox.critical(
                None,
                APP_NAME,
                _(
                    "Something unexpected went wrong. Nothing you saved before is lost; the "
                    "last action may not have completed."
                )
                + f"\n\n{kind.__name__}: {error}\n\n"
                + _("The details are in the log file."),
            )

    sys.excepthook = hook


def open_store_for_window(args: argparse.Namespace) -> Store | None:
    """Open the database the window works on, or None after telling the user why not.

    The safety service claims the file as its one writer, checks its health and backs it up
    once a day; the officer is asked when it is in use (read-only?) or damaged (backup?)."""
    from protocol_desk.store import Store
    from protocol_desk.ui.opening import open_database_interactively

    if args.demo:
        from protocol_desk.services.demo import load_demo

        folder = Path(tempfile.mkdtemp(prefix="protocol-desk-demo-"))
        store = Store.open(folder / "demo.sqlite")
        load_demo(store)
        return store
    path = Path(args.db) if args.db else default_db_path()
    if not args.db:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            from PySide6.QtWidgets import QMessageBox  # made when needed: its enums cost

            from protocol_desk.i18n import _, shown

            QMessageBox.critical(
                None,
                APP_NAME,
                _("Cannot create the folder {folder}: {reason}.").format(
                    folder=path.parent, reason=shown(os_reason(error))
                ),
            )
            return None
    opened = open_database_interactively(path)
    if opened is None:
        return None
    if not opened.readonly and opened.is_empty():
        from protocol_desk.ui.first_run import ask_for_demo

        if ask_for_demo(path):
            from protocol_desk.services.demo import load_demo

            load_demo(opened)
    return opened


def no_display() -> str:
    from protocol_desk.i18n import _

    return _(
        "{app} needs a graphical desktop (no display found). The command line works without "
        "one: python -m protocol_desk --help"
    ).format(app=APP_NAME)


def display_missing() -> bool:
    """No desktop to show a window on: on Linux and the BSDs, neither an X nor a Wayland
    display, and no Qt platform chosen (offscreen, say). Found before Qt is started, which
    would abort the process."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith(("win", "darwin", "cygwin")):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the window starts.

    Start-up makes some 30,000 long-lived objects the collector follows (modules, classes, Qt's
    enums) and frees few: it would walk them dozens of times, about 12 ms of the start.
    Afterwards they are set aside (``gc.freeze``), so collections made while the officer scrolls
    or types do not walk them either."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def main(
    argv: Sequence[str] | None = None,
    on_window: Callable[[QMainWindow], None] | None = None,
) -> int:
    """Run the window until it is closed; ``on_window`` sees the window once it is shown."""
    args = parse_args(argv)
    if display_missing():
        print(no_display(), file=sys.stderr)
        return 2
    configure_logging()
    with collector_paused():
        for name in DATA_LAYER:
            importlib.import_module(name)
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setOrganizationName(APP_NAME)
        app.setApplicationName(APP_NAME)
        app.setApplicationVersion(__version__)
        install_error_hook()
        from protocol_desk.ui.language import install_language, window_language

        install_language(app, window_language(args.lang))
        # The window loads the Russian dictionary beside itself; until then, names are
        # matched without it rather than holding a keystroke up for half a second.
        from protocol_desk.domain.names import load_russian_on_demand

        load_russian_on_demand(False)
        store = open_store_for_window(args)
        if store is None:
            return 1
        from protocol_desk.ui.main_window import MainWindow

        try:
            window = MainWindow(store)
        except sqlite3.Error as error:
            # The first view read a page that opening's checks do not (damage deep inside a
            # table): the file is closed, and the officer asked as at any damaged start.
            from protocol_desk.ui.opening import reopen_after_failure

            store = reopen_after_failure(store, error)
            if store is None:
                return 1
            window = MainWindow(store)
        window.show()
    if on_window is not None:
        on_window(window)
    code = app.exec()
    store.close()
    return int(code)
