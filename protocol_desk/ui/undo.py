"""Undo and Redo of the officer's last changes (a delete, a status set, an edit), on the
window's one QUndoStack: each change is made first, then remembered with how to take it back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from protocol_desk.i18n import _
from protocol_desk.ui.widgets import show_error


class DoneChange(QUndoCommand):
    """A change already made: the stack's first ``redo`` (on push) does nothing."""

    def __init__(
        self,
        text: str,
        undo: Callable[[], None],
        redo: Callable[[], None],
        refresh: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(text)
        self._undo, self._redo, self._refresh = undo, redo, refresh
        self._parent = parent
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._run(self._redo, _("Not redone"))

    def undo(self) -> None:
        self._run(self._undo, _("Not undone"))

    def _run(self, change: Callable[[], None], title: str) -> None:
        try:
            change()
        except Exception as error:  # a record changed or gone since: said, nothing lost
            show_error(self._parent, error, title)
            self.setObsolete(True)
        self._refresh()


def undo_stack(widget: QWidget) -> QUndoStack | None:
    """The window's stack of changes, seen from any widget in it."""
    stack = getattr(widget.window(), "undo_stack", None)
    return stack if isinstance(stack, QUndoStack) else None


def remember(
    widget: QWidget,
    text: str,
    undo: Callable[[], None],
    redo: Callable[[], None],
    refresh: Callable[[], None],
) -> None:
    """Remember a change just made, so that Edit → Undo takes it back."""
    stack = undo_stack(widget)
    if stack is not None:
        stack.push(DoneChange(text, undo, redo, refresh, widget))


def offer_undo(widget: QWidget, title: str, text: str) -> None:
    """Say that records went to the bin, with an Undo button right there (Edit → Undo and
    Ctrl+Z work later too)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(widget)
    box.setObjectName("undoDelete")
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(_("Edit → Undo (Ctrl+Z) brings them back later too."))
    undo = box.addButton(_("Undo"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    stack = undo_stack(widget)
    if box.clickedButton() is undo and stack is not None:
        stack.undo()


def refresh_after_change(widget: QWidget) -> None:
    """The list that made a change shows it again, and says so to the rest of the window."""
    reload = getattr(widget, "reload", None)
    if callable(reload):
        reload()
    changed = getattr(widget, "data_changed", None)
    if changed is not None and hasattr(changed, "emit"):
        changed.emit()
