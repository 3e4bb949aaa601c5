"""What is coming: anniversary occurrences in a window, read with the office's settings."""

from __future__ import annotations

from datetime import date

from protocol_desk.domain.anniversaries import LeapDayRule, Occurrence, upcoming
from protocol_desk.store import Store

LEAP_DAY_SETTING = "leap_day_rule"


def leap_day_rule(store: Store) -> LeapDayRule:
    value = store.settings.get(LEAP_DAY_SETTING) or LeapDayRule.FEB_28.value
    try:
        return LeapDayRule(value)
    except ValueError:
        return LeapDayRule.FEB_28


def upcoming_anniversaries(
    store: Store, as_of: date, days: int, *, country_id: int | None = None
) -> list[Occurrence]:
    """Occurrences from ``as_of`` for ``days`` days, ordered by date."""
    anniversaries = store.anniversaries.all()
    if country_id is not None:
        anniversaries = [a for a in anniversaries if a.country_id == country_id]
    return upcoming(anniversaries, as_of, days, leap_day_rule(store))
