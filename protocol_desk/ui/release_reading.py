"""What the pasted press release offers the meeting being logged, to tick and take: its
headline as the subject, its day, the people it names, the sentences that may say what was
agreed, and the day it was posted as the source's."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import format_date
from protocol_desk.domain.models import Side
from protocol_desk.domain.release import FoundDay, likely_meeting_day
from protocol_desk.services.releases import NamedPerson, ReleaseReading
from protocol_desk.ui.looks import QUIET_STYLE
from protocol_desk.ui.widgets import named

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent, QShowEvent

_SIDES = {Side.OURS: "our side", Side.COUNTERPART: "counterpart"}


class Finding(QWidget):
    """One suggestion: a tick box and its text, wrapped to the dialog's width (a sentence of
    a release is long); a click on the text ticks too."""

    def __init__(self, text: str, *, ticked: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setChecked(ticked)
        self.box.setAccessibleName(text)
        self.label = QLabel(text)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 1, 0, 1)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
        event.accept()

    def ticked(self) -> bool:
        return self.box.isChecked()


class ReleaseReadingDialog(QDialog):
    """The release's suggestions, grouped, each with a tick box. Ticked to start with: the
    headline (when the meeting has no subject yet), the day the meeting was beyond doubt
    (when it has no date yet), the people named where the text speaks of the meeting by a
    whole spelling of their name (when it has no participants yet), the sentences that say
    outright that something was agreed, and the posting day (when the source has no date).
    People already taking part, and sentences already agreed actions, are shown, not
    offered."""

    def __init__(
        self,
        reading: ReleaseReading,
        *,
        has_date: bool,
        taking_part: set[int],
        typed_day: date | None = None,
        has_subject: bool = True,
        agreed: set[str] | None = None,
        has_published: bool = True,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("releaseReading")
        self.setWindowTitle("Read the release")
        self.resize(760, 560)
        intro = QLabel(
            "What the release seems to say. Tick what to take into the meeting; nothing else is "
            "changed, and you can still edit everything afterwards."
        )
        intro.setWordWrap(True)
        self.days: list[tuple[Finding, FoundDay]] = []
        self.published: tuple[Finding, date] | None = None
        self.headline: tuple[Finding, str] | None = None
        self.people: list[tuple[Finding, NamedPerson]] = []
        self.agreements: list[tuple[Finding, str]] = []
        body = QWidget()
        self._list = QVBoxLayout(body)
        self.typed_day = typed_day
        if reading.headline:
            self._heading("The subject, as the headline puts it")
            finding = self._finding(reading.headline, ticked=not has_subject)
            self.headline = (finding, reading.headline)
        self._fill(reading, has_date, taking_part, agreed or set(), today)
        posted = next((d.day for d in reading.days if d.looks_posted), None)
        if posted is not None and not has_published:
            self._heading("The source")
            finding = self._finding(f"Published on {format_date(posted)}", ticked=True)
            self.published = (finding, posted)
        self._list.addStretch(1)
        scroll = named(QScrollArea(), "releaseFindings", "What the release says")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
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
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def _heading(self, text: str, name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName(name)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self._list.addWidget(label)
        return label

    def _finding(self, text: str, ticked: bool) -> Finding:
        finding = Finding(text, ticked=ticked)
        self._list.addWidget(finding)
        return finding

    def _shown_only(self, text: str) -> None:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setContentsMargins(40, 1, 0, 1)
        label.setStyleSheet(QUIET_STYLE)
        self._list.addWidget(label)

    def _fill(
        self,
        reading: ReleaseReading,
        has_date: bool,
        taking_part: set[int],
        agreed: set[str],
        today: date | None,
    ) -> None:
        if reading.empty:
            self._heading(
                "The text gives no day, names no one the office knows, and says nothing of an "
                "agreement.",
                "nothingFound",
            )
            return
        if reading.days:
            self._heading("The meeting's day (one)")
            likely = likely_meeting_day(reading.days, today)
            for found in reading.days:
                label = f"{format_date(found.day)} — “…{found.context}…”"
                if found.looks_posted:
                    label += " (when the release was posted)"
                if found.in_range:
                    label += " (the last of several days)"
                if found.year_guessed:
                    label += " (no year written: the text's own)"
                typed = self.typed_day
                if typed is not None and found.day != typed and not found.looks_posted:
                    label += f" — not the date typed, {format_date(typed)}"
                finding = self._finding(label, ticked=not has_date and found is likely)
                finding.box.toggled.connect(lambda on, f=finding: self._one_day_only(f, on))
                self.days.append((finding, found))
        if reading.people:
            self._heading("People named")
            for person in reading.people:
                label = f"{person.full_name}, {_SIDES.get(person.side, person.side.value)}"
                if person.written != person.full_name:
                    label += f" — written “{person.written}”"
                if person.by_last_name:
                    label += " (by the last name alone: check it is them)"
                elif not person.at_meeting:
                    label += " (named in passing: tick if they took part)"
                if person.person_id in taking_part:
                    self._shown_only(f"{label} — already taking part")
                    continue
                # A meeting that has its participants already gets no more without a look.
                ticked = person.at_meeting and not person.by_last_name and not taking_part
                self.people.append((self._finding(label, ticked), person))
        if reading.agreements:
            self._heading("What may have been agreed (each becomes an agreed action)")
            for agreement in reading.agreements:
                if agreement.text in agreed:
                    self._shown_only(f"{agreement.text} — already an agreed action")
                    continue
                finding = self._finding(agreement.text, ticked=agreement.strong)
                self.agreements.append((finding, agreement.text))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Keys first reach the first tick box (Space ticks it), not the list around them.
        findings = [*([self.headline] if self.headline else []), *self.days, *self.people]
        first = next(iter([*findings, *self.agreements]), None)
        if first is not None:
            first[0].box.setFocus()

    def _one_day_only(self, chosen: Finding, on: bool) -> None:
        if not on:
            return
        for finding, _ in self.days:
            if finding is not chosen:
                finding.box.setChecked(False)

    def chosen_subject(self) -> str | None:
        if self.headline is None or not self.headline[0].ticked():
            return None
        return self.headline[1]

    def chosen_published(self) -> date | None:
        """The day the release was posted, to be the source's publication date."""
        if self.published is None or not self.published[0].ticked():
            return None
        return self.published[1]

    def chosen_day(self) -> date | None:
        return next((found.day for finding, found in self.days if finding.ticked()), None)

    def chosen_people(self) -> list[NamedPerson]:
        return [person for finding, person in self.people if finding.ticked()]

    def chosen_agreements(self) -> list[str]:
        return [text for finding, text in self.agreements if finding.ticked()]
