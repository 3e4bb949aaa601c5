"""The export format (README, "Export format") as a JSON Schema, and the check of a whole
document against it before an import touches the database: every bad value is named by its
record and field in one line.

The schema says what each field may hold (text, a whole number, a date, a list of records,
one of the allowed values); the import's own rules (a date that exists, a reference that
resolves, a subject that is not empty) still run after it, inside the import's transaction.
Fields the schema does not name are let through unread, so a file from a later version that
adds a field still imports."""

from __future__ import annotations

import contextlib
import functools
import json
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_
from protocol_desk.domain.models import (
    ActionStatus,
    AnniversaryKind,
    Confidentiality,
    DelegationDirection,
    DelegationStatus,
    DocumentKind,
    MeetingFormat,
    OrganisationKind,
    Side,
)

FORMAT = "protocol-desk"
FORMAT_VERSION = 1

# Bigger than any count of days or years the office keeps; a 5,000-digit number is not one.
LARGEST_NUMBER = 1_000_000

DAY = r"^\d{4}-\d{2}-\d{2}$"
BASE_DAY = r"^(\d{4}|-)-\d{2}-\d{2}$"  # a year may be unknown: --MM-DD
DAY_OR_YEAR = r"^\d{4}(-\d{2}-\d{2})?$"  # the day may be unknown: YYYY

_PATTERN_WORDS = {
    DAY: N_("a date (YYYY-MM-DD)"),
    BASE_DAY: N_("a date (YYYY-MM-DD or --MM-DD)"),
    DAY_OR_YEAR: N_("a date (YYYY-MM-DD) or a year alone (YYYY)"),
}


def _text() -> dict[str, Any]:
    return {"type": "string"}


def _maybe_text() -> dict[str, Any]:
    return {"type": ["string", "null"]}


def _uid() -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "pattern": r"\S"}


def _reference() -> dict[str, Any]:
    """Another record's uid, or nothing."""
    return {"type": ["string", "null"]}


def _day() -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "pattern": DAY}, {"type": "null"}, {"const": ""}]}


def _day_or_year() -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "pattern": DAY_OR_YEAR}, {"type": "null"}, {"const": ""}]}


def _base_day() -> dict[str, Any]:
    return {"anyOf": [{"type": "string", "pattern": BASE_DAY}, {"type": "null"}, {"const": ""}]}


def _one_of(kind: Any) -> dict[str, Any]:
    return {"enum": [member.value for member in kind]}


def _count() -> dict[str, Any]:
    return {"type": ["integer", "null"], "minimum": 0, "maximum": LARGEST_NUMBER}


def _texts() -> dict[str, Any]:
    return {"type": ["array", "null"], "items": _text()}


def _records(properties: dict[str, Any], required: tuple[str, ...] = ("uid",)) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "properties": properties, "required": list(required)},
    }


def _maybe_records(properties: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    records = _records(properties, required)
    records["type"] = ["array", "null"]
    return records


SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["format", "format_version"],
    "properties": {
        "format": {"const": FORMAT},
        "format_version": {"const": FORMAT_VERSION},
        "settings": {"type": "object", "additionalProperties": _text()},
        "countries": _records(
            {
                "uid": _uid(),
                "name": _text(),
                "iso_code": _maybe_text(),
                "other_names": _texts(),
                "capital": _maybe_text(),
                "relations_established": _day_or_year(),
                "national_day": _base_day(),
                "national_day_name": _maybe_text(),
                "notes": _maybe_text(),
                "provenance": _maybe_text(),
            }
        ),
        "organisations": _records(
            {
                "uid": _uid(),
                "name": _text(),
                "short_name": _maybe_text(),
                "other_names": _texts(),
                "kind": _one_of(OrganisationKind),
                "country": _reference(),
                "parent": _reference(),
                "founded_on": _base_day(),
                "notes": _maybe_text(),
                "provenance": _maybe_text(),
            }
        ),
        "people": _records(
            {
                "uid": _uid(),
                "full_name": _text(),
                "variants": _maybe_records({"name": _text(), "note": _maybe_text()}, ("name",)),
                "side": _one_of(Side),
                "form_of_address": _maybe_text(),
                "country": _reference(),
                "birth_date": _base_day(),
                "notes": _maybe_text(),
                "provenance": _maybe_text(),
                "photo": _maybe_text(),
                "merged_into": _reference(),
                "deleted": {"type": ["boolean", "null"]},
                "positions": _maybe_records(
                    {
                        "uid": _uid(),
                        "title": _text(),
                        "organisation": _reference(),
                        "start": _day(),
                        "end": _day(),
                        "provenance": _maybe_text(),
                    },
                    ("uid",),
                ),
            }
        ),
        "anniversaries": _records(
            {
                "uid": _uid(),
                "kind": _one_of(AnniversaryKind),
                "title": _text(),
                "base_date": _base_day(),
                "country": _reference(),
                "organisation": _reference(),
                "person": _reference(),
                "lead_days": _count(),
                "notes": _maybe_text(),
                "provenance": _maybe_text(),
            },
            ("uid", "kind", "base_date"),
        ),
        "anniversary_preparation": _records(
            {"uid": _uid(), "lead_days": _count(), "notes": _maybe_text()}
        ),
        "delegations": _records(
            {
                "uid": _uid(),
                "title": _text(),
                "direction": _one_of(DelegationDirection),
                "start": _day(),
                "end": _day(),
                "country": _reference(),
                "organisation": _reference(),
                "head": _reference(),
                "city": _maybe_text(),
                "purpose": _maybe_text(),
                "status": _one_of(DelegationStatus),
                "notes": _maybe_text(),
                "provenance": _maybe_text(),
                "members": _maybe_records(
                    {"person": {"type": "string"}, "role": _maybe_text()}, ("person",)
                ),
                "programme": _maybe_records(
                    {
                        "uid": _uid(),
                        "day": _day(),
                        "time": _maybe_text(),
                        "title": _text(),
                        "place": _maybe_text(),
                        "meeting": _reference(),
                        "notes": _maybe_text(),
                    },
                    ("uid",),
                ),
            },
            ("uid", "direction", "start"),
        ),
        "meetings": _records(
            {
                "uid": _uid(),
                "date": _day(),
                "precision": {"enum": ["day", "month", "year"]},
                "time": _maybe_text(),
                "venue": _maybe_text(),
                "city": _maybe_text(),
                "country": _reference(),
                "format": _one_of(MeetingFormat),
                "occasion": _maybe_text(),
                "kind": _maybe_text(),
                "subject": _text(),
                "summary": _maybe_text(),
                "topics": _texts(),
                "delegation": _reference(),
                "confidentiality": _one_of(Confidentiality),
                "deleted": {"type": ["boolean", "null"]},
                "provenance": _maybe_text(),
                "participants": _maybe_records(
                    {
                        "person": {"type": "string"},
                        "side": _one_of(Side),
                        "role": _maybe_text(),
                        "title": _maybe_text(),
                        "organisation": _reference(),
                    },
                    ("person",),
                ),
                "sources": _maybe_records(
                    {
                        "uid": _uid(),
                        "publisher": _maybe_text(),
                        "url": _maybe_text(),
                        "published_on": _day(),
                        "title": _maybe_text(),
                        "text": _maybe_text(),
                        "document": _maybe_text(),
                    },
                    ("uid",),
                ),
                "documents_signed": _maybe_records(
                    {
                        "uid": _uid(),
                        "title": _text(),
                        "kind": _one_of(DocumentKind),
                        "signed_on": _day(),
                        "signed_by": _texts(),
                    },
                    ("uid", "title"),
                ),
            },
            ("uid", "date"),
        ),
        "actions": _records(
            {
                "uid": _uid(),
                "meeting": _reference(),
                "text": _text(),
                "owner": _maybe_text(),
                "due": _day(),
                "due_anniversary": _reference(),
                "status": _one_of(ActionStatus),
                "completed_on": _day(),
                "outcome": _maybe_text(),
                "fulfilled_meeting": _reference(),
                "provenance": _maybe_text(),
                "history": _maybe_records(
                    {
                        "changed_at": _text(),
                        "old_status": {"anyOf": [_one_of(ActionStatus), {"type": "null"}]},
                        "new_status": _one_of(ActionStatus),
                        "meeting": _reference(),
                        "note": _maybe_text(),
                    },
                    ("changed_at", "new_status"),
                ),
            }
        ),
    },
}

# How each list's records are named in a message: the kind, and the field that names one.
_RECORDS = {
    "countries": (N_("Country"), "name"),
    "organisations": (N_("Organisation"), "name"),
    "people": (N_("Person"), "full_name"),
    "anniversaries": (N_("Anniversary"), "title"),
    "anniversary_preparation": (N_("Anniversary preparation"), "uid"),
    "delegations": (N_("Delegation"), "title"),
    "meetings": (N_("Meeting"), "subject"),
    "actions": (N_("Agreed action"), "text"),
}
_PARTS = {
    "variants": N_("spelling"),
    "positions": N_("position"),
    "members": N_("member"),
    "programme": N_("programme item"),
    "participants": N_("participant"),
    "sources": N_("source"),
    "documents_signed": N_("document signed"),
    "history": N_("history entry"),
    "topics": N_("topic"),
    "other_names": N_("other name"),
}

_TYPE_WORDS = {
    "string": N_("text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "array": N_("a list"),
    "object": N_("a record"),
    "null": N_("empty (null)"),
}


def _json_type(value: Any) -> str:
    if value is None:
        return N_("empty (null)")
    if isinstance(value, bool):
        return N_("true or false")
    if isinstance(value, int):
        return N_("a whole number")
    if isinstance(value, float):
        return N_("a number")
    if isinstance(value, str):
        return N_("text")
    if isinstance(value, list):
        return N_("a list")
    if isinstance(value, dict):
        return N_("a record")
    return N_("a number too long to read")


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[…]" if value else "[]"  # never its repr: it may nest thousands deep
    if isinstance(value, dict):
        return "{…}" if value else "{}"
    text = _one_line(value if isinstance(value, str) else repr(value))
    return text if len(text) <= 40 else text[:39] + "…"


def _one_line(text: str) -> str:
    """Line breaks and other control characters of a value shown as escapes (``\\n``): the
    message stays one line."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}
        else ch
        for ch in text
    )


def _record_name(document: dict[str, Any], path: list[Any]) -> tuple[str, list[Any]]:
    """The record a path points into ("Meeting 3 (“Talks”)") and the rest of the path."""
    if len(path) < 2 or path[0] not in _RECORDS or not isinstance(path[1], int):
        return N_("The file"), path
    kind, naming = _RECORDS[path[0]]
    record = document[path[0]][path[1]]
    name = record.get(naming) if isinstance(record, dict) else None
    if not isinstance(name, str) or not name.strip():
        uid = record.get("uid") if isinstance(record, dict) else None
        name = uid if isinstance(uid, str) else None
    if name:
        return N_(
            "{kind} {n} (“{name}”)", kind=kind, n=path[1] + 1, name=_shown(name.strip())
        ), path[2:]
    return N_("{kind} {n}", kind=kind, n=path[1] + 1), path[2:]


def _field_name(path: list[Any]) -> str:
    parts: list[str] = []
    for step in path:
        if isinstance(step, int) and parts and parts[-1] in _PARTS:
            parts[-1] = N_("{part} {n}", part=_PARTS[parts[-1]], n=step + 1)
        else:
            parts.append(_shown(step))
    # Joined as a message, so each part keeps its own translation.
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        joined = N_("{first}, {then}", first=joined, then=part)
    return joined


def _problem(rule: str, instance: Any, schema: dict[str, Any]) -> str:
    """What is wrong with the value, in the office's words."""
    expected = schema.get(rule)
    if rule == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected or [])
        words = [_TYPE_WORDS[k] for k in kinds if k != "null"]
        wanted = words[0] if words else ""
        for word in words[1:]:
            wanted = N_("{first} or {then}", first=wanted, then=word)
        if "array" in kinds:
            items = schema.get("items", {})
            if items.get("type") == "object":
                wanted = N_("a list of records")
            elif items.get("type") == "string":
                wanted = N_("a list of texts")
        return N_(
            "must be {wanted}, not {found} ({value})",
            wanted=wanted,
            found=_json_type(instance),
            value=_shown(instance),
        )
    if rule in ("enum", "const"):
        allowed = expected if rule == "enum" else [expected]
        return N_(
            "“{value}” is not one of: {allowed}",
            value=_shown(instance),
            allowed=", ".join(map(str, allowed or [])),
        )
    if rule == "anyOf":
        # The date fields (a date, nothing, or an empty text) and a status that may be empty.
        for option in schema.get("anyOf", []):
            if option.get("pattern") in _PATTERN_WORDS:
                return N_(
                    "“{value}” is not {wanted}",
                    value=_shown(instance),
                    wanted=_PATTERN_WORDS[option["pattern"]],
                )
            if "enum" in option:
                return N_(
                    "“{value}” is not one of: {allowed}",
                    value=_shown(instance),
                    allowed=", ".join(option["enum"]),
                )
        return N_("“{value}” is not allowed here", value=_shown(instance))
    if rule in ("minLength", "pattern"):
        return N_("is empty")
    if rule == "maximum":
        return N_(
            "{value} is larger than {most}", value=_shown(instance), most=format(expected, ",")
        )
    if rule == "minimum":
        return N_("{value} is below {least}", value=_shown(instance), least=format(expected, ","))
    return N_("is not allowed here")


def _document_path(document: Any, steps: list[str]) -> list[Any]:
    """The validator's path (``data``, then keys and positions as text) as keys and list
    positions of the document."""
    path: list[Any] = []
    value = document
    for step in steps[1:]:
        key: Any = int(step) if isinstance(value, list) else step
        path.append(key)
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            break
    return path


@functools.cache
def _validator() -> Callable[[Any], Any]:
    """The schema compiled to Python once (fastjsonschema): a check of a big office's file
    takes seconds less than with an interpreting validator."""
    import fastjsonschema

    return fastjsonschema.compile(SCHEMA)


def check_document(document: Any) -> None:
    """Raise ValidationError for the first value in the document (in the document's order)
    that the format does not allow, or for a uid used twice; return when all is well."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError(
            N_("This file is not a Protocol Desk export (its “format” is missing).")
        )
    _check_whole_characters(document)
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError(
            N_(
                "The file, “format_version”: must be a whole number, not {found} ({value}). "
                "Nothing was imported.",
                found=_json_type(version),
                value=_shown(version),
            )
        )
    if version != FORMAT_VERSION:
        raise ValidationError(
            N_(
                "This export has format version {version}; this app reads version {ours}.",
                version=_shown(version),
                ours=FORMAT_VERSION,
            )
        )
    from fastjsonschema import JsonSchemaValueException

    try:
        _validator()(document)
    except RecursionError:
        # Only where the format has lists and records does the check go in: a value there
        # thousands of levels deep is no record of ours.
        raise ValidationError(
            N_(
                "The file nests lists or records far deeper than the format does. "
                "Nothing was imported."
            )
        ) from None
    except JsonSchemaValueException as error:
        path = _document_path(document, list(error.path))
        schema = error.definition or {}
        if error.rule == "required":
            missing = next(
                (name for name in schema.get("required", []) if name not in error.value), "?"
            )
            record, rest = _record_name(document, [*path, missing])
            raise ValidationError(
                N_(
                    "{record}: “{field}” is missing. Nothing was imported.",
                    record=record,
                    field=_field_name(rest),
                )
            ) from None
        record, rest = _record_name(document, path)
        problem = _problem(str(error.rule), error.value, schema)
        raise ValidationError(
            N_(
                "{record}, “{field}”: {problem}. Nothing was imported.",
                record=record,
                field=_field_name(rest),
                problem=problem,
            )
            if rest
            else N_("{record}: {problem}. Nothing was imported.", record=record, problem=problem)
        ) from None
    _check_unique_uids(document)


def _broken_text(text: str) -> bool:
    """Whether the text holds half of a character (a lone UTF-16 surrogate, which JSON can
    write as ``\\ud800``): SQLite and every file it would go to refuse it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_whole_characters(document: dict[str, Any]) -> None:
    """Refuse the first text (or key) that holds half a character, naming its record and
    field. Walked without recursion: the document may nest deeper than the format does."""
    with contextlib.suppress(RecursionError):
        if not _broken_text(json.dumps(document, ensure_ascii=False, default=repr)):
            return  # the usual case, found in one pass in C
    pending: list[tuple[Any, list[Any]]] = [(document, [])]
    while pending:
        value, path = pending.pop()
        if isinstance(value, str) and _broken_text(value):
            break
        if isinstance(value, dict):
            items: list[tuple[Any, Any]] = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        for key, item in reversed(items):
            if isinstance(key, str) and _broken_text(key):
                pending = [(key, [*path, key])]
                break
            pending.append((item, [*path, key]))
    else:
        return
    record, rest = _record_name(document, path)
    where = f", “{_field_name(rest)}”" if rest else ""
    message = f"{record}{where}: holds a broken character (half of one). Nothing was imported."
    # The record's own name may hold one too: shown escaped, so the message can be printed.
    raise ValidationError(message.encode("utf-8", "backslashreplace").decode("utf-8"))


def _uids(document: dict[str, Any]) -> Iterator[tuple[str, str, list[Any]]]:
    """(table, uid, path) of every record that has a uid, parts included."""
    tables = {
        "countries": "country",
        "organisations": "organisation",
        "people": "person",
        "anniversaries": "anniversary",
        "delegations": "delegation",
        "meetings": "meeting",
        "actions": "agreed action",
    }
    parts = {"people": "positions", "delegations": "programme", "meetings": "sources"}
    for key, table in tables.items():
        for n, record in enumerate(document.get(key) or []):
            yield table, record["uid"], [key, n]
            part = parts.get(key)
            for m, item in enumerate(record.get(part) or [] if part else []):
                yield f"{table} {part}", item["uid"], [key, n, part, m]


def _check_unique_uids(document: dict[str, Any]) -> None:
    """A uid names one record: twice in one file, the second would silently overwrite the
    first."""
    seen: dict[tuple[str, str], list[Any]] = {}
    for table, uid, path in _uids(document):
        if (table, uid) in seen:
            record, rest = _record_name(document, path)
            first, first_rest = _record_name(document, seen[(table, uid)])
            if first_rest:
                first = N_("{part} of {record}", part=_field_name(first_rest), record=first)
            if rest:
                record = N_("{first}, {then}", first=record, then=_field_name(rest))
            raise ValidationError(
                N_(
                    "{record}: its uid “{uid}” is also that of {first}. Nothing was imported.",
                    record=record,
                    uid=_shown(uid),
                    first=first,
                )
            )
        seen[(table, uid)] = path
