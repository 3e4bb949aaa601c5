"""Small things every area uses: the empty state, the one way errors are shown, the role a
list's rows give their record's id, how long typing waits before it searches, how wide a date
field is, and a filled form shown from the start of its fields."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit

log = logging.getLogger(__name__)

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # a row's record id, in lists and suggestions
DETAIL_MIN_WIDTH = 220  # a record's details beside its list: labels and words whole
SEARCH_DELAY_MS = 150  # one query when the officer pauses, not one per key
# The tooltip of a filter's "from" or "to": a month or a year stands for all of its days.
PERIOD_HINT = N_("A day, a month or a year: 06.06.2022, June 2022, 06.2022 or 2022")

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str) -> W:
    """Give a widget the names tests and screen readers find it by."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    return widget


def date_width(field: QLineEdit, most: int) -> QLineEdit:
    """Keep a date field at most ``most`` pixels wide, and never so narrow that a whole date
    (31.12.2022) is cut: a filter bar short of room squeezes its fields."""
    metrics = field.fontMetrics()
    whole = metrics.horizontalAdvance("00.00.0000") + 24  # frame, margins, cursor
    # Its hint ("мерзімі бастап") is read whole too: Kazakh and Russian hints run longer.
    hint = metrics.horizontalAdvance(field.placeholderText()) + 24
    field.setMinimumWidth(max(min(whole, most), hint))
    field.setMaximumWidth(max(most, hint))
    return field


def fit_columns(view: QTableView | QTreeView, widths: Iterable[tuple[int, int]]) -> None:
    """Each column at its width, and never narrower than its header in the window's language
    (Kazakh and Russian headers run longer than English ones)."""
    header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
    # A chosen row would draw every header bold, and bold letters need more room than the
    # header was sized for: the row's own highlight says enough.
    header.setHighlightSections(False)
    for column, width in widths:
        header.resizeSection(column, max(width, header.sectionSizeHint(column)))
    # Where the officer (or a narrow window) leaves a header less room than it needs, it
    # ends in "…" and its tooltip says it whole.
    header.setTextElideMode(Qt.TextElideMode.ElideRight)


class EmptyState(QWidget):
    """A calm message where a list has nothing to show yet, saying what to do about it."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel(f"<h2>{title}</h2>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(text)
        body.setTextFormat(Qt.TextFormat.PlainText)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setObjectName("emptyStateText")
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(2)
        self.setObjectName("emptyState")
        self.setAccessibleName(title)


def ok_cancel(
    dialog: QDialog, on_ok: Callable[[], object], ok_text: str = "", ok_name: str = ""
) -> QDialogButtonBox:
    """A dialog's OK and Cancel: OK (named for what it does, when told) runs ``on_ok``, Cancel
    closes the dialog."""
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    if ok_text:
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text)
        ok.setObjectName(ok_name)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons


def show_error(parent: QWidget | None, error: BaseException, title: str = _("Not saved")) -> None:
    """Errors a user can act on get their message; anything else is logged and said calmly."""
    from PySide6.QtWidgets import QMessageBox  # made when needed: its enums cost the start

    if isinstance(error, ProtocolDeskError):
        from protocol_desk.i18n import shown  # the message in the window's language

        QMessageBox.warning(parent, title, shown(error.message))
        return
    log.exception("unexpected error", exc_info=error)
    QMessageBox.critical(
        parent,
        _("Something went wrong"),
        _(
            "The operation did not complete and nothing was changed.\n\n{kind}: "
            "{error}\n\nThe details are in the log file."
        ).format(kind=type(error).__name__, error=error),
    )


def show_from_the_start(form: QWidget) -> None:
    """Show each of a form's one-line fields from its first letter. Filling a field leaves its
    cursor at the end, so a long subject opened showing only its last words."""
    from PySide6.QtWidgets import QLineEdit

    for field in form.findChildren(QLineEdit):
        field.setCursorPosition(0)


def fill_combo(combo: QComboBox, first: str, items: Sequence[tuple[object, str]]) -> None:
    """Refill a filter or picker combo, keeping the current choice when it is still there."""
    # Long names (a commission of a council of an assembly…) must not widen the window.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    # …yet wide enough for its first choice ("Барлық орындаушылар") whole.
    combo.setMinimumContentsLength(max(14, len(first) + 2))
    combo.blockSignals(True)
    current = combo.currentData()
    combo.clear()
    combo.addItem(first, None)
    for value, label in items:
        combo.addItem(label, value)
    found = combo.findData(current)
    combo.setCurrentIndex(max(found, 0))
    combo.blockSignals(False)


def fill_choices(combo: QComboBox, keys: Sequence[str]) -> None:
    """An editable combo's suggestions in the window's language, each keeping the office's
    word (its key), so that what is kept is the same whatever language the window speaks."""
    for key in keys:
        combo.addItem(_(key), key)


def show_choice(combo: QComboBox, key: str) -> None:
    combo.setCurrentText(_(key) if key else "")


def chosen_text(combo: QComboBox) -> str:
    """The key of the suggestion shown, else the text typed, as it was typed."""
    text = combo.currentText().strip()
    index = combo.findText(text)
    key = combo.itemData(index) if index >= 0 else None
    return str(key) if key else text


def facts_html(facts: Sequence[tuple[str, str]], *, top: bool = False) -> str:
    """A details pane's facts, a label (grey) beside each value; ``top`` lines a label up with
    the first line of a value that runs to several. Both are HTML already."""
    where = " valign='top'" if top else ""
    return (
        "<table cellspacing='0' cellpadding='2'>"
        + "".join(
            f"<tr><td style='color:#555;padding-right:12px'{where}>{k}</td><td>{v}</td></tr>"
            for k, v in facts
        )
        + "</table>"
    )


def hint_html(text: str) -> str:
    """What an empty detail pane says, in grey."""
    from html import escape

    return f"<p style='color:#777'>{escape(text)}</p>"
