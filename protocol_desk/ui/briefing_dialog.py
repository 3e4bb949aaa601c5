"""The briefing dialog: choose the counterpart and options, edit talking points; print or
preview the note straight away, or save it as a PDF (made off the GUI thread) and open it."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QObject,
    QRunnable,
    QStandardPaths,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.language import Language
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _, current_language, ngettext
from protocol_desk.services.briefing import (
    DEFAULT_DAYS,
    SECTION_TITLES,
    SUBJECT_KIND_LABELS,
    Briefing,
    BriefingOptions,
    PageSize,
    Section,
    Subject,
    SubjectChoice,
    SubjectKind,
    collect_briefing,
    note_marking,
    saved_marking,
    subject_choices,
    subject_label,
    suggest_talking_points,
)
from protocol_desk.services.database import Database
from protocol_desk.ui.widgets import named, show_error


def default_file_name(briefing: Briefing) -> str:
    """``Briefing - Belarus - 2022-09-01.pdf``, safe on every file system."""
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", briefing.title)
    title = " ".join(title.split())[:80].strip(" .") or "note"
    return _("Briefing - {title} - {as_of}.pdf").format(
        title=title, as_of=briefing.as_of.isoformat()
    )


def talking_points_from_text(text: str) -> list[str]:
    """One point per line; blank lines are not points."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class _RenderSignals(QObject):
    progress = Signal(int, int)
    done = Signal(object, int)  # path, pages
    failed = Signal(object)  # the exception


class RenderJob(QRunnable):
    """Renders an already collected note to a file in a pool thread; talks back only through
    signals, which Qt delivers on the GUI thread."""

    def __init__(self, briefing: Briefing, path: Path) -> None:
        super().__init__()
        self.briefing = briefing
        self.path = path
        self.signals = _RenderSignals()

    def run(self) -> None:
        from protocol_desk.reports.briefing_pdf import render_briefing  # reportlab on demand

        try:
            # Written beside the target and then moved, so a failure never leaves half a file.
            handle, temporary = tempfile.mkstemp(
                suffix=".pdf", prefix=".briefing-", dir=self.path.parent
            )
            os.close(handle)
            try:
                pages = render_briefing(
                    self.briefing,
                    temporary,
                    lambda done, total: self.signals.progress.emit(done, total),
                )
                os.replace(temporary, self.path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        except Exception as error:  # reported on the GUI thread by the dialog
            self.signals.failed.emit(error)
            return
        self.signals.done.emit(self.path, pages)


LANGUAGE_NAMES = {
    Language.KAZAKH: "Қазақша",
    Language.RUSSIAN: "Русский",
    Language.ENGLISH: "English",
}


# The paper sizes as a person names them.
PAGE_SIZE_NAMES = {PageSize.A4: N_("A4"), PageSize.LETTER: N_("Letter (US)")}


class BriefingDialog(QDialog):
    """Options for a briefing note, and the note itself once made."""

    generated = Signal(object)  # path of the PDF written

    def __init__(
        self,
        store: Database,
        subject: Subject | None = None,
        *,
        as_of: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.briefing: Briefing | None = None
        self.pdf_path: Path | None = None
        self._saved_subject: Subject | None = None  # what the saved PDF is about
        self._job: RenderJob | None = None
        self._printing = False
        self._preview = False
        self._job_subject: Subject | None = None
        self._filling_points = False
        self._points_edited = False
        self.setWindowTitle(_("Briefing note"))
        self.setObjectName("briefingDialog")
        self.setMinimumWidth(760)

        self.kind = named(QComboBox(), "briefingKind", _("Kind of subject"))
        for kind in SubjectKind:
            self.kind.addItem(_(SUBJECT_KIND_LABELS[kind]), kind)
        self.subject = named(QComboBox(), "briefingSubject", _("Subject of the note"))
        self.subject.setEditable(True)
        self.subject.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.subject.setMinimumContentsLength(40)
        self.subject.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        completer = self.subject.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.as_of = named(QDateEdit(), "briefingAsOf", _("As of"))
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("dd.MM.yyyy")
        day = as_of or date.today()
        self.as_of.setDate(QDate(day.year, day.month, day.day))
        self.days = named(QSpinBox(), "briefingDays", _("Look ahead, days"))
        self.days.setRange(0, 3650)
        self.days.setSuffix(_(" days"))
        self.days.setValue(DEFAULT_DAYS)
        self.marking = named(QLineEdit(), "briefingMarking", _("Classification marking"))
        # The standard marking reads in the window's language; the office's own as written.
        self.marking.setText(note_marking(saved_marking(store), current_language()))
        self.marking.setPlaceholderText(_("none"))
        self.page_size = named(QComboBox(), "briefingPageSize", _("Page size"))
        for size in PageSize:
            self.page_size.addItem(_(PAGE_SIZE_NAMES[size]), size)
        # The note's language, apart from the window's; each language named in itself.
        self.note_language = named(QComboBox(), "briefingLanguage", _("Language of the note"))
        for language, name in LANGUAGE_NAMES.items():
            self.note_language.addItem(name, language)
        self.note_language.setCurrentIndex(list(LANGUAGE_NAMES).index(current_language()))

        subject_row = QHBoxLayout()
        subject_row.addWidget(self.kind)
        subject_row.addWidget(self.subject, 1)
        when_row = QHBoxLayout()
        when_row.addWidget(self.as_of)
        when_row.addSpacing(16)
        when_row.addWidget(QLabel(_("Look ahead")))
        when_row.addWidget(self.days)
        when_row.addStretch(1)
        print_row = QHBoxLayout()
        print_row.addWidget(self.marking, 1)
        print_row.addSpacing(16)
        print_row.addWidget(QLabel(_("Page size")))
        print_row.addWidget(self.page_size)
        print_row.addSpacing(16)
        print_row.addWidget(QLabel(_("Language")))
        print_row.addWidget(self.note_language)
        form = QFormLayout()
        form.addRow(_("Brief on"), subject_row)
        form.addRow(_("As of"), when_row)
        form.addRow(_("Marking"), print_row)

        sections_box = QGroupBox(_("Sections"))
        grid = QGridLayout(sections_box)
        self.section_boxes: dict[Section, QCheckBox] = {}
        for index, section in enumerate(Section):
            box = named(
                QCheckBox(_(SECTION_TITLES[section])),
                f"briefingSection_{section.value}",
                _(SECTION_TITLES[section]),
            )
            box.setChecked(True)
            self.section_boxes[section] = box
            grid.addWidget(box, index // 2, index % 2)
        self.page_per_section = named(
            QCheckBox(_("Start each section on a new page")),
            "briefingSectionPerPage",
            _("Start each section on a new page"),
        )
        self.page_per_section.setToolTip(_("Otherwise sections follow one another on the page"))
        grid.addWidget(self.page_per_section, (len(Section) + 1) // 2, 0, 1, 2)

        points_box = QGroupBox(_("Talking points"))
        points_layout = QVBoxLayout(points_box)
        self.points = named(QPlainTextEdit(), "briefingTalkingPoints", _("Talking points"))
        self.points.setPlaceholderText(_("One point per line; blank lines are ignored."))
        self.points.setMinimumHeight(140)
        self.points.textChanged.connect(self._points_changed)
        self.suggest = named(QPushButton(_("Suggest again")), "briefingSuggest", _("Suggest again"))
        self.suggest.setToolTip(
            _("Replace the points with ones drawn from open actions and near anniversaries")
        )
        self.suggest.clicked.connect(self.refill_points)
        points_layout.addWidget(self.points)
        suggest_row = QHBoxLayout()
        suggest_row.addStretch(1)
        suggest_row.addWidget(self.suggest)
        points_layout.addLayout(suggest_row)

        self.summary = named(QLabel(), "briefingSummary", _("What the note holds"))
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = named(QProgressBar(), "briefingProgress", _("Progress"))
        self.progress.setVisible(False)
        self.status = named(QLabel(), "briefingStatus", _("Status"))
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.print_button = named(QPushButton(_("Print…")), "briefingPrint", _("Print the note"))
        self.print_button.setToolTip(_("Print the note as it is set up here (Ctrl+P)"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(lambda: self.print_note(preview=False))
        self.preview_button = named(
            QPushButton(_("Print preview…")), "briefingPreview", _("Print preview")
        )
        self.preview_button.setToolTip(_("See the pages before printing them"))
        self.preview_button.clicked.connect(lambda: self.print_note(preview=True))
        self.save_button = named(QPushButton(_("Save as PDF…")), "briefingSave", _("Save as PDF"))
        self.save_button.setToolTip(_("Write the note to a PDF file (Ctrl+S)"))
        self.save_button.clicked.connect(self.choose_file_and_generate)
        self.open_button = named(
            QPushButton(_("Open PDF")), "briefingOpen", _("Open the saved PDF")
        )
        self.open_button.setToolTip(_("Open the PDF saved for this subject in the PDF viewer"))
        self.open_button.clicked.connect(self.open_pdf)
        QShortcut(QKeySequence.StandardKey.Print, self, lambda: self.print_note(preview=False))
        QShortcut(QKeySequence.StandardKey.Save, self, self.choose_file_and_generate)
        close = named(QPushButton(_("Close")), "briefingClose", _("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(sections_box)
        layout.addWidget(points_box, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        # Typing a date or a number of days re-reads the database once the typing pauses.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(250)
        self._refresh_timer.timeout.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.subject.activated.connect(lambda _i: self._subject_changed())
        self.as_of.dateChanged.connect(lambda _d: self._refresh_timer.start())
        self.days.valueChanged.connect(lambda _v: self._refresh_timer.start())
        self.note_language.currentIndexChanged.connect(lambda _i: self._refresh_timer.start())

        self._set_done(None)
        if subject is not None:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(self.kind.findData(subject.kind))
            self.kind.blockSignals(False)
        self._fill_subjects(subject)
        self.refresh()

    # --- subject ----------------------------------------------------------------------------
    def current_kind(self) -> SubjectKind:
        return SubjectKind(self.kind.currentData())

    def current_subject(self) -> Subject | None:
        data = self.subject.currentData()
        if isinstance(data, Subject) and self.subject.currentText() == self.subject.itemText(
            self.subject.currentIndex()
        ):
            return data
        # Typed text: the entry that matches it exactly, in any case.
        typed = self.subject.currentText().strip().casefold()
        for row in range(self.subject.count()):
            if self.subject.itemText(row).casefold() == typed:
                found = self.subject.itemData(row)
                return found if isinstance(found, Subject) else None
        return None

    def as_of_date(self) -> date:
        value = self.as_of.date()
        return date(value.year(), value.month(), value.day())

    def _fill_subjects(self, selected: Subject | None = None) -> None:
        kind = self.current_kind()
        try:
            choices = subject_choices(self.store, kind, self.as_of_date())
            if selected is not None and all(c.subject != selected for c in choices):
                choices.insert(0, SubjectChoice(selected, subject_label(self.store, selected)))
        except Exception as error:
            show_error(self, error, _("Cannot list subjects"))
            choices = []
        self.subject.blockSignals(True)
        self.subject.clear()
        for choice in choices:
            self.subject.addItem(choice.label, choice.subject)
        if selected is not None:
            index = next(
                (i for i in range(self.subject.count()) if self.subject.itemData(i) == selected), 0
            )
            self.subject.setCurrentIndex(index)
        self.subject.blockSignals(False)

    def _kind_changed(self) -> None:
        self._fill_subjects()
        self._points_edited = False
        self.refresh()

    def _subject_changed(self) -> None:
        self._points_edited = False
        self.refresh()

    # --- collecting -------------------------------------------------------------------------
    def options(self) -> BriefingOptions:
        return BriefingOptions(
            as_of=self.as_of_date(),
            days=self.days.value(),
            sections=tuple(s for s, box in self.section_boxes.items() if box.isChecked()),
            marking=self.marking.text().strip(),
            page_size=PageSize(self.page_size.currentData()),
            section_per_page=self.page_per_section.isChecked(),
            language=Language(self.note_language.currentData()),
        )

    def refresh(self) -> None:
        """Read the note's data for the chosen subject (fast: on the GUI thread)."""
        self._refresh_timer.stop()
        subject = self.current_subject()
        if subject != self._saved_subject:
            self._set_done(None)  # no button may refer to another subject's file
        if subject is None:
            self.briefing = None
            self.summary.setText(_("Choose what to brief on."))
            self._enable()
            return
        try:
            self.briefing = collect_briefing(self.store, subject, self.options())
        except Exception as error:
            self.briefing = None
            self._enable()
            show_error(self, error, _("Cannot prepare the note"))
            return
        self._enable()
        self.setWindowTitle(_("Briefing note — {title}").format(title=self.briefing.title))
        self.summary.setText(_summary(self.briefing))
        if not self._points_edited:
            self._show_points(self.briefing.talking_points)

    def refill_points(self) -> None:
        if self.briefing is not None:
            self._show_points(suggest_talking_points(self.briefing))
            self._points_edited = False

    def _show_points(self, points: list[str]) -> None:
        self._filling_points = True
        self.points.setPlainText("\n\n".join(points))
        self._filling_points = False

    def _points_changed(self) -> None:
        if not self._filling_points:
            self._points_edited = True

    def final_briefing(self) -> Briefing | None:
        """The collected note with the officer's choices and edited talking points applied."""
        if self._refresh_timer.isActive():
            self.refresh()  # a date or number typed a moment ago counts
        if self.briefing is None:
            return None
        options = self.options()
        return replace(
            self.briefing,
            marking=note_marking(options.marking, options.language),
            page_size=options.page_size,
            sections=options.sections,
            section_per_page=options.section_per_page,
            talking_points=talking_points_from_text(self.points.toPlainText()),
        )

    # --- generating -------------------------------------------------------------------------
    def choose_file_and_generate(self) -> None:
        if self.briefing is None or self._job is not None:
            return
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        ) or str(Path.home())
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save briefing note"),
            str(Path(folder) / default_file_name(self.briefing)),
            "PDF (*.pdf)",
        )
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.generate(Path(path))

    def generate(self, path: Path) -> None:
        """Render the note to ``path`` in a pool thread; the dialog stays responsive."""
        self._start(path, printing=False)

    def print_note(self, *, preview: bool) -> None:
        """Print (or preview) the note as it is set up now: rendered to a temporary PDF in a
        pool thread, then painted onto the printer; nothing needs saving first."""
        if self.briefing is None or self._job is not None:
            return
        handle, name = tempfile.mkstemp(suffix=".pdf", prefix="protocol-desk-briefing-")
        os.close(handle)
        self._preview = preview
        self._start(Path(name), printing=True)

    def _start(self, path: Path, *, printing: bool) -> None:
        briefing = self.final_briefing()
        if briefing is None or self._job is not None:
            if printing:
                _remove(path)
            return
        job = RenderJob(briefing, path)
        job.signals.progress.connect(self._on_progress)
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self._job = job
        self._printing = printing
        self._job_subject = briefing.subject
        self._enable()
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setVisible(True)
        self.status.setText(
            (
                _("Preparing the note on {title}…")
                if printing
                else _("Making the note on {title}…")
            ).format(title=briefing.title)
        )
        QThreadPool.globalInstance().start(job)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))

    def _on_done(self, path: object, pages: int) -> None:
        self._job = None
        self.progress.setVisible(False)
        assert isinstance(path, Path)
        if self._printing:
            self._printing = False
            self._enable()
            self._print_file(path, pages)
            return
        self.status.setText(
            ngettext("Saved {path} ({n} page).", "Saved {path} ({n} pages).", pages).format(
                path=path, n=pages
            )
        )
        if self._job_subject == self.current_subject():  # not if the subject changed meanwhile
            self._saved_subject = self._job_subject
            self.pdf_path = path
        self._enable()
        self.generated.emit(path)

    def _print_file(self, path: Path, pages: int) -> None:
        from protocol_desk.ui.printing import print_pdf

        try:
            sent = print_pdf(self, path, preview=self._preview)
        except Exception as error:
            show_error(self, error, _("Not printed"))
            sent = False
        finally:
            _remove(path)
        if sent:
            self.status.setText(
                ngettext(
                    "Sent {n} page to the printer.", "Sent {n} pages to the printer.", pages
                ).format(n=pages)
            )
        else:
            self.status.setText("")

    def _on_failed(self, error: object) -> None:
        self._job = None
        self.progress.setVisible(False)
        self._enable()
        printing, self._printing = self._printing, False
        self.status.setText(
            _("The note was not printed.") if printing else _("The note was not saved.")
        )
        show_error(
            self,
            error if isinstance(error, BaseException) else RuntimeError(str(error)),
            _("Not printed") if printing else _("Not saved"),
        )

    def is_busy(self) -> bool:
        return self._job is not None

    def _enable(self) -> None:
        ready = self.briefing is not None and self._job is None
        for button in (self.print_button, self.preview_button, self.save_button):
            button.setEnabled(ready)
        self.open_button.setEnabled(self.pdf_path is not None and self._job is None)

    def _set_done(self, path: Path | None) -> None:
        self.pdf_path = path
        if path is None:
            self._saved_subject = None
            self.status.setText("")
        self.open_button.setEnabled(path is not None and self._job is None)

    # --- after ------------------------------------------------------------------------------
    def open_pdf(self) -> bool:
        if self.pdf_path is None:
            return False
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf_path)))
        if not opened:
            QMessageBox.information(
                self,
                _("No PDF viewer"),
                _(
                    "No program to show PDF files was found on this computer. The note is "
                    "saved as\n{pdf_path}\nUse Print… or Print preview… here to print it."
                ).format(pdf_path=self.pdf_path),
            )
        return bool(opened)

    def reject(self) -> None:
        if self._job is not None:
            QMessageBox.information(
                self, _("Still working"), _("The note is still being made; it takes a moment.")
            )
            return
        super().reject()


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _summary(briefing: Briefing) -> str:
    """One line on what the note will hold, so an empty one is no surprise."""
    parts = []
    purposes = len(briefing.purposes)
    profiles = len(briefing.profiles)
    history = len(briefing.history)
    actions = len(briefing.open_actions) + briefing.more_open_actions
    anniversaries = len(briefing.relations.anniversaries) if briefing.relations else 0
    counts = [
        (purposes, ngettext("{n} event ahead", "{n} events ahead", purposes)),
        (profiles, ngettext("{n} profile", "{n} profiles", profiles)),
        (history, ngettext("{n} previous meeting", "{n} previous meetings", history)),
        (actions, ngettext("{n} open action", "{n} open actions", actions)),
        (anniversaries, ngettext("{n} anniversary", "{n} anniversaries", anniversaries)),
    ]
    for n, text in counts:
        if n:
            parts.append(text.format(n=n))
    if not parts:
        return _("Nothing on record for this subject and period yet: the note will be short.")
    return _("The note holds {parts}.").format(parts=", ".join(parts))
