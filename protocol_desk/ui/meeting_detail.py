"""The detail pane: everything about one meeting, as escaped rich text."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QWidget

from protocol_desk.domain.models import (
    ACTION_STATUS_LABELS,
    DOCUMENT_KIND_LABELS,
    MEETING_FORMAT_LABELS,
    ActionStatus,
    MeetingFormat,
    Side,
)
from protocol_desk.i18n import _
from protocol_desk.services.meetings import MeetingDetail
from protocol_desk.ui.day_words import date_text
from protocol_desk.ui.widgets import facts_html, hint_html


def _paragraphs(text: str) -> str:
    from html import escape  # imported when a meeting is first shown, not at start

    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())


def meeting_html(detail: MeetingDetail) -> str:
    from html import escape  # imported when a meeting is first shown, not at start

    m = detail.meeting
    place = ", ".join(escape(p) for p in (m.venue, m.city, detail.country) if p)
    when = date_text(m.date, m.precision) + (f", {escape(m.time)}" if m.time else "")
    fmt = _(MEETING_FORMAT_LABELS[MeetingFormat(m.format)])
    if m.occasion:
        fmt += f" — {m.occasion}"
    parts = [f"<h3>{escape(m.subject)}</h3>"]
    if detail.deleted:
        parts.append(
            "<p style='color:#a00'>"
            + _("<b>This meeting is in the bin.</b> Restore it to keep it.")
            + "</p>"
        )
    facts = [
        (_("Date"), escape(when)),
        (_("Place"), place or "<i>" + escape(_("not recorded")) + "</i>"),
        (_("Format"), escape(fmt)),
        (_("Kind"), escape(_(m.kind) if m.kind else "")),
    ]
    if detail.delegation:
        facts.append((_("Visit"), escape(detail.delegation)))
    if m.topics:
        facts.append((_("Topics"), escape(", ".join(m.topics))))
    parts.append(facts_html(facts))
    for side, heading in ((Side.OURS, _("Our side")), (Side.COUNTERPART, _("Counterparts"))):
        people = [(p, org) for p, org in detail.participants if p.side is side]
        if people:
            parts.append(f"<h4>{heading}</h4><ul>")
            for participant, organisation in people:
                title = participant.title
                if organisation and organisation not in title:
                    title = f"{title}, {organisation}" if title else organisation
                parts.append(
                    f"<li><b>{escape(participant.person_name)}</b>"
                    + (f" — {escape(title)}" if title else "")
                    + "</li>"
                )
            parts.append("</ul>")
    if m.summary:
        parts.append("<h4>" + escape(_("Summary")) + "</h4>" + _paragraphs(m.summary))
    if m.documents:
        parts.append("<h4>" + escape(_("Documents signed")) + "</h4><ul>")
        for document in m.documents:
            bits = [
                f"<b>{escape(document.title)}</b>",
                escape(_(DOCUMENT_KIND_LABELS[document.kind])),
            ]
            if document.signed_on:
                bits.append(escape(_("signed {day}").format(day=date_text(document.signed_on))))
            if document.signed_by:
                bits.append(escape(_("by {names}").format(names=", ".join(document.signed_by))))
            parts.append("<li>" + ", ".join(bits) + "</li>")
        parts.append("</ul>")
    if m.actions:
        parts.append("<h4>" + _("Agreed actions") + "</h4><ul>")
        for action in m.actions:
            day = detail.action_due.get(action.id or 0, action.due)
            due = _(" — due {day}").format(day=date_text(day)) if day else ""
            status = _(ACTION_STATUS_LABELS[ActionStatus(action.status)])
            owner = f" ({escape(action.owner)})" if action.owner else ""
            parts.append(f"<li>{escape(action.text)}{owner}{due} <i>[{status}]</i></li>")
        parts.append("</ul>")
    if m.sources:
        parts.append("<h4>" + escape(_("Sources")) + "</h4><ul>")
        for source in m.sources:
            bits = [escape(source.publisher or _("Unnamed source"))]
            if source.title:
                bits.append(f"“{escape(source.title)}”")
            if source.published_on:
                bits.append(
                    _("published {published_on}").format(
                        published_on=date_text(source.published_on)
                    )
                )
            if source.url:
                bits.append(f"<a href='{escape(source.url, quote=True)}'>{escape(source.url)}</a>")
            if source.document:
                bits.append(_("file {document}").format(document=escape(source.document)))
            parts.append("<li>" + ", ".join(bits) + "</li>")
        parts.append("</ul>")
    return "".join(parts)


class MeetingDetailPane(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDetail")
        self.setAccessibleName(_("Meeting details"))
        self.setOpenExternalLinks(True)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.setHtml(
            hint_html(
                _(
                    "Select a meeting to see who took part, what was "
                    "discussed and agreed, and where it was reported."
                )
            )
        )

    def show_detail(self, detail: MeetingDetail) -> None:
        self.setHtml(meeting_html(detail))
