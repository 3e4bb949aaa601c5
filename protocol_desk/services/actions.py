"""Tracking agreed actions: the list, what is overdue, closing the loop and carry-forward."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from protocol_desk.domain.dates import Precision, format_date
from protocol_desk.domain.errors import NotFoundError, ValidationError
from protocol_desk.domain.listing import UNFINISHED, ActionRow, MeetingFilter
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import ACTION_STATUS_LABELS, ActionStatus, Side
from protocol_desk.store import Store
from protocol_desk.store.actions import ActionFilter, ActionPage

__all__ = [
    "STATUS_CHOICES",
    "ActionDetail",
    "ActionFilter",
    "ActionRow",
    "ActionService",
    "HistoryEntry",
    "MeetingChoice",
    "filter_for_status",
    "row_as_dict",
]

# What the command line and the view's status filter offer, and the statuses each one lists.
# "open" is everything still to do; "overdue" is that, with its due date passed.
STATUS_CHOICES: dict[str, frozenset[ActionStatus] | None] = {
    "open": UNFINISHED,
    "overdue": UNFINISHED,
    "in_progress": frozenset({ActionStatus.IN_PROGRESS}),
    "done": frozenset({ActionStatus.DONE}),
    "dropped": frozenset({ActionStatus.DROPPED}),
    "all": None,
}


def filter_for_status(choice: str, as_of: date, base: ActionFilter | None = None) -> ActionFilter:
    """The filter for one of ``STATUS_CHOICES``, on top of ``base``'s other conditions."""
    if choice not in STATUS_CHOICES:
        raise ValidationError(
            N_(
                "“{text}” is not a status: use one of {choices}.",
                text=choice,
                choices=", ".join(STATUS_CHOICES),
            ),
            "status",
        )
    return dataclasses.replace(
        base or ActionFilter(),
        statuses=STATUS_CHOICES[choice],
        overdue_as_of=as_of if choice == "overdue" else None,
    )


def row_as_dict(row: ActionRow, as_of: date) -> dict[str, Any]:
    """A row as plain JSON-ready values (the command line's ``--json``)."""
    return {
        "id": row.id,
        "text": row.text,
        "status": row.status.value,
        "due": row.due.isoformat() if row.due else None,
        "due_follows_anniversary": row.due_anniversary or None,
        "overdue": row.is_overdue(as_of),
        "days_overdue": row.days_overdue(as_of),
        "owner": row.owner,
        "meeting_id": row.meeting_id,
        "meeting_date": row.meeting_date.isoformat() if row.meeting_date else None,
        "meeting_subject": row.meeting_subject,
        "counterpart": row.counterpart,
        "country": row.country,
        "completed_on": row.completed_on.isoformat() if row.completed_on else None,
        "outcome": row.outcome,
        "fulfilled_meeting_id": row.fulfilled_meeting_id,
    }


@dataclass(frozen=True)
class HistoryEntry:
    """One status change: when it was recorded, from what to what, at which meeting, why."""

    changed_at: str  # ISO timestamp (UTC) of the recording
    old_status: ActionStatus | None
    new_status: ActionStatus
    note: str
    meeting_id: int | None
    meeting_date: date | None
    meeting_subject: str

    @property
    def summary(self) -> str:
        new = ACTION_STATUS_LABELS[self.new_status]
        if self.old_status is None:
            return f"Recorded as {new.lower()}"
        return f"{ACTION_STATUS_LABELS[self.old_status]} → {new}"


@dataclass(frozen=True)
class MeetingChoice:
    """A meeting offered as the one where an action was fulfilled."""

    id: int
    date: date
    precision: Precision
    subject: str

    @property
    def label(self) -> str:
        return f"{format_date(self.date, self.precision)} — {self.subject}"


@dataclass
class ActionDetail:
    """An action with everything the detail pane shows."""

    row: ActionRow
    history: list[HistoryEntry] = field(default_factory=list)
    fulfilled_meeting: MeetingChoice | None = None


class ActionService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- listing ------------------------------------------------------------------------------
    def page(
        self,
        flt: ActionFilter,
        *,
        order_by: str = "due",
        descending: bool = False,
        after: tuple[Any, int] | None = None,
        limit: int = 200,
    ) -> ActionPage:
        return self.store.actions.page(
            flt,
            order_by=order_by,
            descending=descending,
            after=after,
            limit=limit,
        )

    def count(self, flt: ActionFilter) -> int:
        return self.store.actions.count(flt)

    def rows(
        self, flt: ActionFilter | None = None, *, order_by: str = "due", descending: bool = False
    ) -> list[ActionRow]:
        """Every action the filter lets through, as plain rows with counterpart and meeting."""
        return self.store.actions.rows(
            flt or ActionFilter(),
            order_by=order_by,
            descending=descending,
        )

    def list_by_status(
        self, choice: str, as_of: date, base: ActionFilter | None = None
    ) -> list[ActionRow]:
        """``open``, ``overdue`` (as of ``as_of``), ``in_progress``, ``done``, ``dropped``
        or ``all``."""
        return self.rows(filter_for_status(choice, as_of, base))

    def overdue(self, as_of: date) -> list[ActionRow]:
        return self.list_by_status("overdue", as_of)

    def row(self, action_id: int) -> ActionRow:
        return self.store.actions.row(action_id)

    def owners(self) -> list[str]:
        return self.store.actions.owners_in_use()

    def history(self, action_id: int) -> list[HistoryEntry]:
        return [
            HistoryEntry(
                changed_at=h["changed_at"],
                old_status=ActionStatus(h["old_status"]) if h["old_status"] else None,
                new_status=ActionStatus(h["new_status"]),
                note=h["note"] or "",
                meeting_id=h["meeting_id"],
                meeting_date=date.fromisoformat(h["meeting_date"]) if h["meeting_date"] else None,
                meeting_subject=h["meeting_subject"],
            )
            for h in self.store.actions.history_detail(action_id)
        ]

    def detail(self, action_id: int) -> ActionDetail:
        row = self.row(action_id)
        fulfilled = None
        if row.fulfilled_meeting_id is not None:
            fulfilled = self._meeting_choice(row.fulfilled_meeting_id)
        return ActionDetail(row=row, history=self.history(action_id), fulfilled_meeting=fulfilled)

    def _meeting_choice(self, meeting_id: int) -> MeetingChoice:
        meeting = self.store.meetings.get(meeting_id)
        assert meeting.id is not None
        return MeetingChoice(meeting.id, meeting.date, meeting.precision, meeting.subject)

    def fulfilment_meetings(
        self, action_ids: Sequence[int], limit: int = 50
    ) -> list[MeetingChoice]:
        """Meetings where these actions may have been fulfilled: later meetings with the same
        counterparts, the most recent first."""
        rows = [self.row(i) for i in action_ids]
        people: set[int] = set()
        earliest: date | None = None
        for row in rows:
            if row.meeting_id is None:
                continue
            meeting = self.store.meetings.get(row.meeting_id)
            people.update(p.person_id for p in meeting.participants if p.side is Side.COUNTERPART)
            earliest = meeting.date if earliest is None else min(earliest, meeting.date)
        if not people:
            return []
        origin = {r.meeting_id for r in rows}
        found: dict[int, MeetingChoice] = {}
        for person_id in sorted(people):
            for m in self.store.meetings.page(
                MeetingFilter(person_id=person_id, date_from=earliest), limit=limit
            ).rows:
                if m.id not in origin:
                    found[m.id] = MeetingChoice(m.id, m.date, m.precision, m.subject)
        ordered = sorted(found.values(), key=lambda c: (c.date, c.id), reverse=True)
        return ordered[:limit]

    # --- closing the loop ---------------------------------------------------------------------
    def _check_fulfilment(
        self, action_ids: Sequence[int], meeting_id: int | None, on: date
    ) -> None:
        """Refuse what cannot be true: done before it was agreed, or at the meeting that agreed
        it, or at a meeting that is not there."""
        meeting_date: date | None = None
        if meeting_id is not None:
            try:
                meeting = self.store.meetings.get(meeting_id)
            except NotFoundError:
                raise ValidationError(
                    N_("The meeting #{id} does not exist.", id=meeting_id), "fulfilled_meeting"
                ) from None
            meeting_date = meeting.date
        for action_id in action_ids:
            row = self.row(action_id)
            if meeting_id is not None and row.meeting_id == meeting_id:
                raise ValidationError(
                    N_(
                        "“{action}” was agreed at that meeting: it cannot also be fulfilled there.",
                        action=_short(row.text),
                    ),
                    "fulfilled_meeting",
                )
            if (
                row.meeting_date is not None
                and row.meeting_precision is Precision.DAY
                and on < row.meeting_date
            ):
                raise ValidationError(
                    N_(
                        "“{action}” was agreed on {agreed}: it cannot have been done on {done}.",
                        action=_short(row.text),
                        agreed=format_date(row.meeting_date),
                        done=format_date(on),
                    ),
                    "completed_on",
                )
            if (
                meeting_date is not None
                and row.meeting_date is not None
                and meeting_date < row.meeting_date
            ):
                raise ValidationError(
                    N_(
                        "The meeting of {day} is before “{action}” was agreed ({agreed}).",
                        day=format_date(meeting_date),
                        action=_short(row.text),
                        agreed=format_date(row.meeting_date),
                    ),
                    "fulfilled_meeting",
                )

    def mark_done(
        self,
        action_ids: Sequence[int],
        on: date,
        outcome: str = "",
        fulfilled_meeting_id: int | None = None,
        *,
        expected_versions: dict[int, int] | None = None,
    ) -> list[int]:
        """Record the actions as done on ``on`` with their outcome and, optionally, the meeting
        where they were fulfilled; one history entry each. All or nothing."""
        ids = _unique(action_ids)
        if not ids:
            raise ValidationError(N_("Choose at least one action to mark as done."))
        if on is None:
            raise ValidationError(N_("The date it was done is required."), "completed_on")
        outcome = outcome.strip()
        with self.store.transaction():
            self._check_fulfilment(ids, fulfilled_meeting_id, on)
            return self.store.actions.change_status(
                ids,
                ActionStatus.DONE,
                completed_on=on,
                outcome=outcome,
                fulfilled_meeting_id=fulfilled_meeting_id,
                note=outcome,
                expected_versions=expected_versions,
            )

    def change_status(
        self,
        action_ids: Sequence[int],
        status: ActionStatus,
        *,
        on: date | None = None,
        note: str = "",
        expected_versions: dict[int, int] | None = None,
    ) -> list[int]:
        """Give several actions one status in one transaction (the list's bulk change).

        Done and dropped record ``on`` (today by default) as the completion date; open and in
        progress clear it. Returns the ids that changed; the others already had that status."""
        ids = _unique(action_ids)
        if not ids:
            raise ValidationError(N_("Choose at least one action."))
        status = ActionStatus(status)
        day = on or date.today()
        with self.store.transaction():
            if status is ActionStatus.DONE:
                self._check_fulfilment(ids, None, day)
            return self.store.actions.change_status(
                ids,
                status,
                completed_on=None if status in UNFINISHED else day,
                note=note.strip(),
                expected_versions=expected_versions,
            )

    # --- carry-forward ------------------------------------------------------------------------
    def open_with_counterparts(
        self, person_ids: Iterable[int], *, exclude_meeting_id: int | None = None
    ) -> list[ActionRow]:
        """Open actions agreed at earlier meetings with any of these counterparts, the ones due
        first at the top: what to raise, or close, at the next meeting with them."""
        ids = tuple(sorted(set(person_ids)))
        if not ids:
            return []
        return self.rows(
            ActionFilter(
                statuses=UNFINISHED,
                counterpart_ids=ids,
                exclude_meeting_id=exclude_meeting_id,
            )
        )

    def mark_done_at_meeting(
        self, action_ids: Sequence[int], meeting_id: int, on: date, outcome: str = ""
    ) -> list[int]:
        """Mark the actions done at ``meeting_id`` (the meeting just logged), on ``on``.

        It opens its own transaction; called inside ``with store.transaction():`` it becomes
        part of that one, so the meeting editor can save the meeting and close its actions as
        one unit of work::

            with store.transaction():
                meeting = MeetingService(store).save(meeting)
                ActionService(store).mark_done_at_meeting(ids, meeting.id, on=meeting.date)

        Actions already done stay as they are. Returns the ids marked now."""
        ids = _unique(action_ids)
        if not ids:
            return []
        with self.store.transaction():
            pending = [i for i in ids if self.store.actions.get(i).status is not ActionStatus.DONE]
            if not pending:
                return []
            self._check_fulfilment(pending, meeting_id, on)
            return self.store.actions.change_status(
                pending,
                ActionStatus.DONE,
                completed_on=on,
                outcome=outcome.strip() or None,
                fulfilled_meeting_id=meeting_id,
                note=outcome.strip(),
            )


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(i) for i in ids))


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
