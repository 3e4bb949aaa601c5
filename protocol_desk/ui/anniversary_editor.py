"""The anniversary editor, and the office's rules for anniversaries: where 29 February falls
in common years, and which years are jubilees."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.anniversaries import (
    DEFAULT_JUBILEE_LEAD_DAYS,
    DEFAULT_LEAD_DAYS,
    LEAP_DAY_RULE_LABELS,
    LeapDayRule,
)
from protocol_desk.domain.dates import MonthDay, parse_base_date
from protocol_desk.domain.errors import Problems, ValidationError
from protocol_desk.domain.models import (
    ANNIVERSARY_KIND_LABELS,
    Anniversary,
    AnniversaryKind,
    new_uid,
)
from protocol_desk.domain.validation import validate_anniversary
from protocol_desk.i18n import _, shown
from protocol_desk.services.anniversaries import (
    anniversary_record,
    get_anniversary,
    jubilee_rule,
    leap_day_rule,
    person_name,
    save_anniversary,
    save_rules,
    suggest_people,
)
from protocol_desk.services.database import Database
from protocol_desk.services.reference import ReferenceService
from protocol_desk.ui.day_words import base_date_text, date_text
from protocol_desk.ui.looks import (
    QUIET_STYLE,
)
from protocol_desk.ui.person_picker import PersonPicker
from protocol_desk.ui.record_editor import RecordEditor
from protocol_desk.ui.record_widgets import FieldErrors
from protocol_desk.ui.widgets import fill_combo, named, show_error, show_from_the_start


class AnniversaryEditor(RecordEditor[Anniversary]):
    """Adds or edits a typed anniversary. One that follows from a country's, organisation's or
    person's own date keeps its title and date; its lead time and notes are the office's."""

    record_kind = "anniversary"

    def __init__(
        self,
        store: Database,
        *,
        anniversary_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.reference = ReferenceService(store)
        self.saved_title = ""
        listing = get_anniversary(store, anniversary_id) if anniversary_id is not None else None
        self._derived = bool(listing and listing.derived)
        self._open_as(
            lambda shown: anniversary_record(store, shown),
            anniversary_id,
            "anniversaryEditor",
            (_("Edit anniversary"), _("New anniversary")),
            (560, 520),
        )

        self.kind = named(QComboBox(), "anniversaryKind", _("Kind"))
        for kind in AnniversaryKind:
            self.kind.addItem(_(ANNIVERSARY_KIND_LABELS[kind]), kind)
        self.kind.setCurrentIndex(self.kind.findData(AnniversaryKind.CUSTOM))
        self.title = named(QLineEdit(), "anniversaryTitle", _("Title"))
        self.title.setPlaceholderText(
            _("e.g. Signing of the Treaty on Friendship and Co-operation")
        )
        self.base_date = named(QLineEdit(), "anniversaryDate", _("Date"))
        self.base_date.setPlaceholderText(_("16.09.1992, or 16.09 when the year is unknown"))
        self.country = named(QComboBox(), "anniversaryCountry", _("Country"))
        fill_combo(self.country, "—", [(c.id, c.label) for c in self.reference.countries()])
        self.organisation = named(QComboBox(), "anniversaryOrganisation", _("Organisation"))
        fill_combo(
            self.organisation, "—", [(o.id, o.label) for o in self.reference.organisations()]
        )
        self.person = PersonPicker(lambda text: suggest_people(store, text))
        named(self.person, "anniversaryPerson", _("Person"))
        self.lead_days = named(QLineEdit(), "leadDays", _("Lead time in days"))
        self.lead_days.setMaximumWidth(110)
        self.lead_hint = QLabel()
        self.lead_hint.setStyleSheet(QUIET_STYLE)
        self.notes = named(QPlainTextEdit(), "anniversaryNotes", _("Notes"))
        self.derived_note = QLabel()
        self.derived_note.setObjectName("derivedNote")
        self.derived_note.setWordWrap(True)
        self.derived_note.setStyleSheet(QUIET_STYLE)
        self.derived_note.setVisible(self._derived)

        lead_row = QHBoxLayout()
        lead_row.addWidget(self.lead_days)
        lead_row.addWidget(self.lead_hint, 1)
        form = QFormLayout()
        form.addRow("", self.derived_note)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Title"), self.errors.field(self.title, ("title", self.title)))
        form.addRow(_("Date"), self.errors.field(self.base_date, ("base_date", self.base_date)))
        form.addRow(_("Country"), self.errors.field(self.country, ("country", self.country)))
        form.addRow(
            _("Organisation"),
            self.errors.field(self.organisation, ("organisation", self.organisation)),
        )
        form.addRow(_("Person"), self.errors.field(self.person, ("person", self.person)))
        form.addRow(_("Lead time"), self.errors.field(lead_row, ("lead_days", self.lead_days)))
        form.addRow(_("Notes"), self.errors.field(self.notes, ("notes", self.notes)))
        buttons = self.save_buttons("saveAnniversary")
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._update_hint)
        if self._original is not None:
            self._load(self._original, (listing.subject or listing.country) if listing else "")
            show_from_the_start(self)
        self._update_hint()
        self.loaded()

    def _load(self, anniversary: Anniversary, subject: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(anniversary.kind))
        self.title.setText(anniversary.title)
        base = anniversary.base_date
        self.base_date.setText(
            date_text(base) if isinstance(base, date) else f"{base.day:02d}.{base.month:02d}"
        )
        self.country.setCurrentIndex(max(self.country.findData(anniversary.country_id), 0))
        self.organisation.setCurrentIndex(
            max(self.organisation.findData(anniversary.organisation_id), 0)
        )
        if anniversary.person_id is not None:
            self.person.choose(
                anniversary.person_id, person_name(self.store, anniversary.person_id)
            )
        if anniversary.lead_days is not None:
            self.lead_days.setText(str(anniversary.lead_days))
        self.notes.setPlainText(anniversary.notes)
        if self._derived:
            for widget in (
                self.kind,
                self.title,
                self.base_date,
                self.country,
                self.organisation,
                self.person,
            ):
                widget.setEnabled(False)
            self.derived_note.setText(
                _(
                    "This anniversary follows from the date of {record} ({base}): change the "
                    "date there. The lead time and notes here are the office's own."
                ).format(record=subject or _("another record"), base=base_date_text(base))
            )

    def _update_hint(self) -> None:
        kind = AnniversaryKind(self.kind.currentData())
        self.lead_hint.setText(
            _("days before; empty: {usual} ({jubilee} for a jubilee)").format(
                usual=DEFAULT_LEAD_DAYS.get(kind, 14),
                jubilee=DEFAULT_JUBILEE_LEAD_DAYS.get(kind, 60),
            )
        )

    def collect(self, problems: Problems) -> Anniversary:
        """The anniversary as typed; every field at fault is noted in ``problems``."""
        if not self.title.text().strip():
            problems.add("title", _("The anniversary's title is required."))
        base: date | MonthDay | None = None
        with problems.at("base_date"):
            base = parse_base_date(self.base_date.text())
        lead_text = self.lead_days.text().strip()
        lead: int | None = None
        if lead_text and not lead_text.isdigit():
            problems.add(
                "lead_days",
                _(
                    "“{lead_text}” is not a number of days: write it like 30, or leave it "
                    "empty for the usual time."
                ).format(lead_text=lead_text),
            )
        elif lead_text:
            lead = int(lead_text)
        if self.person.text().strip() and self.person.person_id() is None:
            problems.add("person", _("Pick the person from the suggestions, or clear the field."))
        original = self._original
        return Anniversary(
            kind=AnniversaryKind(self.kind.currentData()),
            title=self.title.text().strip(),
            base_date=base,  # type: ignore[arg-type]  # None only beside a problem noted
            country_id=self.country.currentData(),
            organisation_id=self.organisation.currentData(),
            person_id=self.person.person_id(),
            lead_days=lead,
            notes=self.notes.toPlainText(),
            id=original.id if original else None,
            uid=original.uid if original else new_uid(),
            version=original.version if original else 0,
            provenance=original.provenance if original else "",
        )

    def validate(self, record: Anniversary) -> None:
        validate_anniversary(record)

    def write(self, record: Anniversary) -> Anniversary:
        saved = save_anniversary(self.store, record)
        self.saved_title = saved.title
        return saved

    def describe(self, saved: Anniversary) -> str:
        return f"{base_date_text(saved.base_date)} — {saved.title}"


class RulesDialog(QDialog):
    """The office's rules: where 29 February falls in common years, and which years are
    jubilees."""

    def __init__(self, store: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("anniversaryRulesDialog")
        self.setWindowTitle(_("Anniversary rules"))
        general = QLabel()
        general.setObjectName("rulesError")
        self.errors = FieldErrors(general)
        self.leap_buttons = QButtonGroup(self)
        leap_row = QHBoxLayout()
        current = leap_day_rule(store)
        for rule in LeapDayRule:
            button = named(
                QRadioButton(_(LEAP_DAY_RULE_LABELS[rule])),
                f"leap_{rule.value}",
                _(LEAP_DAY_RULE_LABELS[rule]),
            )
            button.setProperty("rule", rule.value)
            button.setChecked(rule is current)
            self.leap_buttons.addButton(button)
            leap_row.addWidget(button)
        leap_row.addStretch(1)
        jubilees = jubilee_rule(store)
        self.every = named(QLineEdit(str(jubilees.every)), "jubileeEvery", _("Jubilee every"))
        self.every.setMaximumWidth(60)
        self.major = named(
            QLineEdit(", ".join(str(n) for n in jubilees.major)),
            "jubileeMajor",
            _("Major jubilees"),
        )
        form = QFormLayout()
        form.addRow(_("29 February in common years"), leap_row)
        form.addRow(
            _("A jubilee every"),
            self.errors.field(self.every, ("jubilee_every", self.every)),
        )
        form.addRow(
            _("Major jubilees"),
            self.errors.field(self.major, ("jubilee_major", self.major)),
        )
        hint = QLabel(_("Every 50th year beyond the list is major too (150th, 200th…)."))
        hint.setStyleSheet(QUIET_STYLE)
        form.addRow("", hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        named(buttons.button(QDialogButtonBox.StandardButton.Save), "saveRules", _("Save rules"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(buttons)

    def save(self) -> None:
        self.errors.clear()
        checked = self.leap_buttons.checkedButton()
        rule = checked.property("rule") if checked else LeapDayRule.FEB_28.value
        try:
            save_rules(self.store, rule, self.every.text(), self.major.text())
        except ValidationError as error:
            self.errors.show(error.field, shown(error.message))
            return
        except Exception as error:
            show_error(self, error)
            return
        self.accept()
