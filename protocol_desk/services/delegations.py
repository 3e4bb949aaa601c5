"""Delegations and visits: members and their roles, the visit's meetings, and the programme
day by day."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import DelegationFilter, DelegationRow, VisitMeeting
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    DELEGATION_STATUS_LABELS,
    Delegation,
    DelegationDirection,
    DelegationMember,
)
from protocol_desk.domain.text import clean
from protocol_desk.store import Store

HEAD_ROLE = N_("head of the delegation")

# Roles the office uses most; any other role may be typed.
MEMBER_ROLES = (
    HEAD_ROLE,
    N_("member"),
    N_("deputy head"),
    N_("adviser"),
    N_("interpreter"),
    N_("escort"),
    N_("liaison officer"),
    N_("protocol officer"),
    N_("press officer"),
    N_("security"),
)

DIRECTION_LABELS: dict[DelegationDirection, str] = {
    DelegationDirection.INCOMING: N_("Incoming"),
    DelegationDirection.OUTGOING: N_("Outgoing"),
    DelegationDirection.MULTILATERAL: N_("Multilateral"),
}

# A visit that took place is "Held", apart from an action's "Done".
STATUS_LABELS = DELEGATION_STATUS_LABELS

# A programme shows every day of the visit, also the empty ones, up to this length.
MAX_PROGRAMME_DAYS = 62

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def normalise_time(text: str | None, item: str = "") -> str | None:
    """``9:30`` / ``09.30`` → ``09:30``; empty → None."""
    raw = (text or "").strip()
    if not raw:
        return None
    match = _TIME.match(raw)
    if not match or not (int(match[1]) < 24 and int(match[2]) < 60):
        raise ValidationError(
            N_(
                "The time of “{item}”, “{text}”, is not a time: write it like 14:30.",
                item=item,
                text=raw,
            )
            if item
            else N_("The time “{text}” is not a time: write it like 14:30.", text=raw),
            "programme",
        )
    return f"{int(match[1]):02d}:{match[2]}"


@dataclass(frozen=True)
class ProgrammeEntry:
    """One line of a day's programme: a programme item, or a meeting of the visit."""

    time: str | None
    title: str
    place: str = ""
    notes: str = ""
    meeting_id: int | None = None


@dataclass
class ProgrammeDay:
    """One day of a delegation's programme and its entries."""

    day: date
    entries: list[ProgrammeEntry] = field(default_factory=list)


@dataclass(frozen=True)
class MemberLine:
    """A delegation member with the title they held during the visit."""

    member: DelegationMember
    title: str


@dataclass
class DelegationDetail:
    """A delegation with what its pane shows: names, members and the programme by day."""

    delegation: Delegation
    country: str = ""
    organisation: str = ""
    head: str = ""
    members: list[MemberLine] = field(default_factory=list)
    days: list[ProgrammeDay] = field(default_factory=list)
    meetings: list[VisitMeeting] = field(default_factory=list)
    deleted: bool = False


def programme_days(delegation: Delegation, meetings: list[VisitMeeting]) -> list[ProgrammeDay]:
    """The programme day by day, in time order: its items, and the visit's meetings that no
    item stands for yet. Items without a time follow the timed ones of their day."""
    linked = {i.meeting_id for i in delegation.programme if i.meeting_id is not None}
    by_id = {m.id: m for m in meetings}
    entries: list[tuple[date, ProgrammeEntry]] = []
    for item in delegation.programme:
        meeting = by_id.get(item.meeting_id) if item.meeting_id is not None else None
        entries.append(
            (
                item.day,
                ProgrammeEntry(
                    time=item.time or (meeting.time if meeting else None),
                    title=item.title,
                    place=item.place or (meeting.venue if meeting else ""),
                    notes=item.notes,
                    meeting_id=item.meeting_id,
                ),
            )
        )
    for meeting in meetings:
        if meeting.id not in linked:
            entries.append(
                (
                    meeting.date,
                    ProgrammeEntry(
                        time=meeting.time,
                        title=meeting.subject,
                        place=", ".join(p for p in (meeting.venue, meeting.city) if p),
                        meeting_id=meeting.id,
                    ),
                )
            )
    days: dict[date, ProgrammeDay] = {}
    last = delegation.end or delegation.start
    if (last - delegation.start).days < MAX_PROGRAMME_DAYS:
        day = delegation.start
        while day <= last:
            days[day] = ProgrammeDay(day)
            day += timedelta(days=1)

    def position(n: int) -> tuple[date, bool, str, int]:
        day, entry = entries[n]
        return (day, entry.time is None, entry.time or "", n)

    for n in sorted(range(len(entries)), key=position):
        day, entry = entries[n]
        days.setdefault(day, ProgrammeDay(day)).entries.append(entry)
    return [days[d] for d in sorted(days)]


class DelegationService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- finding -------------------------------------------------------------------------
    def page(
        self, flt: DelegationFilter, *, after: tuple[str, int] | None = None, limit: int = 200
    ) -> tuple[list[DelegationRow], tuple[str, int] | None]:
        return self.store.delegations.page(flt, after=after, limit=limit)

    def count(self, flt: DelegationFilter) -> int:
        return self.store.delegations.count(flt)

    def get(self, delegation_id: int) -> Delegation:
        return self.store.delegations.get(delegation_id)

    def meetings(self, delegation_id: int) -> list[VisitMeeting]:
        return self.store.delegations.meetings(delegation_id)

    def candidate_meetings(self, delegation: Delegation) -> list[VisitMeeting]:
        """Meetings a programme item may stand for: the visit's own, and any held during it."""
        found = {m.id: m for m in self.store.delegations.meetings(delegation.id or 0)}
        if delegation.start:
            end = delegation.end or delegation.start
            if end >= delegation.start:
                for meeting in self.store.delegations.meetings_between(delegation.start, end):
                    found.setdefault(meeting.id, meeting)
        return sorted(found.values(), key=lambda m: (m.date, m.time or "", m.id))

    def detail(self, delegation_id: int) -> DelegationDetail:
        delegation = self.store.delegations.get(delegation_id)
        detail = DelegationDetail(
            delegation=delegation, deleted=self.store.delegations.is_deleted(delegation_id)
        )
        if delegation.country_id is not None:
            detail.country = self.store.countries.get(delegation.country_id).name
        if delegation.organisation_id is not None:
            detail.organisation = self.store.organisations.get(delegation.organisation_id).name
        if delegation.head_person_id is not None:
            detail.head = self.store.people.get(delegation.head_person_id).full_name
        detail.members = [
            MemberLine(m, self.store.people.title_on(m.person_id, delegation.start))
            for m in delegation.members
        ]
        detail.meetings = self.store.delegations.meetings(delegation_id)
        detail.days = programme_days(delegation, detail.meetings)
        return detail

    # --- saving --------------------------------------------------------------------------
    def save(self, delegation: Delegation) -> Delegation:
        """Save a visit with its members and programme in one transaction.

        The head is always among the members; a meeting put in the programme becomes one of
        the visit's meetings."""
        self._check(delegation)
        with self.store.transaction():
            for member in delegation.members:
                person = self.store.people.get(member.person_id)
                if self.store.people.merged_into(member.person_id) is not None:
                    raise ValidationError(
                        N_(
                            "{name} was merged into another record: pick that one.",
                            name=person.full_name,
                        ),
                        "members",
                    )
            saved = self.store.delegations.save(delegation)
            assert saved.id is not None
            for item in saved.programme:
                if item.meeting_id is None:
                    continue
                meeting = self.store.meetings.get(item.meeting_id)
                if meeting.delegation_id is None:
                    meeting.delegation_id = saved.id
                    self.store.meetings.save(meeting)
            return self.store.delegations.get(saved.id)

    def _check(self, delegation: Delegation) -> None:
        delegation.title = clean(delegation.title)
        delegation.city = clean(delegation.city)
        if not delegation.title:
            raise ValidationError(N_("The visit's title is required."), "title")
        if delegation.start is None:
            raise ValidationError(N_("The start date is required."), "start")
        if delegation.end is not None and delegation.end < delegation.start:
            raise ValidationError(N_("The end date is before the start date."), "end")
        seen: set[int] = set()
        for member in delegation.members:
            member.role = clean(member.role)
            if member.person_id in seen:
                raise ValidationError(
                    N_(
                        "{name} is listed twice among the members.",
                        name=member.person_name,
                    )
                    if member.person_name
                    else N_("A person is listed twice among the members."),
                    "members",
                )
            seen.add(member.person_id)
        if delegation.head_person_id is not None and delegation.head_person_id not in seen:
            delegation.members.insert(
                0, DelegationMember(person_id=delegation.head_person_id, role=HEAD_ROLE)
            )
        for item in delegation.programme:
            item.title = clean(item.title)
            item.place = clean(item.place)
            if not item.title:
                raise ValidationError(N_("Every programme item needs a title."), "programme")
            item.time = normalise_time(item.time, item.title)
            if item.day < delegation.start or (delegation.end and item.day > delegation.end):
                raise ValidationError(
                    N_(
                        "The programme item “{title}” falls outside the visit's dates.",
                        title=item.title,
                    ),
                    "programme",
                )

    # --- deleting ------------------------------------------------------------------------
    def delete(self, delegation_id: int) -> None:
        """Move the visit to the bin; its members, programme and meetings stay."""
        with self.store.transaction():
            self.store.delegations.delete(delegation_id)

    def restore(self, delegation_id: int) -> None:
        with self.store.transaction():
            self.store.delegations.restore(delegation_id)
