"""Lists for pickers and filters: countries, organisations, people, meeting kinds."""

from __future__ import annotations

from dataclasses import dataclass

from protocol_desk.domain.models import MEETING_KINDS
from protocol_desk.store import Store


@dataclass(frozen=True)
class Choice:
    """An entry of a pick list: the record's id and the label shown."""

    id: int
    label: str


class ReferenceService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def countries(self) -> list[Choice]:
        return [Choice(c.id or 0, c.name) for c in self.store.countries.all()]

    def organisations(self) -> list[Choice]:
        return [Choice(o.id or 0, o.name) for o in self.store.organisations.all()]

    def people(self) -> list[Choice]:
        return [Choice(r[0], r[1]) for r in self.store.people.names_in_order()]

    def meeting_kinds(self) -> list[str]:
        """The usual kinds, then any other kind already used in the office's records."""
        used = self.store.meetings.kinds_in_use()
        return list(MEETING_KINDS) + sorted(k for k in used if k and k not in MEETING_KINDS)

    def our_country_id(self) -> int | None:
        uid = self.store.settings.get("our_country")
        return self.store.countries.id_for_uid("country", uid) if uid else None
