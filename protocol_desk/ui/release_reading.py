"""The review of what a press release offers the meeting being logged: every item with a
tick box, the words it came from highlighted in the release beside the list, and a field to
correct it (a name, a title, an action's text) before anything is taken. Ticked to start
with: what the text leaves no doubt about, and only where the meeting has nothing yet."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.dates import format_date
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import DOCUMENT_KIND_LABELS
from protocol_desk.i18n import _, shown
from protocol_desk.services.release_offer import OfferedPerson, ReleaseOffer
from protocol_desk.ui.looks import QUIET_STYLE
from protocol_desk.ui.widgets import named, ok_cancel

if TYPE_CHECKING:
    from PySide6.QtGui import QMouseEvent, QShowEvent

_SIDES = {"ours": N_("our side"), "counterpart": N_("counterpart")}
_FORMATS = {
    "in_person": N_("In person"),
    "video": N_("Video conference"),
    "phone": N_("Phone call"),
    "margins": N_("On the margins of an event"),
}
# What the reading finds an anniversary of, as the window says it.
_RELEASE_ANNIVERSARIES = {"diplomatic relations": N_("diplomatic relations")}
_HIGHLIGHT = QColor("#ffe38a")


class Finding(QWidget):
    """One suggestion: a tick box, its text, and (for what may need correcting) a field with
    the value to take. A click on the text ticks it and shows where it came from."""

    def __init__(
        self,
        text: str,
        *,
        ticked: bool,
        evidence: str = "",
        value: str | None = None,
        dialog: ReleaseReadingDialog | None = None,
        quoted: bool = True,
    ) -> None:
        super().__init__()
        self.evidence = evidence
        self.dialog = dialog
        self.box = QCheckBox()
        self.box.setChecked(ticked)
        self.box.setAccessibleName(text)
        self.box.toggled.connect(lambda _on: self.show_evidence())
        self.label = QLabel(text)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        if evidence and quoted:
            self.label.setToolTip(_("From: “{words}”").format(words=evidence[:300]))
        elif evidence:  # a reason the reading gives of its own ("named 3 times")
            self.label.setToolTip(shown(evidence))
        self.edit: QLineEdit | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 1, 0, 1)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.label)
        if value is not None:
            self.edit = QLineEdit(value)
            self.edit.setAccessibleName(_("Correct: {item}").format(item=text))
            self.edit.setCursorPosition(0)
            column.addWidget(self.edit)
        layout.addLayout(column, 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
        event.accept()

    def show_evidence(self) -> None:
        if self.dialog is not None:
            self.dialog.show_evidence(self.evidence)

    def ticked(self) -> bool:
        return self.box.isChecked()

    def value(self) -> str:
        return " ".join(self.edit.text().split()) if self.edit is not None else ""


class ReleaseReadingDialog(QDialog):
    """What the release says, grouped, each item with a tick box. People already taking
    part and actions already agreed are shown, not offered again."""

    def __init__(
        self,
        offer: ReleaseOffer,
        text: str = "",
        *,
        has_date: bool,
        taking_part: set[int],
        typed_day: date | None = None,
        has_subject: bool = True,
        agreed: set[str] | None = None,
        has_published: bool = True,
        known_countries: set[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("releaseReading")
        self.setWindowTitle(_("Read the release"))
        self.resize(1100, 680)
        self.offer = offer
        self._words = " ".join(text.split())
        intro = QLabel(
            _(
                "What the release seems to say. Tick what to take into the meeting and correct "
                "it where needed; click an item to see the words it came from. Nothing is saved "
                "until you save the meeting."
            )
        )
        intro.setWordWrap(True)
        body = QWidget()
        self._list = QVBoxLayout(body)
        self.subject: Finding | None = None
        self.days: list[tuple[Finding, date]] = []
        self.published: tuple[Finding, date] | None = None
        self.format: Finding | None = None
        self.country: Finding | None = None
        self.place: Finding | None = None
        self.people: list[tuple[Finding, OfferedPerson]] = []
        self.documents: list[tuple[Finding, dict[str, Any]]] = []
        self.agreements: list[tuple[Finding, str]] = []
        self.visit: Finding | None = None
        self.relations: list[tuple[Finding, dict[str, Any]]] = []
        self._fill(
            offer,
            has_date,
            typed_day,
            has_subject,
            taking_part,
            agreed or set(),
            has_published,
            known_countries,
        )
        self._list.addStretch(1)
        scroll = named(QScrollArea(), "releaseFindings", _("What the release says"))
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.release = named(QTextBrowser(), "releaseText", _("The release"))
        self.release.setPlainText(text)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(self.release)
        splitter.setSizes([600, 480])
        buttons = ok_cancel(self, self.accept, _("Take the ticked"), "takeFindings")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    # --- building ---------------------------------------------------------------------------
    def _heading(self, text: str, name: str = "") -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setObjectName(name)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self._list.addWidget(label)
        return label

    def _finding(
        self, text: str, ticked: bool, evidence: str = "", value: str | None = None
    ) -> Finding:
        # The tooltip quotes the release; a reason the reading gives of its own is not quoted.
        quoted = " ".join(evidence.split()[:5]) in self._words
        finding = Finding(
            text, ticked=ticked, evidence=evidence, value=value, dialog=self, quoted=quoted
        )
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
        offer: ReleaseOffer,
        has_date: bool,
        typed_day: date | None,
        has_subject: bool,
        taking_part: set[int],
        agreed: set[str],
        has_published: bool,
        known_countries: set[str] | None,
    ) -> None:
        if not (offer.date or offer.people or offer.actions or offer.documents_signed):
            self._heading(
                _("The text gives no day, names no one, and says nothing of an agreement."),
                "nothingFound",
            )
        if offer.subject:
            self._heading(_("Subject"))
            self.subject = self._finding(
                _("The headline, shortened"), not has_subject, offer.subject, offer.subject
            )
        self._fill_day(offer, has_date, typed_day)
        self._heading(_("Format and place"))
        self.format = self._finding(
            _(_FORMATS[offer.format["value"]])
            + (f": {offer.format['event']}" if offer.format.get("event") else ""),
            offer.format["value"] != "in_person",
            offer.format.get("evidence", ""),
        )
        if offer.country:
            missing = known_countries is not None and offer.country["iso"] not in known_countries
            label = _("Country: {name} ({iso})").format(
                name=offer.country["name"], iso=offer.country["iso"]
            )
            if missing:
                label += " — " + _("new to the office: added to its countries when taken")
            self.country = self._finding(label, offer.country["ticked"], offer.country["evidence"])
        if offer.place:
            where = ", ".join(x for x in (offer.place.get("venue"), offer.place.get("city")) if x)
            self.place = self._finding(
                _("Place (venue, city)"), offer.place["ticked"], offer.place["evidence"], where
            )
        self._fill_people(offer, taking_part)
        if offer.organisations:
            self._heading(_("Organisations named"))
            for organisation in offer.organisations:
                known = (
                    _("in the office's list")
                    if organisation["id"]
                    else _("new: created with the person who holds a post in it")
                )
                self._shown_only(f"{organisation['name']} ({known})")
        if offer.documents_signed:
            self._heading(_("Documents signed (each kept with the meeting, never an action)"))
            for document in offer.documents_signed:
                kind = _(DOCUMENT_KIND_LABELS.get(document["kind"], document["kind"]))
                finding = self._finding(
                    _("{kind} — title:").format(kind=kind[:1].upper() + kind[1:]),
                    document["ticked"],
                    document["evidence"],
                    document["title"],
                )
                self.documents.append((finding, document))
        if offer.actions:
            self._heading(_("Agreed actions (each becomes an agreed action)"))
            for action in offer.actions:
                if action["text"] in agreed:
                    self._shown_only(action["text"] + " — " + _("already an agreed action"))
                    continue
                label = _("Agreed:") if action["ticked"] else _("Perhaps (a plan or a view):")
                finding = self._finding(label, action["ticked"], action["evidence"], action["text"])
                self.agreements.append((finding, action["text"]))
        if offer.visit:
            visit = offer.visit
            head = visit["head"] or "—"
            if visit["direction"] == "incoming":
                lines = [_("Incoming visit, headed by {head}").format(head=head)]
            else:
                lines = [_("Outgoing visit, headed by {head}").format(head=head)]
            if visit["members"]:
                lines.append(_("members: {names}").format(names=", ".join(visit["members"])))
            if visit["host"]:
                lines.append(_("hosted by {host}").format(host=visit["host"]))
            if visit["start"]:
                span = visit["start"]
                if visit["end"]:
                    span = _("{start} to {end}").format(start=visit["start"], end=visit["end"])
                lines.append(span)
            if visit["programme"]:
                lines.append(_("programme: {items}").format(items="; ".join(visit["programme"])))
            self._heading(_("Visit"))
            self.visit = self._finding(
                _("Create the visit and link the meeting to it — {visit}").format(
                    visit="; ".join(lines)
                ),
                bool(visit.get("ticked")),
                visit["evidence"],
            )
        if offer.anniversaries:
            self._heading(_("Anniversaries mentioned"))
            for anniversary in offer.anniversaries:
                office = anniversary.get("office_year")
                country = anniversary["country"] or "?"
                if offer.country and offer.country["iso"] == anniversary["country"]:
                    country = offer.country["name"]
                said = _("{ordinal}th anniversary of {kind} with {country}: since {year}").format(
                    ordinal=anniversary["ordinal"],
                    kind=_(_RELEASE_ANNIVERSARIES.get(anniversary["kind"], anniversary["kind"])),
                    country=country,
                    year=anniversary["year"],
                )
                if office is None and anniversary["country"]:
                    # The office has no date: the year alone is kept with the country.
                    self.relations.append(
                        (
                            self._finding(
                                said
                                + " — "
                                + _("keep {year} as the year relations were established").format(
                                    year=anniversary["year"]
                                ),
                                bool(anniversary["ticked"]),
                                anniversary["evidence"],
                            ),
                            anniversary,
                        )
                    )
                    continue
                check = (
                    " (" + _("the office has no date yet") + ")"
                    if office is None
                    else (
                        " (" + _("agrees with the office's date") + ")"
                        if office == anniversary["year"]
                        else " — " + _("the office has {year}: check").format(year=office)
                    )
                )
                self._shown_only(said + check)
        if offer.posting_date is not None and not has_published:
            self._heading(_("The source"))
            self.published = (
                self._finding(
                    _("Published on {posted}").format(posted=format_date(offer.posting_date)),
                    True,
                ),
                offer.posting_date,
            )

    def _fill_day(self, offer: ReleaseOffer, has_date: bool, typed_day: date | None) -> None:
        offered: list[tuple[str, date, bool, str]] = []
        if offer.date:
            day = date.fromisoformat(offer.date["value"])
            label = format_date(day)
            if offer.end_date:
                label += " (" + _("to {day}").format(day=format_date(offer.end_date)) + ")"
            if not offer.date["ticked"] and day == offer.posting_date:
                label += " (" + _("when the release was posted: the text gives no other day") + ")"
            offered.append((label, day, offer.date["ticked"], offer.date["evidence"]))
        if offer.posting_date and all(
            d != offer.posting_date for _label, d, _ticked, _evidence in offered
        ):
            offered.append(
                (
                    format_date(offer.posting_date) + " (" + _("when the release was posted") + ")",
                    offer.posting_date,
                    False,
                    "",
                )
            )
        if not offered:
            return
        self._heading(_("The meeting's day (one)"))
        for label, day, ticked, evidence in offered:
            if typed_day is not None and day != typed_day:
                label += " — " + _("not the date typed, {day}").format(day=format_date(typed_day))
            finding = self._finding(label, ticked and not has_date, evidence)
            finding.box.toggled.connect(lambda on, f=finding: self._one_day_only(f, on))
            self.days.append((finding, day))

    def _fill_people(self, offer: ReleaseOffer, taking_part: set[int]) -> None:
        if not offer.people:
            return
        self._heading(_("People named"))
        for person in offer.people:
            known = person.person_id is not None
            side = _SIDES.get(person.side)
            label = f"{person.name}, {_(side) if side else person.side}"
            if person.title:
                label += f", {person.title}"
            if person.organisation:
                label += f", {person.organisation}"
            if known and person.as_written != person.name:
                label += " — " + _("written “{written}” ({how})").format(
                    written=person.as_written, how=shown(person.how)
                )
            if not known:
                label += " — " + _("new: created when taken (name to check:)")
            if not person.ticked:
                label += " (" + _("named in passing: tick if they took part") + ")"
            if known and person.person_id in taking_part:
                self._shown_only(label + " — " + _("already taking part"))
                continue
            finding = self._finding(
                label,
                # A meeting that has its participants already gets no more without a look.
                person.ticked and not taking_part,
                person.evidence,
                None if known else person.name,
            )
            self.people.append((finding, person))

    # --- evidence ---------------------------------------------------------------------------
    def show_evidence(self, evidence: str) -> None:
        """Highlight the words an item came from in the release beside the list."""
        document = self.release.document()
        found = QTextCursor()
        words = evidence.split()
        for probe in (" ".join(words[:12]), " ".join(words[:5]), " ".join(words[:2])):
            if probe:
                found = document.find(probe)
                if not found.isNull():
                    break
        selections = []
        if not found.isNull():
            block = found.block()
            cursor = QTextCursor(block)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            if len(evidence) < cursor.selectionEnd() - cursor.selectionStart():
                cursor = found
                cursor.movePosition(
                    QTextCursor.MoveOperation.Right,
                    QTextCursor.MoveMode.KeepAnchor,
                    max(0, len(evidence) - len(found.selectedText())),
                )
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            look = QTextCharFormat()
            look.setBackground(_HIGHLIGHT)
            selection.format = look
            selections.append(selection)
            self.release.setTextCursor(QTextCursor(found.block()))
            self.release.ensureCursorVisible()
        self.release.setExtraSelections(selections)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        findings = [
            *([self.subject] if self.subject else []),
            *(f for f, _day in self.days),
            *(f for f, _person in self.people),
        ]
        if findings:
            findings[0].box.setFocus()
            first_ticked = next((f for f in findings if f.ticked() and f.evidence), None)
            if first_ticked is not None:
                self.show_evidence(first_ticked.evidence)

    def _one_day_only(self, chosen: Finding, on: bool) -> None:
        if not on:
            return
        for finding, _day in self.days:
            if finding is not chosen:
                finding.box.setChecked(False)

    # --- what was chosen --------------------------------------------------------------------
    def chosen_subject(self) -> str | None:
        if self.subject is None or not self.subject.ticked():
            return None
        return self.subject.value() or None

    def chosen_published(self) -> date | None:
        if self.published is None or not self.published[0].ticked():
            return None
        return self.published[1]

    def chosen_day(self) -> date | None:
        return next((day for finding, day in self.days if finding.ticked()), None)

    def chosen_format(self) -> str | None:
        if self.format is None or not self.format.ticked():
            return None
        return str(self.offer.format["value"])

    def chosen_occasion(self) -> str:
        return str(self.offer.format.get("event") or "") if self.chosen_format() else ""

    def chosen_country(self) -> tuple[str, str] | None:
        """The country's ISO code and name."""
        if self.country is None or not self.country.ticked() or not self.offer.country:
            return None
        return str(self.offer.country["iso"]), str(self.offer.country["name"])

    def chosen_place(self) -> tuple[str, str] | None:
        """The venue and the city, as corrected."""
        if self.place is None or not self.place.ticked() or not self.offer.place:
            return None
        city = self.offer.place.get("city") or ""
        venue = self.offer.place.get("venue") or ""
        typed = self.place.value()
        if typed != ", ".join(x for x in (venue, city) if x):
            venue, _comma, city = typed.rpartition(",")
        return venue.strip(), city.strip()

    def chosen_people(self) -> list[OfferedPerson]:
        chosen = []
        for finding, person in self.people:
            if finding.ticked():
                if person.person_id is None and finding.value():
                    person.name = finding.value()
                chosen.append(person)
        return chosen

    def chosen_agreements(self) -> list[str]:
        return [finding.value() or text for finding, text in self.agreements if finding.ticked()]

    def chosen_documents(self) -> list[dict[str, Any]]:
        return [
            {**document, "title": finding.value() or document["title"]}
            for finding, document in self.documents
            if finding.ticked()
        ]

    def chosen_relations(self) -> list[dict[str, Any]]:
        """The anniversaries whose year of relations is to be kept, as ticked."""
        return [{**a, "ticked": f.ticked()} for f, a in self.relations if f.ticked()]

    def chosen_visit(self) -> dict[str, Any] | None:
        if self.visit is None or not self.visit.ticked():
            return None
        return self.offer.visit
