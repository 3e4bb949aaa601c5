"""The Today page: anniversaries of the coming weeks, visits about to start or under way,
and agreed actions falling due or overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from protocol_desk.domain.anniversaries import horizon_end
from protocol_desk.domain.models import DelegationStatus

# The page is read beside the window: what reading it needs is imported then, not at start.
if TYPE_CHECKING:
    from protocol_desk.domain.listing import ActionRow, DelegationRow
    from protocol_desk.services.anniversaries import UpcomingItem, YearAnniversary
    from protocol_desk.store import Store

DEFAULT_DAYS = 28  # "the next weeks"
LIST_LIMIT = 100  # a page lists this many of each; the counts say how many there are in all

# A cancelled visit does not happen. One marked done still counts: looking at an earlier day
# (as of 1 November, the observer mission of the 18th was about to start) the status is today's.
_HAPPENING = frozenset(set(DelegationStatus) - {DelegationStatus.CANCELLED})


@dataclass(frozen=True)
class Visit:
    """A visit starting in the window, or already under way."""

    row: DelegationRow
    under_way: bool

    def starts_in(self, as_of: date) -> int:
        return (self.row.start - as_of).days


@dataclass
class TodaySummary:
    """What the Today page shows for a day and a number of weeks ahead."""

    as_of: date
    days: int
    anniversaries: list[UpcomingItem] = field(default_factory=list)
    needing_attention: int = 0  # of the anniversaries listed
    # Relations known by the year alone with an anniversary in the weeks' years (no day).
    by_year: list[YearAnniversary] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    actions_total: int = 0  # due in the window or overdue, however many are listed
    overdue: int = 0

    @property
    def end(self) -> date:
        return horizon_end(self.as_of, self.days)


def visits_soon(store: Store, as_of: date, days: int = DEFAULT_DAYS) -> list[Visit]:
    """Visits that start within ``days`` days or are under way, soonest first; cancelled ones
    are left out."""
    from protocol_desk.domain.listing import DelegationFilter

    end = horizon_end(as_of, days)
    rows, _ = store.delegations.page(
        DelegationFilter(date_from=as_of, date_to=end), limit=LIST_LIMIT
    )
    found = [Visit(row, under_way=row.start < as_of) for row in rows if row.status in _HAPPENING]
    found.sort(key=lambda v: (v.row.start, v.row.id))
    return found


def today_summary(store: Store, as_of: date, days: int = DEFAULT_DAYS) -> TodaySummary:
    """What the office should know this morning, ``days`` days ahead of ``as_of``."""
    from protocol_desk.domain.listing import UNFINISHED
    from protocol_desk.services.actions import ActionService
    from protocol_desk.services.anniversaries import (
        UpcomingQuery,
        upcoming_items,
        year_only_anniversaries,
    )
    from protocol_desk.store.actions import ActionFilter

    end = horizon_end(as_of, days)
    query = UpcomingQuery(as_of, days)
    anniversaries = upcoming_items(store, query)
    actions = ActionService(store)
    falling_due = ActionFilter(statuses=UNFINISHED, due_to=end)
    page = actions.page(falling_due, order_by="due", limit=LIST_LIMIT)
    return TodaySummary(
        as_of=as_of,
        days=days,
        anniversaries=anniversaries,
        needing_attention=sum(1 for item in anniversaries if item.needs_attention(as_of)),
        by_year=year_only_anniversaries(store, query),
        visits=visits_soon(store, as_of, days),
        actions=page.rows,
        actions_total=actions.count(falling_due),
        overdue=actions.count(ActionFilter(statuses=UNFINISHED, overdue_as_of=as_of)),
    )
