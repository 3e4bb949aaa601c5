"""People: finding them by any spelling, keeping their record, and merging duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from protocol_desk.domain.dates import MonthDay, format_base_date
from protocol_desk.domain.errors import ConflictError, ProtocolDeskError, ValidationError
from protocol_desk.domain.listing import PersonFilter, PersonMatch, PersonRow
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import Person, PersonName, Position
from protocol_desk.domain.text import fold
from protocol_desk.services.names import check_new_name, misprint_of
from protocol_desk.store import Store
from protocol_desk.store.delegations import PersonVisit
from protocol_desk.store.people import PersonMeetingRow

MAX_PHOTO_BYTES = 5 * 1024 * 1024

# The first bytes of the image formats a photo may be stored in.
_IMAGE_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"BM",
)


class _Keep:
    """The photo argument's default: leave the stored photo as it is."""


KEEP_PHOTO = _Keep()


class DuplicatePerson(ProtocolDeskError):
    """Someone with one of the same spellings is already in the database."""

    def __init__(self, existing: list[Person]) -> None:
        names = ", ".join(f"“{p.full_name}”" for p in existing)
        super().__init__(
            f"{names} already has this spelling. If it is the same person, open that record "
            "(or merge the two later); save anyway only if they are different people."
        )
        self.existing = existing


@dataclass(frozen=True)
class PositionLine:
    """A position with its organisation's name, and whether it is held today."""

    position: Position
    organisation: str
    current: bool


@dataclass
class PersonDetail:
    """A person with the names their ids point at, ready to show."""

    person: Person
    country: str = ""
    positions: list[PositionLine] = field(default_factory=list)  # latest first
    meetings: int = 0
    visits: list[PersonVisit] = field(default_factory=list)
    anniversaries: int = 0
    merged_into: Person | None = None
    deleted: bool = False  # in the bin

    @property
    def current(self) -> list[PositionLine]:
        return [p for p in self.positions if p.current]


@dataclass(frozen=True)
class PersonMeeting:
    """A meeting of the person, with the title they held that day."""

    row: PersonMeetingRow
    title_then: str


@dataclass
class MergePreview:
    """What merging ``absorbed`` into ``kept`` will move, shown before the officer confirms."""

    kept: Person
    absorbed: Person
    meetings: int
    shared_meetings: int
    visits: int
    positions: int
    new_names: list[str]
    anniversaries: int
    differences: list[str]


def check_photo(photo: bytes) -> None:
    if len(photo) > MAX_PHOTO_BYTES:
        raise ValidationError(
            N_(
                "The photo is {size} MB; keep it under {most} MB.",
                size=format(len(photo) / 1024 / 1024, ".1f"),
                most=MAX_PHOTO_BYTES // 1024 // 1024,
            ),
            "photo",
        )
    if not photo.startswith(_IMAGE_SIGNATURES):
        raise ValidationError(N_("The photo must be a PNG, JPEG, GIF or BMP image."), "photo")


class PeopleService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- finding -------------------------------------------------------------------------
    def page(
        self, flt: PersonFilter, *, after: tuple[str, int] | None = None, limit: int = 200
    ) -> tuple[list[PersonRow], tuple[str, int] | None]:
        return self.store.people.page(flt, after=after, limit=limit)

    def count(self, flt: PersonFilter) -> int:
        return self.store.people.count(flt)

    def suggest(self, text: str, on: date | None = None) -> list[PersonMatch]:
        return self.store.people.suggest(text, on=on)

    def get(self, person_id: int) -> Person:
        return self.store.people.get(person_id)

    def photo(self, person_id: int) -> bytes | None:
        return self.store.people.photo(person_id)

    def name(self, person_id: int) -> str:
        return self.store.people.get(person_id).full_name

    def detail(self, person_id: int, on: date | None = None) -> PersonDetail:
        today = on or date.today()
        person = self.store.people.get(person_id)
        detail = PersonDetail(person=person)
        if person.country_id is not None:
            detail.country = self.store.countries.get(person.country_id).name
        lines = [
            PositionLine(
                position=p,
                organisation=(
                    self.store.organisations.get(p.organisation_id).name
                    if p.organisation_id is not None
                    else ""
                ),
                current=p.held_on(today),
            )
            for p in person.positions
        ]
        # Latest first: what they are now on top, what they were below.
        lines.sort(
            key=lambda line: (line.position.end or date.max, line.position.start or date.min),
            reverse=True,
        )
        detail.positions = lines
        detail.meetings = self.store.people.count_meetings(person_id)
        detail.visits = self.store.delegations.for_person(person_id)
        detail.anniversaries = self.store.people.count_anniversaries(person_id)
        into = self.store.people.merged_into(person_id)
        if into is not None:
            detail.merged_into = self.store.people.get(into)
        detail.deleted = self.store.people.is_deleted(person_id)
        return detail

    def meetings(
        self, person_id: int, *, after: tuple[str, int] | None = None, limit: int = 200
    ) -> tuple[list[PersonMeeting], tuple[str, int] | None]:
        """The person's meetings newest first, each with the title they held that day."""
        rows, following = self.store.people.meetings(person_id, after=after, limit=limit)
        result = []
        for row in rows:
            title = row.title
            if row.organisation and row.organisation not in title:
                title = f"{title}, {row.organisation}" if title else row.organisation
            if not title:
                title = self.store.people.title_on(person_id, row.date)
            result.append(PersonMeeting(row=row, title_then=title))
        return result, following

    # --- deleting ------------------------------------------------------------------------
    def delete(self, person_id: int) -> None:
        """Move the person to the bin; the meetings, visits and anniversaries that name them
        keep their name, and nothing in them changes."""
        with self.store.transaction():
            self.store.people.delete(person_id)

    def restore(self, person_id: int) -> None:
        with self.store.transaction():
            self.store.people.restore(person_id)

    def count_meetings(self, person_id: int) -> int:
        return self.store.people.count_meetings(person_id)

    def duplicates_of(self, person: Person) -> list[Person]:
        """Other people any of whose spellings is one of this person's spellings."""
        ids = self.store.people.people_with_name(person.all_names(), other_than=person.id)
        return [self.store.people.get(i) for i in ids]

    # --- saving --------------------------------------------------------------------------
    def save(
        self,
        person: Person,
        *,
        photo: bytes | _Keep | None = KEEP_PHOTO,
        allow_duplicate: bool = False,
        on: date | None = None,
    ) -> Person:
        """Save a new or edited person, their names, positions and photo in one transaction.

        A spelling another person already has raises DuplicatePerson unless the officer said
        they are different people."""
        self._check(person, on or date.today())
        if isinstance(photo, bytes):
            check_photo(photo)
        with self.store.transaction():
            before = self.store.people.get(person.id) if person.id is not None else None
            if before is not None and self.store.people.merged_into(before.id or 0) is not None:
                raise ValidationError(
                    N_(
                        "{name} was merged into another record: edit that one.",
                        name=before.full_name,
                    ),
                    "full_name",
                )
            names_changed = before is None or {fold(n) for n in before.all_names()} != {
                fold(n) for n in person.all_names()
            }
            if names_changed and not allow_duplicate:
                existing = self.duplicates_of(person)
                if existing:
                    raise DuplicatePerson(existing)
                if before is None:
                    # Another script, a case form or a slip of one or two letters: ask.
                    check_new_name(self.store, person.all_names(), on)
            saved = self.store.people.save(person)
            assert saved.id is not None
            if not isinstance(photo, _Keep):
                self.store.people.set_photo(saved.id, photo)
            if before is not None and before.full_name != saved.full_name:
                self._refresh_meetings(saved.id, resave=True)
            elif before is not None and names_changed:
                self._refresh_meetings(saved.id, resave=False)
            return self.store.people.get(saved.id)

    def keep_spelling(self, person_id: int, spelling: str) -> Person:
        """Keep a spelling the officer confirmed as this person's ("Ashimnayev is
        Ashimbayev"): a slip of a letter or two as a misprint (found, never printed), another
        script or romanisation as a spelling."""
        spelling = " ".join(spelling.split())
        if not spelling:
            raise ValidationError(N_("The spelling to keep is empty."))
        person = self.store.people.get(person_id)
        if fold(spelling) in {fold(n) for n in person.all_names()}:
            return person
        misprint = misprint_of(person, spelling)
        note = (
            "misprint confirmed by the office" if misprint else "spelling confirmed by the office"
        )
        person.variants.append(PersonName(spelling, note, misprint))
        return self.save(person, allow_duplicate=True)

    def _check(self, person: Person, today: date) -> None:
        person.full_name = " ".join(person.full_name.split())
        if not person.full_name:
            raise ValidationError(N_("The person's name is required."), "full_name")
        person.variants = [
            PersonName(" ".join(v.name.split()), v.note.strip(), v.misprint)
            for v in person.variants
            if v.name.strip()
        ]
        if isinstance(person.birth_date, date) and person.birth_date > today:
            raise ValidationError(N_("The birth date is in the future."), "birth_date")
        for position in person.positions:
            if not position.title.strip():
                raise ValidationError(N_("Every position needs a title."), "positions")
            if position.start and position.end and position.end < position.start:
                raise ValidationError(
                    N_("The position “{title}” ends before it starts.", title=position.title),
                    "positions",
                )
        if person.country_id is not None:
            self.store.countries.get(person.country_id)  # NotFoundError names a stale choice

    def _refresh_meetings(self, person_id: int, *, resave: bool) -> None:
        """Meetings list participants by name and find them by every spelling: keep both in
        step after a person's names change."""
        for meeting_id in self.store.people.meeting_ids(person_id):
            if resave:
                meeting = self.store.meetings.get(meeting_id)
                for participant in meeting.participants:
                    if participant.person_id == person_id:
                        participant.person_name = ""
                self.store.meetings.save(meeting)
            else:
                self.store.meetings.reindex(meeting_id)

    # --- merging -------------------------------------------------------------------------
    def merge_preview(self, absorbed_id: int, kept_id: int) -> MergePreview:
        absorbed, kept = self._pair(absorbed_id, kept_id)
        absorbed_meetings = set(self.store.people.meeting_ids(absorbed_id))
        kept_meetings = set(self.store.people.meeting_ids(kept_id))
        known = {fold(n) for n in kept.all_names()}
        return MergePreview(
            kept=kept,
            absorbed=absorbed,
            meetings=len(absorbed_meetings),
            shared_meetings=len(absorbed_meetings & kept_meetings),
            visits=len(self.store.delegations.for_person(absorbed_id)),
            positions=len(self._new_positions(absorbed, kept)),
            new_names=[n for n in absorbed.all_names() if fold(n) not in known],
            anniversaries=self.store.people.count_anniversaries(absorbed_id),
            differences=self._differences(absorbed, kept),
        )

    def merge(
        self,
        absorbed_id: int,
        kept_id: int,
        *,
        absorbed_version: int | None = None,
        kept_version: int | None = None,
    ) -> Person:
        """Merge two records of one person into ``kept_id``, in one transaction.

        The kept record gains every spelling, position, meeting, visit and anniversary of the
        other; the other record stays, marked as merged, so history and imports still find it."""
        with self.store.transaction():
            absorbed, kept = self._pair(absorbed_id, kept_id)
            for person, expected in ((absorbed, absorbed_version), (kept, kept_version)):
                if expected is not None and person.version != expected:
                    raise ConflictError(
                        N_(
                            "{name} was changed by someone else after you opened the merge: "
                            "look again before merging.",
                            name=person.full_name,
                        )
                    )
            known = {fold(n) for n in kept.all_names()}
            for variant in [PersonName(absorbed.full_name), *absorbed.variants]:
                if fold(variant.name) not in known:
                    kept.variants.append(variant)
                    known.add(fold(variant.name))
            kept.positions.extend(self._new_positions(absorbed, kept))
            notes = [kept.notes.strip()] if kept.notes.strip() else []
            notes += self._differences(absorbed, kept)
            if absorbed.notes.strip() and absorbed.notes.strip() not in kept.notes:
                notes.append(f"From the record “{absorbed.full_name}”: {absorbed.notes.strip()}")
            kept.notes = "\n".join(notes)
            kept.form_of_address = kept.form_of_address or absorbed.form_of_address
            kept.country_id = (
                kept.country_id if kept.country_id is not None else absorbed.country_id
            )
            kept.birth_date = kept.birth_date or absorbed.birth_date
            if absorbed.provenance and absorbed.provenance not in kept.provenance:
                kept.provenance = "; ".join(p for p in (kept.provenance, absorbed.provenance) if p)
            self.store.people.save(kept)
            if not kept.has_photo and absorbed.has_photo:
                self.store.people.set_photo(kept_id, self.store.people.photo(absorbed_id))
            self._move_participation(absorbed_id, kept)
            self.store.delegations.reassign_person(absorbed_id, kept_id)
            self.store.people.reassign_anniversaries(absorbed_id, kept_id)
            self.store.people.mark_merged(absorbed_id, kept_id)
            self.store.people.log("person", kept.uid, "merge", "absorbed", None, absorbed.uid)
            # The kept person's own meetings are now found by the absorbed spellings too.
            for meeting_id in self.store.people.meeting_ids(kept_id):
                self.store.meetings.reindex(meeting_id)
            return self.store.people.get(kept_id)

    def _pair(self, absorbed_id: int, kept_id: int) -> tuple[Person, Person]:
        if absorbed_id == kept_id:
            raise ValidationError(N_("Choose two different records to merge."), "merge")
        absorbed = self.store.people.get(absorbed_id)
        kept = self.store.people.get(kept_id)
        for person in (absorbed, kept):
            into = self.store.people.merged_into(person.id or 0)
            if into is not None:
                raise ValidationError(
                    N_(
                        "{name} was already merged into {kept}.",
                        name=person.full_name,
                        kept=self.store.people.get(into).full_name,
                    ),
                    "merge",
                )
        return absorbed, kept

    @staticmethod
    def _new_positions(absorbed: Person, kept: Person) -> list[Position]:
        """The absorbed record's positions the kept one does not already have."""

        def key(p: Position) -> tuple[str, int | None, date | None, date | None]:
            return (fold(p.title.strip()), p.organisation_id, p.start, p.end)

        have = {key(p) for p in kept.positions}
        return [p for p in absorbed.positions if key(p) not in have]

    @staticmethod
    def _differences(absorbed: Person, kept: Person) -> list[str]:
        """Facts the two records disagree on: kept as a note, so nothing is silently lost."""
        lines = []

        def text(value: date | MonthDay | None) -> str:
            return format_base_date(value)

        if absorbed.birth_date and kept.birth_date and absorbed.birth_date != kept.birth_date:
            lines.append(
                f"Birth date also recorded as {text(absorbed.birth_date)} "
                f"(record “{absorbed.full_name}”)."
            )
        if (
            absorbed.form_of_address
            and kept.form_of_address
            and absorbed.form_of_address != kept.form_of_address
        ):
            lines.append(
                f"Form of address also recorded as “{absorbed.form_of_address}” "
                f"(record “{absorbed.full_name}”)."
            )
        if absorbed.side is not kept.side:
            lines.append(
                f"The record “{absorbed.full_name}” had them on the {absorbed.side.value} side."
            )
        return lines

    def _move_participation(self, absorbed_id: int, kept: Person) -> None:
        """Every meeting of the absorbed record now lists the kept person, once."""
        assert kept.id is not None
        for meeting_id in self.store.people.meeting_ids(absorbed_id):
            meeting = self.store.meetings.get(meeting_id)
            theirs = next(p for p in meeting.participants if p.person_id == absorbed_id)
            ours = next((p for p in meeting.participants if p.person_id == kept.id), None)
            if ours is None:
                theirs.person_id = kept.id
                theirs.person_name = kept.full_name
            else:
                # Both records sat in the same meeting: one seat, keeping what either knew.
                ours.title = ours.title or theirs.title
                ours.role = ours.role or theirs.role
                ours.organisation_id = ours.organisation_id or theirs.organisation_id
                meeting.participants.remove(theirs)
            self.store.meetings.save(meeting)
