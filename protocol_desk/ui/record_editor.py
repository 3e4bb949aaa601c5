"""The one shape of every record editor (meeting, person, visit, anniversary, country,
organisation): it knows whether anything was changed, asks before throwing changes away,
saves on Ctrl+S, marks every bad field at once and clears a mark once its field is fixed,
shows a conflict with a colleague's save the same way for every record, and confirms a save
in the window's status bar. A new editor is its fields, ``collect``, ``write`` and
``describe``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from protocol_desk.domain.errors import ConflictError, Problems, ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _
from protocol_desk.ui.record_widgets import FieldErrors, RowsModel
from protocol_desk.ui.undo import refresh_after_change, remember
from protocol_desk.ui.widgets import named, show_error

if TYPE_CHECKING:
    from protocol_desk.services.safety import Conflict

R = TypeVar("R")  # the record an editor edits (Meeting, Person…)

SAVED_MESSAGE_MS = 8000  # how long the status bar keeps "Saved …"


class GoneBack(Exception):
    """The officer answered a question during the save by going back to the form: nothing
    was saved and nothing more is said."""


# What the status bar and Undo say of a record saved, whole for each kind of record (a
# translation declines the kind as its sentence needs).
SAVED = {
    "record": N_("Saved record {record}"),
    "meeting": N_("Saved meeting {record}"),
    "person": N_("Saved person {record}"),
    "organisation": N_("Saved organisation {record}"),
    "country": N_("Saved country {record}"),
    "visit": N_("Saved visit {record}"),
    "anniversary": N_("Saved anniversary {record}"),
}
EDIT_OF = {
    "record": N_("Edit of record {record}"),
    "meeting": N_("Edit of meeting {record}"),
    "person": N_("Edit of person {record}"),
    "organisation": N_("Edit of organisation {record}"),
    "country": N_("Edit of country {record}"),
    "visit": N_("Edit of visit {record}"),
    "anniversary": N_("Edit of anniversary {record}"),
}


def _not_opened(record_id: int) -> Any:
    raise NotImplementedError("an editor not opened with _open_as says how it reads its record")


class RecordEditor(QDialog, Generic[R]):
    """Subclasses open their record with ``_open_as`` (which names, titles and sizes the editor
    and reads the record again for a conflict), build their form (fields registered with
    ``self.errors``), then call ``loaded()`` once it shows the record; they give ``collect``
    (the form as a record, parse problems noted in ``problems``; ``_same_record`` keeps the
    opened record's identity), ``write`` (the service's save) and ``describe`` (the saved
    record in a few words)."""

    record_kind = "record"  # in the officer's words: "meeting", "person"…

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.saved_id: int | None = None
        self.saved: R | None = None
        self.saved_message = ""
        general = QLabel()
        general.setObjectName("editorError")
        general.setAccessibleName(_("Error message"))
        self.errors = FieldErrors(general)
        self.errors.on_edit = self._recheck
        self._baseline: object = None
        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._record_loader: Callable[[int], R] = _not_opened

    def _open_as(
        self,
        load: Callable[[int], R],
        record_id: int | None,
        name: str,
        titles: tuple[str, str],
        size: tuple[int, int],
    ) -> None:
        """The record edited, read with ``load`` (none for a new one), the editor's name (its
        general message is ``{name}Error``), its title for an edit or a new record, and its
        first size."""
        self._record_loader = load
        self._original = load(record_id) if record_id is not None else None
        self.setObjectName(name)
        self.setWindowTitle(titles[0] if self._original else titles[1])
        self.resize(*size)
        self.errors.general.setObjectName(f"{name}Error")

    # --- what a subclass gives -----------------------------------------------------------
    def collect(self, problems: Problems) -> R:
        raise NotImplementedError

    def write(self, record: R) -> R:
        raise NotImplementedError

    def describe(self, saved: R) -> str:
        raise NotImplementedError

    def validate(self, record: R) -> None:
        """The domain's rule for the record, run before saving so that every problem is
        shown together (the store runs it again)."""

    def current(self, record: R) -> R:
        """The record as it is saved in the file now (for a conflict): read again as it was
        opened (see ``_open_as``)."""
        return self._record_loader(getattr(record, "id", None) or 0)

    def _same_record(self, record: R) -> R:
        """The form's record as the one opened (its id, uid and version), or as a new one."""
        base = getattr(self, "_original", None)
        if base is not None:
            record.id, record.uid, record.version = base.id, base.uid, base.version  # type: ignore[attr-defined]
        return record

    def conflict(self, yours: R, theirs: R) -> Conflict:
        from protocol_desk.services.safety import record_conflict

        return record_conflict(yours, theirs, self.describe(theirs))

    def keep_mine(self, yours: R, conflict: Conflict) -> R:
        yours.version = conflict.their_version  # type: ignore[attr-defined]
        return self.write(yours)

    def extra_state(self) -> object:
        """What the form holds beyond its fields (lists kept in the editor), for ``changed``."""
        return None

    # --- the buttons -----------------------------------------------------------------------
    def save_buttons(self, save_name: str) -> QDialogButtonBox:
        """Save and Cancel, wired to the base: Save's tooltip names its key."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = named(
            buttons.button(QDialogButtonBox.StandardButton.Save),
            save_name,
            _("Save"),
        )
        self.save_button.setToolTip(_("Save the record (Ctrl+S)"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

    # --- changes ---------------------------------------------------------------------------
    def loaded(self) -> None:
        """The form now shows the record as saved (or a new one's defaults)."""
        self._baseline = self.snapshot()
        # An example in a field may be longer than the field (Kazakh and Russian run
        # longer): it is read whole on hover.
        for field in self.findChildren(QLineEdit):
            if field.placeholderText() and not field.toolTip():
                field.setToolTip(field.placeholderText())

    def snapshot(self) -> object:
        state: list[object] = []
        for widget in self.findChildren(QWidget):
            if not self._is_field(widget):
                continue
            if isinstance(widget, QLineEdit):
                state.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                state.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                state.append((widget.currentIndex(), widget.currentText()))
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                state.append(widget.isChecked())
        state.extend(repr(model.rows) for model in self.findChildren(RowsModel))
        state.append(repr(self.extra_state()))
        return state

    def _is_field(self, widget: QWidget) -> bool:
        # A combo box's own line edit and a calendar's inner controls are not fields.
        parent = widget.parentWidget()
        while parent is not None and parent is not self:
            if isinstance(parent, QComboBox | QCalendarWidget):
                return False
            parent = parent.parentWidget()
        return not (isinstance(widget, QLineEdit | QPlainTextEdit) and widget.isReadOnly())

    def changed(self) -> bool:
        return self._baseline is not None and self.snapshot() != self._baseline

    def reject(self) -> None:
        """Esc, Cancel and the window's close button: a changed form asks first."""
        if self.changed() and not self._may_close():
            return
        super().reject()

    def _may_close(self) -> bool:
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            self.save()
            return False  # a successful save has closed the editor already
        return answer == QMessageBox.StandardButton.Discard

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel: what to do with the changes of an editor being closed."""
        box = QMessageBox(self)
        box.setObjectName("unsavedChanges")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Unsaved changes"))
        box.setText(_("The changes made here are not saved."))
        box.setInformativeText(_("Save them before closing?"))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        return QMessageBox.StandardButton(box.exec())

    # --- saving ----------------------------------------------------------------------------
    def problems(self) -> tuple[R | None, Problems]:
        """The form as a record and everything wrong with it (nothing is saved)."""
        problems = Problems()
        record: R | None = None
        try:
            record = self.collect(problems)
            with problems.at():
                self.validate(record)
        except ValidationError as error:
            problems.extend(error)
        return record, problems

    def save(self) -> bool:
        """Save the form; True once saved (the editor is then closed)."""
        self.errors.clear()
        record, problems = self.problems()
        try:
            problems.raise_any()
            assert record is not None
            saved = self.write(record)
        except ValidationError as error:
            self.errors.show_all(error.problems)
            return False
        except GoneBack:
            return False
        except ConflictError:
            assert record is not None
            resolved = self._resolve_conflict(record)
            if resolved is None:
                return False
            saved = resolved
        except Exception as error:  # a vanished record, or a fault: one way
            show_error(self, error)
            return False
        self.finish(saved)
        return True

    def finish(self, saved: R) -> None:
        """The record is saved: say so in the window's status bar, and close."""
        self.saved = saved
        self.saved_id = getattr(saved, "id", None)
        said = SAVED.get(self.record_kind, SAVED["record"])
        self.saved_message = _(said).format(record=self.describe(saved))
        parent = self.parentWidget()
        window = parent.window() if parent is not None else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(self.saved_message, SAVED_MESSAGE_MS)
        original = getattr(self, "_original", None)
        if original is not None and parent is not None:
            before, after = copy.deepcopy(original), copy.deepcopy(saved)
            remember(
                parent,
                _(EDIT_OF.get(self.record_kind, EDIT_OF["record"])).format(
                    record=self.describe(saved)
                ),
                lambda: self._put_back(before),
                lambda: self._put_back(after),
                lambda: refresh_after_change(parent),
            )
        self.accept()

    def _put_back(self, record: R) -> None:
        """Save ``record`` (a version shown before) over what is saved now: Undo and Redo of
        an edit. The version it overwrites is the one read just now, never a blind one."""
        from protocol_desk.services.safety import Conflict

        target = copy.deepcopy(record)
        now = self.current(target)
        self.keep_mine(target, Conflict(title="", differences=[], their_version=now.version))  # type: ignore[attr-defined]

    def _resolve_conflict(self, yours: R) -> R | None:
        from protocol_desk.ui.safety_dialogs import resolve_conflict

        return resolve_conflict(
            self,
            lambda: self.conflict(yours, self.current(yours)),
            lambda conflict: self.keep_mine(yours, conflict),
            lambda: self.current(yours),
        )

    def _recheck(self, field: str) -> None:
        """A marked field was edited: its mark goes as soon as the field is right."""
        _record, problems = self.problems()
        still = {name for name, _message in problems.found}
        for marked in self.errors.marked():
            if marked not in still:
                self.errors.unmark(marked)
