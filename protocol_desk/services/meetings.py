"""Logging, finding, deleting and restoring meetings: the office's most frequent job."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from protocol_desk.domain.errors import ProtocolDeskError, ValidationError
from protocol_desk.domain.listing import MeetingFilter, MeetingRow, Page
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    Meeting,
    Organisation,
    OrganisationKind,
    Participant,
    Person,
    Position,
    Side,
    Source,
)
from protocol_desk.domain.text import clean
from protocol_desk.services.names import check_new_name
from protocol_desk.store import Store
from protocol_desk.store.connection import connect

if TYPE_CHECKING:
    from protocol_desk.domain.listing import PersonMatch


class DuplicateMeeting(ProtocolDeskError):
    """A meeting on the same day with the same counterpart already exists."""

    def __init__(self, existing: list[Meeting]) -> None:
        names = ", ".join(f"“{m.subject}”" for m in existing)
        super().__init__(f"This looks like a meeting already logged: {names}.")
        self.existing = existing


@dataclass
class NewPerson:
    """A participant typed in the editor who is not in the database yet."""

    full_name: str
    side: Side
    title: str = ""
    organisation: str = ""
    country_id: int | None = None


@dataclass
class MeetingDetail:
    """A meeting with the names its ids point at, ready to show or print."""

    meeting: Meeting
    country: str = ""
    delegation: str = ""
    participants: list[tuple[Participant, str]] = field(default_factory=list)  # with organisation
    deleted: bool = False
    # An action due on an anniversary's day follows that anniversary: its date as of now.
    action_due: dict[int, date | None] = field(default_factory=dict)


COUNT_LIMIT = 10_000  # a filter's matches are counted up to this many, for the list
SEARCH_MOST = 100_000  # meetings a search lists at most at once

T = TypeVar("T")


class MeetingService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- logging ---------------------------------------------------------------------------
    def duplicates_of(self, meeting: Meeting) -> list[Meeting]:
        """Meetings on the same date with any of the same counterparts (seeds 000 and 001 are
        the same talks told by both sides)."""
        counterparts = [p.person_id for p in meeting.participants if p.side is Side.COUNTERPART]
        ids = self.store.meetings.with_counterpart_on(counterparts, meeting.date)
        return [self.store.meetings.get(i) for i in ids if i != meeting.id]

    def save(
        self,
        meeting: Meeting,
        *,
        allow_duplicate: bool = False,
        fulfilled_action_ids: Sequence[int] = (),
    ) -> Meeting:
        """Save a new or edited meeting and all it holds in one transaction, closing the
        earlier actions that were done at it (carry-forward).

        A new meeting that duplicates one already logged raises DuplicateMeeting unless the
        officer confirmed it is a different meeting."""
        if meeting.id is None and not allow_duplicate:
            existing = self.duplicates_of(meeting)
            if existing:
                raise DuplicateMeeting(existing)
        with self.store.transaction():
            saved = self.store.meetings.save(meeting)
            self._close_actions(fulfilled_action_ids, saved)
            return saved

    def _close_actions(self, action_ids: Sequence[int], meeting: Meeting) -> None:
        if action_ids:
            from protocol_desk.services.actions import ActionService

            assert meeting.id is not None
            ActionService(self.store).mark_done_at_meeting(action_ids, meeting.id, on=meeting.date)

    def add_account(
        self, existing_id: int, account: Meeting, *, fulfilled_action_ids: Sequence[int] = ()
    ) -> Meeting:
        """Keep a second account of a meeting already logged as part of it, not a second meeting:
        its sources (or its text as a source), its agreed actions and any participant the first
        account missed, in one transaction."""
        with self.store.transaction():
            existing = self.store.meetings.get(existing_id)
            sources = account.sources or [Source(title=account.subject, text=account.summary)]
            # The same release kept twice is one source (pasted again, or read from the meeting).
            held = {clean(s.text) for s in existing.sources if s.text.strip()}
            existing.sources.extend(
                s for s in sources if not s.text.strip() or clean(s.text) not in held
            )
            known = {p.person_id for p in existing.participants}
            existing.participants.extend(
                p for p in account.participants if p.person_id not in known
            )
            existing.actions.extend(account.actions)
            # What the first account left blank, the second may know (the venue, the time).
            for name in ("time", "venue", "city", "country_id", "occasion"):
                if not getattr(existing, name) and getattr(account, name):
                    setattr(existing, name, getattr(account, name))
            existing.topics += [t for t in account.topics if t not in existing.topics]
            saved = self.store.meetings.save(existing)
            self._close_actions(fulfilled_action_ids, saved)
            return saved

    def organisation_on(self, person_id: int, day: date) -> int | None:
        return self.store.people.organisation_on(person_id, day)

    def create_person(
        self, new: NewPerson, on: date | None = None, *, allow_similar: bool = False
    ) -> Person:
        """Create a participant on the spot, with the title and organisation typed for them.
        A name that may well be someone already known raises SamePerson, unless the officer
        said to create them anyway (``allow_similar``)."""
        name = " ".join(new.full_name.split())
        if not name:
            raise ValidationError(N_("The participant's name is empty."), "participants")
        existing = self.store.people.find_by_name(name)
        if existing is not None:
            raise ValidationError(
                N_(
                    "{name} is already in the database: pick them from the suggestions.",
                    name=existing.full_name,
                ),
                "participants",
            )
        if not allow_similar:
            check_new_name(self.store, [name], on)
        with self.store.transaction():
            organisation_id = None
            if new.organisation.strip():
                found = self.store.organisations.find(new.organisation)
                if found is None:
                    found = self.store.organisations.save(
                        Organisation(
                            name=new.organisation.strip(),
                            kind=OrganisationKind.OTHER,
                            country_id=new.country_id,
                        )
                    )
                organisation_id = found.id
            positions = []
            if new.title.strip():
                positions.append(
                    Position(title=new.title.strip(), organisation_id=organisation_id, start=None)
                )
            return self.store.people.save(
                Person(
                    full_name=name,
                    side=new.side,
                    country_id=new.country_id,
                    positions=positions,
                )
            )

    def suggest_people(self, text: str, on: date | None = None) -> list[PersonMatch]:
        return self.store.people.suggest(text, on=on)

    def keep_spelling(self, person_id: int, spelling: str) -> Person:
        """The officer said a new name is this person: keep it as one of their spellings."""
        from protocol_desk.services.people import PeopleService

        return PeopleService(self.store).keep_spelling(person_id, spelling)

    def title_on(self, person_id: int, day: date) -> str:
        return self.store.people.title_on(person_id, day)

    # --- finding ---------------------------------------------------------------------------
    def page(
        self,
        flt: MeetingFilter,
        *,
        order_by: str = "date",
        descending: bool = True,
        after: tuple[object, int] | None = None,
        limit: int = 200,
    ) -> Page:
        return self.store.meetings.page(
            flt, order_by=order_by, descending=descending, after=after, limit=limit
        )

    def search(self, text: str, limit: int = 200) -> list[MeetingRow]:
        if not 1 <= limit <= SEARCH_MOST:
            raise ValidationError(
                N_(
                    "A search lists from 1 to {most} meetings, not {n}.",
                    most=format(SEARCH_MOST, ","),
                    n=format(limit, ","),
                ),
                "limit",
            )
        return self.store.meetings.page(MeetingFilter(text=text), limit=limit).rows

    def count(self, flt: MeetingFilter, *, limit: int | None = None) -> int:
        """How many meetings ``flt`` lets through; with ``limit``, at most that many."""
        return self.store.meetings.count(flt, limit=limit)

    def count_for_list(self, flt: MeetingFilter) -> tuple[int, bool]:
        """The count under the list, and whether it is "at least": every meeting is counted
        from a narrow index, but a filter matching most of a million is counted only up to
        ``COUNT_LIMIT`` (an exact figure would cost a pause on each keystroke)."""
        if flt == MeetingFilter():
            return self.count(flt), False
        total = self.count(flt, limit=COUNT_LIMIT)
        return total, total >= COUNT_LIMIT

    def get(self, meeting_id: int) -> Meeting:
        return self.store.meetings.get(meeting_id)

    def detail(self, meeting_id: int) -> MeetingDetail:
        meeting = self.store.meetings.get(meeting_id)
        detail = MeetingDetail(meeting=meeting, deleted=self.store.meetings.is_deleted(meeting_id))
        if meeting.country_id is not None:
            detail.country = self.store.countries.get(meeting.country_id).name
        if meeting.delegation_id is not None:
            detail.delegation = self.store.delegations.get(meeting.delegation_id).title
        for participant in meeting.participants:
            organisation = (
                self.store.organisations.get(participant.organisation_id).name
                if participant.organisation_id is not None
                else ""
            )
            detail.participants.append((participant, organisation))
        following = [a.id for a in meeting.actions if a.id and a.due_anniversary_id]
        if following:
            from protocol_desk.services.actions import ActionService

            actions = ActionService(self.store)
            detail.action_due = {i: actions.row(i).due for i in following}
        return detail

    # --- deleting --------------------------------------------------------------------------
    def delete(self, meeting_id: int) -> None:
        """Move the meeting to the bin; its sources and agreed actions stay with it."""
        with self.store.transaction():
            self.store.meetings.delete(meeting_id)

    def restore(self, meeting_id: int) -> None:
        with self.store.transaction():
            self.store.meetings.restore(meeting_id)

    def delete_many(self, meeting_ids: list[int]) -> None:
        """Move several meetings to the bin, all or none (one transaction)."""
        with self.store.transaction():
            for meeting_id in meeting_ids:
                self.store.meetings.delete(meeting_id)

    def restore_many(self, meeting_ids: list[int]) -> None:
        with self.store.transaction():
            for meeting_id in meeting_ids:
                self.store.meetings.restore(meeting_id)


class BackgroundReader:
    """Reads for the meetings list on a read-only connection of its own, so the window can run
    them in a background thread while the officer goes on typing (WAL lets it read beside the
    window's connection and see what the window committed).

    One thread at a time uses it. ``cancel`` stops the read under way (a newer filter made it
    stale): that ``call`` returns None."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._service: MeetingService | None = None
        self._lock = threading.Lock()  # the connection, between the reading thread and close

    def call(self, work: Callable[[MeetingService], T]) -> T | None:
        with self._lock:
            if self._service is None:
                store = Store(connect(self.path, readonly=True, check="none"), self.path)
                store.readonly = True
                self._service = MeetingService(store)
            try:
                return work(self._service)
            except sqlite3.OperationalError as error:
                if "interrupted" in str(error):
                    return None
                raise

    def cancel(self) -> None:
        """Stop the read under way, from any thread (SQLite's interrupt is thread-safe)."""
        service = self._service
        if service is not None:
            service.store.db.conn.interrupt()

    def close(self) -> None:
        self.cancel()
        with self._lock:
            if self._service is not None:
                self._service.store.close()
                self._service = None
