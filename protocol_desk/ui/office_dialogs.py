"""The office dialogs: Connect to the office server, and Conflicts (mine and theirs field by
field, with Keep mine, Take theirs and Merge by hand)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol_desk.domain.errors import ProtocolDeskError
from protocol_desk.domain.messages import N_
from protocol_desk.i18n import _, shown
from protocol_desk.services import office
from protocol_desk.services.database import Database
from protocol_desk.ui.background import Work, run_beside
from protocol_desk.ui.widgets import named, ok_cancel, show_error


class ConnectDialog(QDialog):
    """File → Connect to the office server…: where it is and who this officer is there. The
    password goes to the system's keyring; the check runs beside the window."""

    def __init__(self, store: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.outcome = ""
        self.job: Work | None = None
        self.setObjectName("connectDialog")
        self.setWindowTitle(_("Connect to the office server"))
        self.host = named(QLineEdit(), "officeHost", _("Server"))
        self.host.setPlaceholderText(_("office-server.senate.kz, or empty for this computer"))
        self.port = named(QSpinBox(), "officePort", _("Port"))
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = named(QLineEdit("protocol_desk"), "officeDatabase", _("Database"))
        self.user = named(QLineEdit(), "officeUser", _("User"))
        self.password = named(QLineEdit(), "officePassword", _("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("kept in the system's keyring, never in a file"))
        form = QFormLayout()
        form.addRow(_("&Server:"), self.host)
        form.addRow(_("P&ort:"), self.port)
        form.addRow(_("&Database:"), self.database)
        form.addRow(_("&User:"), self.user)
        form.addRow(_("&Password:"), self.password)
        note = QLabel(
            _(
                "A server on another computer is reached over an encrypted (TLS) connection only."
                " Your records already on this desk are shared at the first sync; colleagues'"
                " records arrive at the same time."
            )
        )
        note.setWordWrap(True)
        self.message = named(QLabel(), "connectMessage", _("Connection problem"))
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000;")
        self.buttons = ok_cancel(self, self.try_connect, _("Connect"), "connectButton")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def try_connect(self) -> None:
        try:
            dsn = office.make_dsn(
                self.host.text(), self.port.value(), self.database.text(), self.user.text()
            )
            office.prepared_dsn(dsn)
        except ProtocolDeskError as error:
            self.message.setText(shown(error.message))
            return
        assert self.store.path is not None
        path, user, password = self.store.path, self.store.user, self.password.text() or None
        self.message.setText(_("Connecting…"))
        self.buttons.setEnabled(False)
        self.job = run_beside(
            lambda _report: office.on_own_connection(
                path, user, lambda store: office.connect_desk(store, dsn, password)
            ),
            self._connected,
            self._refused,
            _("connecting to the office server"),
        )

    def _connected(self, sentence: object) -> None:
        self.outcome = shown(sentence) if isinstance(sentence, str) else ""
        self.buttons.setEnabled(True)
        self.accept()

    def _refused(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ProtocolDeskError):
            self.message.setText(shown(error.message))
        else:
            assert isinstance(error, BaseException)
            self.message.setText("")
            show_error(self, error, _("Not connected"))


_KINDS: dict[str, str] = {
    "meeting": N_("Meeting"),
    "action": N_("Agreed action"),
    "person": N_("Person"),
    "organisation": N_("Organisation"),
    "country": N_("Country"),
    "anniversary": N_("Anniversary"),
    "anniversary_preparation": N_("Anniversary"),
    "delegation": N_("Visit"),
    "settings": N_("Settings"),
}


def _top_field(path: str) -> str:
    """The record's own field a difference is in: ``participants[2].title`` → participants."""
    return path.split(".")[0].split("[")[0]


class ConflictsDialog(QDialog):
    """Records changed here and by a colleague: mine and theirs field by field, with Keep mine,
    Take theirs, or Merge by hand (tick the fields to take from theirs)."""

    resolved = Signal()

    def __init__(self, store: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.found: list[office.Conflict] = []
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(_("Conflicts with the office"))
        self.list = named(QListWidget(), "conflictList", _("Conflicts"))
        self.list.currentRowChanged.connect(self._show)
        self.heading = named(QLabel(), "conflictHeading", _("Conflict"))
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table = named(QTableWidget(0, 4), "conflictFields", _("Differences"))
        self.table.setHorizontalHeaderLabels(
            [_("Field"), _("Mine (this desk)"), _("Theirs (office)"), ""]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.keep_mine = named(QPushButton(_("Keep mine")), "keepMine", _("Keep mine"))
        self.take_theirs = named(QPushButton(_("Take theirs")), "takeTheirs", _("Take theirs"))
        self.merge = named(QPushButton(_("Merge by hand")), "mergeByHand", _("Merge by hand"))
        self.merge.setToolTip(_("Keep mine, with the fields ticked “take theirs” from theirs"))
        self.keep_mine.clicked.connect(lambda: self._resolve("mine"))
        self.take_theirs.clicked.connect(lambda: self._resolve("theirs"))
        self.merge.clicked.connect(lambda: self._resolve("merge"))
        close = named(QPushButton(_("Close")), "closeConflicts", _("Close"))
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.keep_mine, self.take_theirs, self.merge):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        right = QWidget()
        detail = QVBoxLayout(right)
        detail.setContentsMargins(0, 0, 0, 0)
        detail.addWidget(self.heading)
        detail.addWidget(self.table, 1)
        detail.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([320, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1040, 520)

    def reload(self) -> None:
        self.found = office.conflicts(self.store)
        self.list.clear()
        for conflict in self.found:
            item = QListWidgetItem(
                f"{_(_KINDS.get(conflict.kind, conflict.kind))}: {conflict.title}"
            )
            item.setToolTip(
                _("Could not be applied here: {reason}").format(reason=shown(conflict.reason))
                if conflict.reason
                else _("Changed here and by {their_author}").format(
                    their_author=conflict.their_author
                )
            )
            self.list.addItem(item)
        if self.found:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)

    def _show(self, row: int) -> None:
        has = 0 <= row < len(self.found)
        for button in (self.keep_mine, self.take_theirs, self.merge):
            button.setEnabled(has)
        self.table.setRowCount(0)
        if not has:
            self.heading.setText(_("No conflicts: everything on this desk agrees with the office."))
            return
        conflict = self.found[row]
        self.merge.setEnabled(conflict.mine is not None and conflict.theirs is not None)
        kind = _(_KINDS.get(conflict.kind, conflict.kind))
        if conflict.reason:
            self.heading.setText(
                (
                    _(
                        "{kind} “{title}”, as {author} shared it, could not be applied on this "
                        "desk: {reason} Nothing of it is on this desk until you choose."
                    )
                    if conflict.mine is None
                    else _(
                        "{kind} “{title}”, as {author} shared it, could not be applied on this "
                        "desk: {reason} Your version is kept until you choose."
                    )
                ).format(
                    kind=kind,
                    title=conflict.title,
                    author=conflict.their_author,
                    reason=shown(conflict.reason),
                )
            )
        else:
            self.heading.setText(
                _(
                    "{kind} “{title}” was changed on this desk and by {author} at the office. "
                    "Both versions are kept until you choose."
                ).format(kind=kind, title=conflict.title, author=conflict.their_author)
            )
        self.table.setRowCount(len(conflict.differences))
        for n, difference in enumerate(conflict.differences):
            cells = (shown(office.field_label(difference.path)), difference.mine, difference.theirs)
            for column, text in enumerate(cells):
                self.table.setItem(n, column, QTableWidgetItem(text))
            take = QCheckBox(_("take theirs"))
            take.setObjectName(f"takeTheirs_{n}")
            take.setToolTip(
                _("Merge by hand: take “{path}” from theirs").format(
                    path=_top_field(difference.path)
                )
            )
            self.table.setCellWidget(n, 3, take)
        self.table.resizeRowsToContents()

    def _resolve(self, how: str) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.found):
            return
        conflict = self.found[row]
        try:
            if how == "mine":
                office.keep_mine(self.store, conflict.uid)
            elif how == "theirs":
                office.take_theirs(self.store, conflict.uid)
            else:
                from protocol_desk.domain.sharing import merged

                take = {
                    _top_field(d.path)
                    for n, d in enumerate(conflict.differences)
                    if isinstance(box := self.table.cellWidget(n, 3), QCheckBox) and box.isChecked()
                }
                office.merge_by_hand(
                    self.store, conflict.uid, merged(conflict.mine, conflict.theirs, take)
                )
        except Exception as error:
            show_error(self, error, _("Not resolved"))
            return
        self.resolved.emit()
        self.reload()
