"""What the pasted press release offers the meeting being logged, to tick and take: its day,
the people it names, the sentences that may say what was agreed."""

from __future__ import annotations

import textwrap
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import format_date
from protocol_desk.domain.models import Side
from protocol_desk.domain.release import FoundDay, likely_meeting_day
from protocol_desk.services.releases import NamedPerson, ReleaseReading
from protocol_desk.ui.widgets import named

_SIDES = {Side.OURS: "our side", Side.COUNTERPART: "counterpart"}
WRAP_AT = 100  # characters a line: a sentence of the release reads whole at the dialog's width


class ReleaseReadingDialog(QDialog):
    """The release's suggestions, grouped, each with a tick box. Ticked to start with: the day
    the meeting was beyond doubt (when it has no date yet), the people found by a whole
    spelling of their name, and the sentences that say outright that something was agreed.
    People already taking part, and sentences already agreed actions, are shown, not offered."""

    def __init__(
        self,
        reading: ReleaseReading,
        *,
        has_date: bool,
        taking_part: set[int],
        agreed: set[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("releaseReading")
        self.setWindowTitle("Read the release")
        self.resize(760, 520)
        intro = QLabel(
            "What the release seems to say. Tick what to take into the meeting; nothing else is "
            "changed, and you can still edit everything afterwards."
        )
        intro.setWordWrap(True)
        self.tree = named(QTreeWidget(), "releaseFindings", "What the release says")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self._days: list[tuple[QTreeWidgetItem, FoundDay]] = []
        self._people: list[tuple[QTreeWidgetItem, NamedPerson]] = []
        self._agreements: list[tuple[QTreeWidgetItem, str]] = []
        self._fill(reading, has_date, taking_part, agreed or set())
        self.tree.itemChanged.connect(self._one_day_only)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        take = buttons.button(QDialogButtonBox.StandardButton.Ok)
        take.setText("Take the ticked")
        take.setObjectName("takeFindings")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def _group(self, title: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.tree, [title])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        group.setExpanded(True)
        return group

    def _item(self, group: QTreeWidgetItem, text: str, ticked: bool) -> QTreeWidgetItem:
        # Broken into lines here: an item view does not wrap a long sentence by itself.
        item = QTreeWidgetItem(group, [textwrap.fill(text, WRAP_AT)])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        item.setToolTip(0, text)
        return item

    def _fill(
        self, reading: ReleaseReading, has_date: bool, taking_part: set[int], agreed: set[str]
    ) -> None:
        if reading.empty:
            self._group(
                "The text gives no day, names no one the office knows, and says "
                "nothing of an agreement."
            )
            return
        if reading.days:
            group = self._group("The meeting's day (one)")
            likely = likely_meeting_day(reading.days)
            for found in reading.days:
                label = f"{format_date(found.day)} — “…{found.context}…”"
                if found.looks_posted:
                    label += "  (when the release was posted)"
                item = self._item(group, label, ticked=not has_date and found is likely)
                self._days.append((item, found))
        if reading.people:
            group = self._group("People named")
            for person in reading.people:
                label = f"{person.full_name}, {_SIDES.get(person.side, person.side.value)}"
                if person.written != person.full_name:
                    label += f" — written “{person.written}”"
                if person.by_last_name:
                    label += " (by the last name alone: check it is them)"
                if person.person_id in taking_part:
                    item = QTreeWidgetItem(group, [f"{label} — already taking part"])
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    continue
                item = self._item(group, label, ticked=not person.by_last_name)
                self._people.append((item, person))
        if reading.agreements:
            group = self._group("What may have been agreed (each becomes an agreed action)")
            for agreement in reading.agreements:
                if agreement.text in agreed:
                    item = self._item(group, f"{agreement.text} — already an agreed action", False)
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    continue
                item = self._item(group, agreement.text, ticked=agreement.strong)
                self._agreements.append((item, agreement.text))

    def _one_day_only(self, changed: QTreeWidgetItem) -> None:
        if changed.checkState(0) != Qt.CheckState.Checked:
            return
        if all(item is not changed for item, _ in self._days):
            return
        self.tree.blockSignals(True)
        for item, _ in self._days:
            if item is not changed:
                item.setCheckState(0, Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)

    @staticmethod
    def _ticked(item: QTreeWidgetItem) -> bool:
        return item.checkState(0) == Qt.CheckState.Checked

    def chosen_day(self) -> date | None:
        return next((found.day for item, found in self._days if self._ticked(item)), None)

    def chosen_people(self) -> list[NamedPerson]:
        return [person for item, person in self._people if self._ticked(item)]

    def chosen_agreements(self) -> list[str]:
        return [text for item, text in self._agreements if self._ticked(item)]
