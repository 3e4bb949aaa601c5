"""Export and import: the whole database as one JSON document, keyed on uids.

Importing keys on uid, so importing the same file twice duplicates nothing, and
export → import into an empty database → export gives the identical document."""

from __future__ import annotations

import base64
import contextlib
import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from protocol_desk.domain.dates import (
    MonthDay,
    Precision,
    Year,
    base_date_from_iso,
    base_date_to_iso,
    day_or_year_from_iso,
    day_or_year_to_iso,
)
from protocol_desk.domain.errors import ProtocolDeskError, ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    Confidentiality,
    Country,
    Delegation,
    DelegationDirection,
    DelegationMember,
    DelegationStatus,
    DocumentKind,
    Meeting,
    MeetingFormat,
    Organisation,
    OrganisationKind,
    Participant,
    Person,
    PersonName,
    Position,
    ProgrammeItem,
    Side,
    SignedDocument,
    Source,
)
from protocol_desk.services.export_format import FORMAT, FORMAT_VERSION, check_document
from protocol_desk.services.names import people_like
from protocol_desk.store import Store
from protocol_desk.store.files import write_private

if TYPE_CHECKING:
    from protocol_desk.services.import_new import NewRecords


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            N_("{what}: “{value}” is not a date (YYYY-MM-DD).", what=what, value=value)
        ) from None


def _day_or_year(value: Any, what: str) -> date | Year | None:
    try:
        return day_or_year_from_iso(None if value in (None, "") else str(value))
    except ValueError:
        raise ValidationError(
            N_(
                "{what}: “{value}” is not a date (YYYY-MM-DD) or a year alone (YYYY).",
                what=what,
                value=value,
            )
        ) from None


def _base(value: Any, what: str) -> date | MonthDay | None:
    try:
        return base_date_from_iso(value)
    except (ValueError, IndexError):
        raise ValidationError(
            N_("{what}: “{value}” is not a date (YYYY-MM-DD or --MM-DD).", what=what, value=value)
        ) from None


def _enum(kind: Callable[[str], Any], value: Any, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ValidationError(
            N_("{what}: “{value}” is not one of the allowed values.", what=what, value=value)
        ) from None


# --- export ---------------------------------------------------------------------------------


def export_data(store: Store) -> dict[str, Any]:
    countries = sorted(store.countries.all(), key=lambda c: c.uid)
    organisations = sorted(store.organisations.all(), key=lambda o: o.uid)
    people = [store.people.get(r["id"]) for r in store.meetings.query("SELECT id FROM person")]
    people.sort(key=lambda p: p.uid)
    meetings = [store.meetings.get(i) for i in store.meetings.all_ids(include_deleted=True)]
    meetings.sort(key=lambda m: m.uid)
    actions = sorted(store.actions.all(), key=lambda a: a.uid)
    anniversaries = sorted(store.anniversaries.all(include_derived=False), key=lambda a: a.uid)
    # Derived anniversaries are made again on import; the officer's lead time and notes on
    # them are not, so those travel separately.
    typed = {a.uid for a in anniversaries}
    preparations = sorted(
        (
            a
            for a in store.anniversaries.all()
            if a.uid not in typed and (a.lead_days is not None or a.notes)
        ),
        key=lambda a: a.uid,
    )
    delegation_ids = [r["id"] for r in store.meetings.query("SELECT id FROM delegation")]
    delegations = sorted((store.delegations.get(i) for i in delegation_ids), key=lambda d: d.uid)
    deleted = {
        r["uid"]
        for r in store.meetings.query(
            "SELECT uid FROM meeting WHERE deleted_at IS NOT NULL"
            " UNION ALL SELECT uid FROM person WHERE deleted_at IS NOT NULL"
        )
    }
    merged = {
        r["uid"]: r["into"]
        for r in store.meetings.query(
            'SELECT p.uid, q.uid AS "into" FROM person p JOIN person q ON q.id = p.merged_into_id'
        )
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "settings": settings_record(store),
        "countries": [country_record(store, c) for c in countries],
        "organisations": [organisation_record(store, o) for o in organisations],
        "people": [person_record(store, p, merged.get(p.uid), p.uid in deleted) for p in people],
        "anniversaries": [anniversary_record(store, a) for a in anniversaries],
        "anniversary_preparation": [preparation_record(a) for a in preparations],
        "delegations": [delegation_record(store, d) for d in delegations],
        "meetings": [meeting_record(store, m, m.uid in deleted) for m in meetings],
        "actions": [action_record(store, a) for a in actions],
    }


# --- one record at a time (the export's lists, and what the office server shares) ----------


def settings_record(store: Store) -> dict[str, Any]:
    return dict(sorted(store.settings.all().items()))


def country_record(store: Store, c: Country) -> dict[str, Any]:
    return {
        "uid": c.uid,
        "name": c.name,
        "iso_code": c.iso_code,
        "other_names": c.other_names,
        "capital": c.capital,
        "relations_established": day_or_year_to_iso(c.relations_established),
        "national_day": base_date_to_iso(c.national_day),
        "national_day_name": c.national_day_name,
        "notes": c.notes,
        "provenance": c.provenance,
    }


def organisation_record(store: Store, o: Organisation) -> dict[str, Any]:
    uid = store.meetings.uid_for_id
    return {
        "uid": o.uid,
        "name": o.name,
        "short_name": o.short_name,
        "other_names": o.other_names,
        "kind": o.kind.value,
        "country": uid("country", o.country_id),
        "parent": uid("organisation", o.parent_id),
        "founded_on": base_date_to_iso(o.founded_on),
        "notes": o.notes,
        "provenance": o.provenance,
    }


def person_record(
    store: Store, p: Person, merged_into: str | None, deleted: bool = False
) -> dict[str, Any]:
    uid = store.meetings.uid_for_id
    return {
        "uid": p.uid,
        "full_name": p.full_name,
        "variants": [
            {"name": v.name, "note": v.note, **({"misprint": True} if v.misprint else {})}
            for v in p.variants
        ],
        "side": p.side.value,
        "form_of_address": p.form_of_address,
        "country": uid("country", p.country_id),
        "birth_date": base_date_to_iso(p.birth_date),
        "notes": p.notes,
        "provenance": p.provenance,
        "photo": _photo(store, p),
        "merged_into": merged_into,
        "deleted": deleted,
        "positions": [
            {
                "uid": pos.uid,
                "title": pos.title,
                "organisation": uid("organisation", pos.organisation_id),
                "start": _iso(pos.start),
                "end": _iso(pos.end),
                "provenance": pos.provenance,
            }
            for pos in sorted(p.positions, key=lambda x: (x.start or date.min, x.uid))
        ],
    }


def anniversary_record(store: Store, a: Anniversary) -> dict[str, Any]:
    uid = store.meetings.uid_for_id
    return {
        "uid": a.uid,
        "kind": a.kind.value,
        "title": a.title,
        "base_date": base_date_to_iso(a.base_date),
        "country": uid("country", a.country_id),
        "organisation": uid("organisation", a.organisation_id),
        "person": uid("person", a.person_id),
        "lead_days": a.lead_days,
        "notes": a.notes,
        "provenance": a.provenance,
    }


def preparation_record(a: Anniversary) -> dict[str, Any]:
    return {"uid": a.uid, "lead_days": a.lead_days, "notes": a.notes}


def delegation_record(store: Store, d: Delegation) -> dict[str, Any]:
    uid = store.meetings.uid_for_id
    return {
        "uid": d.uid,
        "title": d.title,
        "direction": d.direction.value,
        "start": _iso(d.start),
        "end": _iso(d.end),
        "country": uid("country", d.country_id),
        "organisation": uid("organisation", d.organisation_id),
        "head": uid("person", d.head_person_id),
        "city": d.city,
        "purpose": d.purpose,
        "status": d.status.value,
        "notes": d.notes,
        "provenance": d.provenance,
        "members": [{"person": uid("person", m.person_id), "role": m.role} for m in d.members],
        "programme": [
            {
                "uid": i.uid,
                "day": _iso(i.day),
                "time": i.time,
                "title": i.title,
                "place": i.place,
                "meeting": uid("meeting", i.meeting_id),
                "notes": i.notes,
            }
            for i in d.programme
        ],
    }


def meeting_record(store: Store, m: Meeting, deleted: bool) -> dict[str, Any]:
    uid = store.meetings.uid_for_id
    return {
        "uid": m.uid,
        "date": _iso(m.date),
        "precision": m.precision.value,
        "time": m.time,
        "venue": m.venue,
        "city": m.city,
        "country": uid("country", m.country_id),
        "format": m.format.value,
        "occasion": m.occasion,
        "kind": m.kind,
        "subject": m.subject,
        "summary": m.summary,
        "topics": m.topics,
        "delegation": uid("delegation", m.delegation_id),
        "confidentiality": m.confidentiality.value,
        "deleted": deleted,
        "provenance": m.provenance,
        "participants": [
            {
                "person": uid("person", p.person_id),
                "side": p.side.value,
                "role": p.role,
                "title": p.title,
                "organisation": uid("organisation", p.organisation_id),
            }
            for p in m.participants
        ],
        "sources": [
            {
                "uid": s.uid,
                "publisher": s.publisher,
                "url": s.url,
                "published_on": _iso(s.published_on),
                "title": s.title,
                "text": s.text,
                "document": s.document,
            }
            for s in m.sources
        ],
        "documents_signed": [
            {
                "uid": d.uid,
                "title": d.title,
                "kind": d.kind.value,
                "signed_on": _iso(d.signed_on),
                "signed_by": d.signed_by,
            }
            for d in m.documents
        ],
    }


def action_record(store: Store, a: AgreedAction) -> dict[str, Any]:
    uid = store.meetings.uid_for_id
    return {
        "uid": a.uid,
        "meeting": uid("meeting", a.meeting_id),
        "text": a.text,
        "owner": a.owner,
        "due": _iso(a.due),
        "due_anniversary": uid("anniversary", a.due_anniversary_id),
        "status": a.status.value,
        "completed_on": _iso(a.completed_on),
        "outcome": a.outcome,
        "fulfilled_meeting": uid("meeting", a.fulfilled_meeting_id),
        "provenance": a.provenance,
        "history": [
            {
                "changed_at": h["changed_at"],
                "old_status": h["old_status"],
                "new_status": h["new_status"],
                "meeting": uid("meeting", h["meeting_id"]),
                "note": h["note"],
            }
            for h in store.actions.history(a.id or 0)
        ],
    }


# The export's list each kind of record goes in, in the order an import reads them.
RECORD_LISTS: dict[str, str] = {
    "settings": "settings",
    "country": "countries",
    "organisation": "organisations",
    "person": "people",
    "anniversary": "anniversaries",
    "anniversary_preparation": "anniversary_preparation",
    "delegation": "delegations",
    "meeting": "meetings",
    "action": "actions",
}

_TABLES = {
    "country": "country",
    "organisation": "organisation",
    "person": "person",
    "anniversary": "anniversary",
    "anniversary_preparation": "anniversary",
    "delegation": "delegation",
    "meeting": "meeting",
    "action": "agreed_action",
}
# A record's kind as a message names it (in the reader's language).
RECORD_KINDS = {
    "country": N_("country"),
    "organisation": N_("organisation"),
    "person": N_("person"),
    "anniversary": N_("anniversary"),
    "anniversary_preparation": N_("anniversary's preparation"),
    "delegation": N_("visit"),
    "meeting": N_("meeting"),
    "action": N_("agreed action"),
    "agreed_action": N_("agreed action"),
}


def export_record(store: Store, kind: str, uid: str) -> tuple[str, dict[str, Any] | None]:
    """One record as the export writes it, with its kind: a derived anniversary travels as its
    preparation. ``None`` when the record is gone (deleted for good, or moved to the bin where
    the export leaves it out)."""
    if kind == "settings":
        return kind, settings_record(store)
    table = _TABLES[kind]
    row_id = store.meetings.id_for_uid(table, uid)
    if row_id is None:
        return kind, None
    if table == "country":
        return kind, country_record(store, store.countries.get(row_id))
    if table == "organisation":
        return kind, organisation_record(store, store.organisations.get(row_id))
    if table == "person":
        if store.people.is_deleted(row_id):
            return kind, None  # in the bin: the office shares its deletion
        into = store.people.merged_into(row_id)
        return kind, person_record(
            store, store.people.get(row_id), store.meetings.uid_for_id("person", into)
        )
    if table == "anniversary":
        row = store.anniversaries.fetch_row("anniversary", row_id)
        anniversary = store.anniversaries.get(row_id)
        if row["derived_from"] is not None:
            return "anniversary_preparation", preparation_record(anniversary)
        if row["deleted_at"] is not None:
            return "anniversary", None
        return "anniversary", anniversary_record(store, anniversary)
    if table == "delegation":
        if store.delegations.is_deleted(row_id):
            return kind, None  # in the bin: the office shares its deletion
        return kind, delegation_record(store, store.delegations.get(row_id))
    if table == "meeting":
        return kind, whole_meeting_record(store, row_id)
    action = store.actions.get(row_id)
    if action.meeting_id is not None:
        # An action is part of its meeting: it travels inside the meeting's record.
        return "meeting", whole_meeting_record(store, action.meeting_id)
    return kind, action_record(store, action)


def whole_meeting_record(store: Store, meeting_id: int) -> dict[str, Any]:
    """A meeting as the office shares it: its export record with its agreed actions inside
    (``actions``, in their order), one record and one version for the lot. An export file
    keeps the actions in their own list; ``import_records`` accepts either."""
    meeting = store.meetings.get(meeting_id)
    record = meeting_record(store, meeting, store.meetings.is_deleted(meeting_id))
    record["actions"] = [action_record(store, a) for a in meeting.actions]
    return record


class RecordNotApplied(ValidationError):
    """One of several records given to ``import_records`` failed: ``uid`` names it."""

    def __init__(self, message: str, uid: str) -> None:
        super().__init__(message)
        self.uid = uid


def import_records(
    store: Store, records: list[tuple[str, dict[str, Any]]], *, in_bulk: bool = False
) -> None:
    """Write these records (kind, content) through the import, inside the caller's
    transaction: the office's changes are applied by the same code as an export file.
    ``in_bulk``: the people, anniversaries and meetings new here are written by the store's
    bulk writer (many records pulled at once). A failure raises RecordNotApplied naming the
    record (the caller's transaction then holds part of the rest: roll it back)."""
    from protocol_desk.services.import_new import NewRecords

    document: dict[str, Any] = {key: [] for key in RECORD_LISTS.values()}
    document["settings"] = {}
    whole: dict[str, list[str]] = {}  # a whole meeting's uid: its actions' uids
    for kind, content in records:
        if kind == "settings":
            document["settings"].update(content)
        elif kind == "meeting" and isinstance(content.get("actions"), list):
            meeting = {k: v for k, v in content.items() if k != "actions"}
            document["meetings"].append(meeting)
            actions = [dict(a, meeting=meeting.get("uid")) for a in content["actions"]]
            document["actions"].extend(actions)
            whole[str(meeting.get("uid"))] = [str(a.get("uid")) for a in actions]
        else:
            document[RECORD_LISTS[kind]].append(content)
    ref = _Resolver(store)
    new = NewRecords(store) if in_bulk else None
    try:
        with store.meetings.words_collected() if in_bulk else contextlib.nullcontext():
            _import(store, document, {}, [], ref, new)
    except (ProtocolDeskError, sqlite3.IntegrityError) as error:
        # Name the record that failed (an action in a whole meeting: the meeting).
        failed = str(ref.current)
        for meeting_uid, its_actions in whole.items():
            if failed in its_actions:
                failed = meeting_uid
        message = (
            error.message
            if isinstance(error, ProtocolDeskError)
            else f"The database here refused it ({error})."
        )
        raise RecordNotApplied(message, failed) from error
    for meeting_uid, kept in whole.items():
        if new is None or meeting_uid not in new.meetings_written:
            _drop_actions_not_in(store, meeting_uid, kept)
    for kind, content in records:
        # A record received live that is in the bin here was restored on another desk.
        if kind not in ("anniversary", "delegation", "person"):
            continue
        row_id = store.meetings.id_for_uid(kind, str(content.get("uid")))
        if row_id is None:
            continue
        if kind == "anniversary" and store.anniversaries.is_deleted(row_id):
            store.anniversaries.restore(row_id)
        elif kind == "delegation" and store.delegations.is_deleted(row_id):
            store.delegations.restore(row_id)
        elif kind == "person" and store.people.is_deleted(row_id):
            store.people.restore(row_id)


def _drop_actions_not_in(store: Store, meeting_uid: str, kept: list[str]) -> None:
    """A whole meeting received: its actions no longer in it go, as a meeting's save does."""
    meeting_id = store.meetings.id_for_uid("meeting", meeting_uid)
    if meeting_id is None:
        return
    before = store.actions.for_meeting(meeting_id)
    gone = [a for a in before if a.uid not in set(kept)]
    for action in gone:
        store.actions.delete(action.id or 0)
    if gone:
        # Named in the meeting's own history, as when its editor removes an action.
        now = [a.text for a in before if a.uid in set(kept)]
        store.meetings.log(
            "meeting", meeting_uid, "update", "agreed_actions", [a.text for a in before], now
        )


# The kinds a desk deletes (to the bin or for good), whose deletion the office shares.
_DELETABLE = frozenset({"action", "anniversary", "meeting", "delegation", "person"})


def remove_record(store: Store, kind: str, uid: str) -> None:
    """Apply a record's deletion (inside the caller's transaction): to the bin where the
    window has one, for good where it deletes for good. A record never here is left alone;
    one of a kind a desk never deletes (a country, an organisation) is refused."""
    table = _TABLES.get(kind)
    if kind not in _DELETABLE:
        raise ValidationError(
            N_(
                "The office deleted a record ({kind}, {uid}); a desk never deletes one of its "
                "kind, so it is kept here.",
                kind=RECORD_KINDS.get(kind, kind),
                uid=uid,
            )
        )
    row_id = store.meetings.id_for_uid(table, uid) if table else None
    if row_id is None:
        return
    if kind == "action":
        store.actions.delete(row_id)
    elif kind == "anniversary" and not store.anniversaries.is_deleted(row_id):
        store.anniversaries.delete(row_id)
    elif kind == "meeting":
        store.meetings.delete(row_id)
    elif kind == "delegation":
        store.delegations.delete(row_id)
    elif kind == "person":
        store.people.delete(row_id)


def _photo(store: Store, person: Person) -> str | None:
    if not person.has_photo or person.id is None:
        return None
    photo = store.people.photo(person.id)
    return base64.b64encode(photo).decode("ascii") if photo else None


def export_file(store: Store, path: Path) -> None:
    text = json.dumps(export_data(store), ensure_ascii=False, indent=2)
    # Private (the records are sensitive), and a half-written export never replaces a good one.
    write_private(path, (text + "\n").encode("utf-8"))


# --- import ---------------------------------------------------------------------------------


class _Resolver:
    """Maps uids in the file to ids in the database, naming what is missing."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.current: Any = None  # the uid of the record being imported, for failures

    def id(self, table: str, uid: Any, what: str) -> int | None:
        if uid in (None, ""):
            return None
        found = self.store.meetings.id_for_uid(table, str(uid))
        if found is None:
            raise ValidationError(
                N_(
                    "{what} refers to a record ({kind}, {uid}) that is neither in the file "
                    "nor in the database.",
                    what=what,
                    kind=RECORD_KINDS.get(table, table),
                    uid=uid,
                )
            )
        return found

    def existing(self, table: str, uid: str) -> tuple[int | None, int]:
        row = self.store.db.execute(
            f"SELECT id, version FROM {table} WHERE uid = ?", [uid]
        ).fetchone()
        return (row[0], row[1]) if row else (None, 0)


def record_uid(record: dict[str, Any], what: str) -> str:
    """The record's uid; refused when it has none."""
    return _uid(record, what)


def _uid(record: dict[str, Any], what: str) -> str:
    uid = record.get("uid")
    if not isinstance(uid, str) or not uid.strip():
        raise ValidationError(N_("{what} has no uid.", what=what))
    return uid


def _text(record: dict[str, Any], key: str, default: str = "") -> str:
    value = record.get(key, default)
    return default if value is None else str(value)


def _list(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValidationError(N_("“{key}” must be a list of records.", key=key))
    return value


# --- from the export format to domain objects (the import's, and a join's bulk load) -------

# (table, uid or None, what) -> the record's id here; refuses a uid it does not know.
Resolve = Callable[[str, Any, str], "int | None"]


def country_from(
    r: dict[str, Any], what: str, uid: str, row_id: int | None = None, version: int = 0
) -> Country:
    national_day = _base(r.get("national_day"), what)
    if isinstance(national_day, date):
        national_day = MonthDay(national_day.month, national_day.day)
    return Country(
        id=row_id,
        uid=uid,
        version=version,
        name=_text(r, "name"),
        iso_code=r.get("iso_code"),
        other_names=list(r.get("other_names") or []),
        capital=_text(r, "capital"),
        relations_established=_day_or_year(r.get("relations_established"), what),
        national_day=national_day,
        national_day_name=r.get("national_day_name"),
        notes=_text(r, "notes"),
        provenance=_text(r, "provenance"),
    )


def organisation_from(
    r: dict[str, Any],
    what: str,
    resolve: Resolve,
    uid: str,
    row_id: int | None = None,
    version: int = 0,
) -> Organisation:
    return Organisation(
        id=row_id,
        uid=uid,
        version=version,
        name=_text(r, "name"),
        short_name=r.get("short_name"),
        other_names=list(r.get("other_names") or []),
        kind=_enum(OrganisationKind, r.get("kind", "other"), what),
        country_id=resolve("country", r.get("country"), what),
        parent_id=resolve("organisation", r.get("parent"), what),
        founded_on=_base(r.get("founded_on"), what),
        notes=_text(r, "notes"),
        provenance=_text(r, "provenance"),
    )


def person_from(
    r: dict[str, Any],
    what: str,
    resolve: Resolve,
    uid: str,
    row_id: int | None = None,
    version: int = 0,
) -> Person:
    return Person(
        id=row_id,
        uid=uid,
        version=version,
        full_name=_text(r, "full_name"),
        variants=[
            PersonName(_text(v, "name"), _text(v, "note"), v.get("misprint") is True)
            for v in r.get("variants") or []
        ],
        side=_enum(Side, r.get("side", "counterpart"), what),
        form_of_address=_text(r, "form_of_address"),
        country_id=resolve("country", r.get("country"), what),
        birth_date=_base(r.get("birth_date"), what),
        notes=_text(r, "notes"),
        provenance=_text(r, "provenance"),
        positions=[
            Position(
                uid=_uid(p, f"A position of {what}"),
                title=_text(p, "title"),
                organisation_id=resolve("organisation", p.get("organisation"), what),
                start=_date(p.get("start"), what),
                end=_date(p.get("end"), what),
                provenance=_text(p, "provenance"),
            )
            for p in r.get("positions") or []
        ],
    )


def photo_from(r: dict[str, Any], what: str) -> bytes:
    try:
        return base64.b64decode(r["photo"], validate=True)
    except ValueError:
        raise ValidationError(N_("{what}: the photo is not valid base64.", what=what)) from None


def anniversary_from(
    r: dict[str, Any],
    what: str,
    resolve: Resolve,
    uid: str,
    row_id: int | None = None,
    version: int = 0,
) -> Anniversary:
    base = _base(r.get("base_date"), what)
    if base is None:
        raise ValidationError(N_("{what} has no date.", what=what))
    return Anniversary(
        id=row_id,
        uid=uid,
        version=version,
        kind=_enum(AnniversaryKind, r.get("kind"), what),
        title=_text(r, "title"),
        base_date=base,
        country_id=resolve("country", r.get("country"), what),
        organisation_id=resolve("organisation", r.get("organisation"), what),
        person_id=resolve("person", r.get("person"), what),
        lead_days=r.get("lead_days"),
        notes=_text(r, "notes"),
        provenance=_text(r, "provenance"),
    )


def meeting_from(
    r: dict[str, Any],
    what: str,
    resolve: Resolve,
    uid: str,
    row_id: int | None = None,
    version: int = 0,
    source_version: Callable[[str], int] = lambda _uid: 0,
    document_version: Callable[[str], int] = lambda _uid: 0,
) -> Meeting:
    """The meeting with its participants, sources and documents signed (its actions come
    apart)."""
    day = _date(r.get("date"), what)
    if day is None:
        raise ValidationError(N_("{what} has no date.", what=what))
    meeting = Meeting(
        id=row_id,
        uid=uid,
        version=version,
        date=day,
        precision=_enum(Precision, r.get("precision", "day"), what),
        time=r.get("time"),
        venue=_text(r, "venue"),
        city=_text(r, "city"),
        country_id=resolve("country", r.get("country"), what),
        format=_enum(MeetingFormat, r.get("format", "in_person"), what),
        occasion=_text(r, "occasion"),
        kind=_text(r, "kind"),
        subject=_text(r, "subject"),
        summary=_text(r, "summary"),
        topics=[str(t) for t in r.get("topics") or []],
        delegation_id=resolve("delegation", r.get("delegation"), what),
        confidentiality=_enum(Confidentiality, r.get("confidentiality", "public"), what),
        provenance=_text(r, "provenance"),
        participants=[
            Participant(
                person_id=resolve("person", p.get("person"), what) or 0,
                side=_enum(Side, p.get("side", "counterpart"), what),
                role=_text(p, "role"),
                title=_text(p, "title"),
                organisation_id=resolve("organisation", p.get("organisation"), what),
            )
            for p in r.get("participants") or []
        ],
        sources=[
            Source(
                uid=_uid(s, f"A source of {what}"),
                publisher=_text(s, "publisher"),
                url=_text(s, "url"),
                published_on=_date(s.get("published_on"), what),
                title=_text(s, "title"),
                text=_text(s, "text"),
                document=_text(s, "document"),
                version=source_version(_uid(s, f"A source of {what}")),
            )
            for s in r.get("sources") or []
        ],
        documents=[
            SignedDocument(
                uid=_uid(d, f"A document signed at {what}"),
                title=_text(d, "title"),
                kind=_enum(DocumentKind, d.get("kind", "other"), what),
                signed_on=_date(d.get("signed_on"), what),
                signed_by=[str(n) for n in d.get("signed_by") or []],
                version=document_version(_uid(d, f"A document signed at {what}")),
            )
            for d in r.get("documents_signed") or []
        ],
    )
    if any(p.person_id == 0 for p in meeting.participants):
        raise ValidationError(N_("{what} has a participant without a person.", what=what))
    return meeting


def action_from(
    r: dict[str, Any],
    what: str,
    resolve: Resolve,
    uid: str,
    row_id: int | None = None,
    version: int = 0,
) -> AgreedAction:
    return AgreedAction(
        id=row_id,
        uid=uid,
        version=version,
        meeting_id=resolve("meeting", r.get("meeting"), what),
        text=_text(r, "text"),
        owner=_text(r, "owner"),
        due=_date(r.get("due"), what),
        due_anniversary_id=resolve("anniversary", r.get("due_anniversary"), what),
        status=_enum(ActionStatus, r.get("status", "open"), what),
        completed_on=_date(r.get("completed_on"), what),
        outcome=_text(r, "outcome"),
        fulfilled_meeting_id=resolve("meeting", r.get("fulfilled_meeting"), what),
        provenance=_text(r, "provenance"),
    )


def history_from(r: dict[str, Any], what: str, resolve: Resolve) -> list[dict[str, Any]]:
    """An action's status history as the store keeps it."""
    return [
        {
            "changed_at": _text(h, "changed_at"),
            "old_status": h.get("old_status"),
            "new_status": _enum(ActionStatus, h.get("new_status"), what).value,
            "meeting_id": resolve("meeting", h.get("meeting"), what),
            "note": _text(h, "note"),
        }
        for h in r.get("history") or []
    ]


def import_data(
    store: Store, document: Any, same_people: list[str] | None = None
) -> dict[str, int]:
    """Import everything in one transaction; any bad record rolls it all back.
    Returns how many records of each kind were read. ``same_people`` receives a line for each
    new person whose name matches someone already known ("… may be Maulen Ashimbayev").

    The whole document is checked against the export format first, before anything touches
    the database (export_format.py)."""
    check_document(document)
    counts: dict[str, int] = {}
    created: list[int] = []
    with store.transaction():
        _import(store, document, counts, created)
    if same_people is not None:
        same_people.extend(_same_people(store, created))
    return counts


def _same_people(store: Store, created: list[int]) -> list[str]:
    """A line for each person the import created whose name may well be someone else's."""
    lines: list[str] = []
    for person_id in created:
        person = store.people.get(person_id)
        known = people_like(store, person.all_names(), other_than=person_id)
        if known:
            others = known[0].described
            for other in known[1:3]:
                others = N_("{first} or {then}", first=others, then=other.described)
            lines.append(
                N_(
                    "“{name}” may be {others}: check, and merge the two if so.",
                    name=person.full_name,
                    others=others,
                )
            )
    return lines


def _import(
    store: Store,
    doc: dict[str, Any],
    counts: dict[str, int],
    created: list[int],
    ref: _Resolver | None = None,
    new: NewRecords | None = None,
) -> None:
    ref = ref or _Resolver(store)
    settings = doc.get("settings", {})
    if not isinstance(settings, dict):
        raise ValidationError(N_("“settings” must be an object."))
    ref.current = "settings"
    for key, value in settings.items():
        store.settings.set(str(key), str(value))

    for n, r in enumerate(_list(doc, "countries"), 1):
        what = N_("Country {n} ({name})", n=n, name=r.get("name", "?"))
        ref.current = r.get("uid")
        uid = _uid(r, what)
        row_id, version = ref.existing("country", uid)
        country = country_from(r, what, uid, row_id, version)
        if "capital" not in r and row_id is not None:
            # An export from before capitals were kept leaves the one known in place.
            country.capital = store.countries.get(row_id).capital
        store.countries.save(country)
    counts["countries"] = len(_list(doc, "countries"))
    # Titles of derived anniversaries name our country, which may come later in the file.
    store.countries.resync_anniversaries()

    organisations = _list(doc, "organisations")
    # Parents first, whatever the order in the file.
    pending = list(organisations)
    known = {o.uid for o in store.organisations.all()}
    while pending:
        ready = [o for o in pending if o.get("parent") in (None, "") or o.get("parent") in known]
        if not ready:
            ready = pending[:1]  # the resolver names the missing parent
        for r in ready:
            pending.remove(r)
            what = N_("Organisation “{name}”", name=r.get("name", "?"))
            ref.current = r.get("uid")
            uid = _uid(r, what)
            row_id, version = ref.existing("organisation", uid)
            store.organisations.save(organisation_from(r, what, ref.id, uid, row_id, version))
            known.add(uid)
    counts["organisations"] = len(organisations)

    people = _list(doc, "people")
    for r in people:
        what = N_("Person “{name}”", name=r.get("full_name", "?"))
        ref.current = r.get("uid")
        uid = _uid(r, what)
        row_id, version = ref.existing("person", uid)
        if new is not None and row_id is None and new.takes("person", r):
            new.people.append((r, what, uid))
            continue
        person = store.people.save(person_from(r, what, ref.id, uid, row_id, version))
        if row_id is None and person.id is not None:
            created.append(person.id)
        if r.get("photo"):
            assert person.id is not None
            store.people.set_photo(person.id, photo_from(r, what))
        if r.get("deleted"):
            store.people.delete(person.id or 0)
        elif row_id is not None and store.people.is_deleted(row_id):
            store.people.restore(row_id)
    if new is not None:
        created.extend(new.write_people(ref))
    for r in people:
        ref.current = r.get("uid")
        if r.get("merged_into"):
            what = N_("Person “{name}”", name=r.get("full_name", "?"))
            store.people.mark_merged(
                ref.id("person", r["uid"], what) or 0, ref.id("person", r["merged_into"], what) or 0
            )
    counts["people"] = len(people)

    for r in _list(doc, "anniversaries"):
        what = N_("Anniversary “{title}”", title=r.get("title", "?"))
        ref.current = r.get("uid")
        uid = _uid(r, what)
        row_id, version = ref.existing("anniversary", uid)
        if new is not None and row_id is None:
            new.anniversaries.append((r, what, uid))
            continue
        store.anniversaries.save(anniversary_from(r, what, ref.id, uid, row_id, version))
    if new is not None:
        new.write_anniversaries(ref)
    counts["anniversaries"] = len(_list(doc, "anniversaries"))

    for r in _list(doc, "anniversary_preparation"):
        what = N_("The preparation of anniversary {uid}", uid=r.get("uid", "?"))
        ref.current = r.get("uid")
        row_id = ref.id("anniversary", _uid(r, what), what)
        assert row_id is not None
        lead_days = r.get("lead_days")
        if lead_days is not None and not isinstance(lead_days, int):
            raise ValidationError(
                N_("{what}: the lead time must be a whole number of days.", what=what)
            )
        prepared = store.anniversaries.get(row_id)
        prepared.lead_days = lead_days
        prepared.notes = _text(r, "notes")
        store.anniversaries.save(prepared)

    delegations = _list(doc, "delegations")

    def delegation(r: dict[str, Any], with_programme: bool) -> None:
        what = N_("Delegation “{title}”", title=r.get("title", "?"))
        ref.current = r.get("uid")
        uid = _uid(r, what)
        row_id, version = ref.existing("delegation", uid)
        start = _date(r.get("start"), what)
        if start is None:
            raise ValidationError(N_("{what} has no start date.", what=what))
        store.delegations.save(
            Delegation(
                id=row_id,
                uid=uid,
                version=version,
                title=_text(r, "title"),
                direction=_enum(DelegationDirection, r.get("direction"), what),
                start=start,
                end=_date(r.get("end"), what),
                country_id=ref.id("country", r.get("country"), what),
                organisation_id=ref.id("organisation", r.get("organisation"), what),
                head_person_id=ref.id("person", r.get("head"), what),
                city=_text(r, "city"),
                purpose=_text(r, "purpose"),
                status=_enum(DelegationStatus, r.get("status", "planned"), what),
                notes=_text(r, "notes"),
                provenance=_text(r, "provenance"),
                members=[
                    DelegationMember(
                        person_id=ref.id("person", m.get("person"), what) or 0,
                        role=_text(m, "role"),
                    )
                    for m in r.get("members") or []
                ],
                programme=[
                    ProgrammeItem(
                        uid=_uid(i, N_("A programme item of {what}", what=what)),
                        day=_date(i.get("day"), what) or start,
                        time=i.get("time"),
                        title=_text(i, "title"),
                        place=_text(i, "place"),
                        meeting_id=(
                            ref.id("meeting", i.get("meeting"), what) if with_programme else None
                        ),
                        notes=_text(i, "notes"),
                    )
                    for i in r.get("programme") or []
                ],
            )
        )

    # Delegations and meetings point at each other: delegations first, their programme's
    # meeting links once the meetings exist.
    for r in delegations:
        delegation(r, with_programme=False)
    counts["delegations"] = len(delegations)

    meetings = _list(doc, "meetings")
    actions = _list(doc, "actions")
    if new is not None:
        of_meeting: dict[Any, list[dict[str, Any]]] = {}
        for a in actions:
            of_meeting.setdefault(a.get("meeting"), []).append(a)
    for r in meetings:
        what = N_("Meeting “{subject}”", subject=r.get("subject", "?"))
        ref.current = r.get("uid")
        uid = _uid(r, what)
        row_id, version = ref.existing("meeting", uid)
        if new is not None and row_id is None and new.takes("meeting", r, of_meeting.get(uid, [])):
            new.meetings.append((r, what, uid))
            continue
        meeting = meeting_from(
            r,
            what,
            ref.id,
            uid,
            row_id,
            version,
            # An import merges by uid: it is based on the version in the file now.
            lambda source_uid: ref.existing("meeting_source", source_uid)[1],
            lambda document_uid: ref.existing("signed_document", document_uid)[1],
        )
        # Actions live in their own list; keep those already attached to this meeting.
        if row_id is not None:
            meeting.actions = store.actions.for_meeting(row_id)
        store.meetings.save(meeting)
        if r.get("deleted"):
            store.meetings.delete(meeting.id or 0)
        elif row_id is not None and store.meetings.is_deleted(row_id):
            store.meetings.restore(row_id)
    if new is not None:
        new.write_meetings(ref, actions)
    counts["meetings"] = len(meetings)

    for r in delegations:
        delegation(r, with_programme=True)

    ordinals: dict[Any, int] = {}
    for r in actions:
        what = N_("Agreed action “{text}”", text=_text(r, "text")[:60])
        ref.current = r.get("uid")
        uid = _uid(r, what)
        if new is not None and uid in new.actions_written:
            continue
        row_id, version = ref.existing("agreed_action", uid)
        action = store.actions.save(
            action_from(r, what, ref.id, uid, row_id, version),
            ordinal=ordinals.setdefault(r.get("meeting"), 0),
        )
        ordinals[r.get("meeting")] += 1
        if "history" in r:
            store.actions.replace_history(action.id or 0, history_from(r, what, ref.id))
    counts["actions"] = len(actions)


def import_file(store: Store, path: Path, same_people: list[str] | None = None) -> dict[str, int]:
    if not path.exists():
        raise ValidationError(N_("There is no file {path}.", path=path))
    try:
        document = json.loads(path.read_text(encoding="utf-8"), parse_int=_whole_number)
    except UnicodeDecodeError:
        raise ValidationError(N_("{path} is not a text file in UTF-8.", path=path)) from None
    except json.JSONDecodeError as error:
        raise ValidationError(
            N_(
                "{path} is not valid JSON (line {line}, column {column}).",
                path=path,
                line=error.lineno,
                column=error.colno,
            )
        ) from None
    except RecursionError:
        # An export nests five levels deep; thousands of brackets are not one.
        raise ValidationError(
            N_(
                "{path} is nested too deeply to be a Protocol Desk export. Nothing was imported.",
                path=path,
            )
        ) from None
    return import_data(store, document, same_people)


class TooLongNumber:
    """A whole number in a file with more digits than any field holds: kept as its digits,
    so the format check names its record and field (``int`` would refuse it unnamed)."""

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a number of {len(self.digits):,} digits"


def _whole_number(digits: str) -> int | TooLongNumber:
    return int(digits) if len(digits) <= 30 else TooLongNumber(digits)
