"""Carry-forward in the meeting editor: the open actions with this meeting's counterparts,
each with a box to tick when it was done at this meeting.

How the meeting editor uses it::

    panel = OpenActionsPanel(ActionService(store))
    panel.set_counterparts(person_ids)              # whenever the counterparts change
    panel.set_meeting(meeting.id, meeting.date)      # its own actions are left out
    ...
    with store.transaction():                       # save and close the loop as one unit
        saved = meeting_service.save(meeting)
        action_service.mark_done_at_meeting(panel.checked_action_ids(), saved.id, on=saved.date)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import ACTION_STATUS_LABELS
from protocol_desk.i18n import _, ngettext
from protocol_desk.services.actions import ActionRow, ActionService
from protocol_desk.ui.actions_view import ACTION_ID_ROLE, overdue_text
from protocol_desk.ui.columns import header_text
from protocol_desk.ui.day_words import date_text
from protocol_desk.ui.looks import QUIET_STYLE, attention_colour, overdue_background
from protocol_desk.ui.widgets import fit_columns, named

Index = QModelIndex | QPersistentModelIndex

HEADERS = (N_("Done here"), N_("Agreed action"), N_("Due"), N_("Agreed on"), N_("Counterpart"))


class OpenActionsModel(QAbstractTableModel):
    """Open actions with a check box each. The list is short (one counterpart's open
    promises), so it is read whole."""

    checked_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ActionRow] = []
        self._checked: set[int] = set()
        self.as_of = date.today()

    def set_rows(self, rows: list[ActionRow], as_of: date) -> None:
        self.beginResetModel()
        self._rows = rows
        self.as_of = as_of
        # A tick survives a change of counterparts as long as its action is still listed.
        self._checked &= {r.id for r in rows}
        self.endResetModel()
        self.checked_changed.emit()

    def checked_ids(self) -> list[int]:
        return [r.id for r in self._rows if r.id in self._checked]

    def set_checked(self, action_id: int, checked: bool) -> None:
        for number, row in enumerate(self._rows):
            if row.id == action_id:
                self.setData(
                    self.index(number, 0),
                    (Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked).value,
                    Qt.ItemDataRole.CheckStateRole,
                )

    def rows(self) -> list[ActionRow]:
        return list(self._rows)

    # --- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        overdue = row.is_overdue(self.as_of)
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if row.id in self._checked else Qt.CheckState.Unchecked
        if role == ACTION_ID_ROLE:
            return row.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return "" if role == Qt.ItemDataRole.DisplayRole else _("Done at this meeting")
            if column == 1:
                text = " ".join(row.text.split())
                if role == Qt.ItemDataRole.ToolTipRole and row.owner:
                    return text + "\n" + _("Owner: {owner}").format(owner=row.owner)
                return text
            if column == 2:
                if row.due is None:
                    return "—"
                due = date_text(row.due)
                return f"{due} ⚠ {overdue_text(row, self.as_of)}" if overdue else due
            if column == 3:
                return (
                    date_text(row.meeting_date, row.meeting_precision) if row.meeting_date else ""
                )
            return row.counterpart
        if role == Qt.ItemDataRole.ForegroundRole and overdue and column == 2:
            return QBrush(attention_colour())
        if role == Qt.ItemDataRole.BackgroundRole and overdue and column == 2:
            return QBrush(overdue_background())
        if role == Qt.ItemDataRole.AccessibleTextRole:
            ticked = _("done at this meeting") if row.id in self._checked else _("not ticked")
            state = (
                overdue_text(row, self.as_of) if overdue else _(ACTION_STATUS_LABELS[row.status])
            )
            return f"{row.text} ({state}; {ticked})"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.column() != 0
            or role != Qt.ItemDataRole.CheckStateRole
            or not 0 <= index.row() < len(self._rows)
        ):
            return False
        action_id = self._rows[index.row()].id
        state = value.value if isinstance(value, Qt.CheckState) else int(value)
        if state == Qt.CheckState.Checked.value:
            self._checked.add(action_id)
        else:
            self._checked.discard(action_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_text(HEADERS, section, orientation, role)


class OpenActionsPanel(QWidget):
    """Open actions agreed with the counterparts of the meeting being logged.

    ``checked_changed`` carries the number of ticked actions."""

    checked_changed = Signal(int)

    def __init__(self, service: ActionService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._person_ids: list[int] = []
        self._meeting_id: int | None = None
        self._on: date | None = None
        self.model = OpenActionsModel(self)

        self.heading = QLabel()
        self.heading.setObjectName("openActionsHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.table = named(
            QTableView(), "openActionsTable", _("Open actions with these counterparts")
        )
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fit_columns(self.table, ((0, 80), (2, 190), (3, 85), (4, 140)))
        self.empty = QLabel()
        self.empty.setObjectName("openActionsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(QUIET_STYLE)
        self.check_all = named(QToolButton(), "checkAllOpenActions", _("Tick all"))
        self.check_all.setText(_("Tick all"))
        self.check_none = named(QToolButton(), "checkNoOpenActions", _("Untick all"))
        self.check_none.setText(_("Untick all"))

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.check_all)
        top.addWidget(self.check_none)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

        self.model.checked_changed.connect(self._on_checked)
        self.check_all.clicked.connect(lambda: self._tick_all(True))
        self.check_none.clicked.connect(lambda: self._tick_all(False))
        self.setObjectName("openActionsPanel")
        self.setAccessibleName(_("Open actions with these counterparts"))
        self.reload()

    # --- what the meeting editor calls --------------------------------------------------------
    def set_counterparts(self, person_ids: Iterable[int]) -> None:
        ids = sorted(set(person_ids))
        if ids != self._person_ids:
            self._person_ids = ids
            self.reload()

    def set_meeting(self, meeting_id: int | None, on: date | None) -> None:
        """The meeting being logged: its own actions are not listed, and what is overdue is
        judged on its date."""
        if (meeting_id, on) != (self._meeting_id, self._on):
            self._meeting_id = meeting_id
            self._on = on
            self.reload()

    def checked_action_ids(self) -> list[int]:
        return self.model.checked_ids()

    def reload(self) -> None:
        rows = self.service.open_with_counterparts(
            self._person_ids, exclude_meeting_id=self._meeting_id
        )
        self.model.set_rows(rows, self._on or date.today())
        self._update_texts()

    # --- inside -------------------------------------------------------------------------------
    def _tick_all(self, checked: bool) -> None:
        for row in self.model.rows():
            self.model.set_checked(row.id, checked)

    def _on_checked(self) -> None:
        self._update_texts()
        self.checked_changed.emit(len(self.model.checked_ids()))

    def _update_texts(self) -> None:
        rows = self.model.rows()
        has_rows = bool(rows)
        self.table.setVisible(has_rows)
        self.check_all.setVisible(has_rows)
        self.check_none.setVisible(has_rows)
        self.empty.setVisible(not has_rows)
        if not self._person_ids:
            self.heading.setText(_("Open actions"))
            self.empty.setText(
                _("Add the counterparts: the actions still open with them will be listed here.")
            )
            return
        if not has_rows:
            self.heading.setText(_("Open actions"))
            self.empty.setText(_("No open actions with these counterparts."))
            return
        ticked = len(self.model.checked_ids())
        text = ngettext(
            "{n} open action with these counterparts",
            "{n} open actions with these counterparts",
            len(rows),
        ).format(n=len(rows))
        if ticked:
            text += _(" — {ticked} to be marked done at this meeting").format(ticked=ticked)
        else:
            text += _(": tick those done at this meeting")
        self.heading.setText(text)
