"""The due date that applies to each action, stored for the list's index: it stays equal to
what its inputs give through every kind of change, and the list reads it the same way
whichever plan it takes."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

import protocol_desk.store.actions as actions_store
from protocol_desk.domain.anniversaries import LeapDayRule
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    Meeting,
)
from protocol_desk.services.actions import ActionService, filter_for_status
from protocol_desk.services.anniversaries import set_leap_day_rule
from protocol_desk.services.exchange import export_data, import_data
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store
from protocol_desk.store.due import DUE_SQL
from protocol_desk.store.schema import migrations


def stale_due_dates(store: Store) -> list[tuple[int, str | None, str | None]]:
    """Actions whose stored due date differs from what their inputs give now."""
    rows = store.db.execute(
        f"SELECT a.id, a.due_on, {DUE_SQL} FROM agreed_action a WHERE a.due_on IS NOT {DUE_SQL}"
    ).fetchall()
    return [tuple(r) for r in rows]


def treaty_action(store: Store, base: date, meeting_day: date) -> tuple[int, int, int]:
    """A meeting with one action due on a treaty's anniversary: (meeting, anniversary, action)."""
    with store.transaction():
        treaty = store.anniversaries.save(
            Anniversary(AnniversaryKind.TREATY, "Treaty of friendship", base_date=base)
        )
    assert treaty.id is not None
    meeting = MeetingService(store).save(
        Meeting(
            date=meeting_day,
            subject="Talks",
            actions=[AgreedAction(text="Letter on the treaty day", due_anniversary_id=treaty.id)],
        )
    )
    assert meeting.id is not None and meeting.actions[0].id is not None
    return meeting.id, treaty.id, meeting.actions[0].id


def test_the_due_date_moves_with_the_meeting_the_anniversary_and_the_leap_rule(
    store: Store,
) -> None:
    service = ActionService(store)
    meeting_id, treaty_id, action_id = treaty_action(store, date(1996, 2, 29), date(2021, 6, 1))
    assert service.row(action_id).due == date(2022, 2, 28)
    # The meeting was in fact in 2023: the next 29 February (observed) is in 2024.
    meeting = store.meetings.get(meeting_id)
    meeting.date = date(2023, 6, 1)
    MeetingService(store).save(meeting)
    assert service.row(action_id).due == date(2024, 2, 29)
    # The treaty was signed on 1 March.
    treaty = store.anniversaries.get(treaty_id)
    treaty.base_date = date(1996, 3, 1)
    with store.transaction():
        store.anniversaries.save(treaty)
    assert service.row(action_id).due == date(2024, 3, 1)
    treaty.base_date = date(1996, 2, 29)
    with store.transaction():
        store.anniversaries.save(treaty)
    set_leap_day_rule(store, LeapDayRule.MAR_1)
    meeting = store.meetings.get(meeting_id)
    meeting.date = date(2024, 6, 1)
    MeetingService(store).save(meeting)
    assert service.row(action_id).due == date(2025, 3, 1)
    assert stale_due_dates(store) == []


def test_every_demo_action_has_its_due_date_after_import_and_merge(demo_store: Store) -> None:
    assert stale_due_dates(demo_store) == []
    linked = demo_store.db.execute(
        "SELECT count(*) FROM agreed_action WHERE due_anniversary_id IS NOT NULL"
        " AND due_on IS NOT NULL"
    ).fetchone()[0]
    assert linked >= 1
    copy = Store.open(":memory:")
    try:
        import_data(copy, export_data(demo_store))
        assert stale_due_dates(copy) == []
        mine = {r.text: r.due for r in ActionService(copy).rows()}
        assert mine == {r.text: r.due for r in ActionService(demo_store).rows()}
    finally:
        copy.close()


def test_a_file_from_before_the_stored_due_dates_gets_them(db_path: Path) -> None:
    old = Database(sqlite3.connect(db_path, isolation_level=None))
    migrations.apply(old, stop_before="0003_action_due_dates")
    old.execute(
        "INSERT INTO anniversary (uid, kind, title, base_date, base_month_day)"
        " VALUES ('t', 'treaty', 'Treaty', '1992-09-16', '09-16')"
    )
    old.execute(
        "INSERT INTO meeting (uid, date, subject, subject_sort)"
        " VALUES ('m', '2022-06-06', 'Talks', 't')"
    )
    old.execute(
        "INSERT INTO agreed_action (uid, meeting_id, text, due_anniversary_id)"
        " VALUES ('a1', 1, 'For the 30th anniversary', 1)"
    )
    old.execute(
        "INSERT INTO agreed_action (uid, meeting_id, text, due_date)"
        " VALUES ('a2', 1, 'Send the plan', '2022-07-01')"
    )
    old.conn.close()
    store = Store.open(db_path)
    try:
        due = {r.text: r.due for r in ActionService(store).rows()}
        assert due == {
            "Send the plan": date(2022, 7, 1),
            "For the 30th anniversary": date(2022, 9, 16),
        }
    finally:
        store.close()


@pytest.mark.parametrize("status", ["open", "overdue", "all", "done"])
@pytest.mark.parametrize("descending", [False, True])
def test_walking_the_due_index_lists_what_sorting_lists(
    store: Store, monkeypatch: pytest.MonkeyPatch, status: str, descending: bool
) -> None:
    """Many matches walk the due-date index, few are sorted: the same rows, the same order,
    page after page, undated actions last whichever way."""
    statuses = [ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.IN_PROGRESS]
    actions = [
        AgreedAction(
            text=f"Action {n}",
            due=date(2022, 1 + n % 12, 1 + n % 28) if n % 5 else None,
            status=statuses[n % 3],
            completed_on=date(2022, 12, 31) if n % 3 == 1 else None,
        )
        for n in range(60)
    ]
    MeetingService(store).save(Meeting(date=date(2021, 12, 1), subject="Talks", actions=actions))
    _, _, linked = treaty_action(store, date(1992, 9, 16), date(2022, 1, 10))
    service = ActionService(store)
    flt = filter_for_status(status, date(2022, 7, 1))

    def listed() -> list[tuple[int, date | None]]:
        found, after = [], None
        while True:
            page = service.page(flt, order_by="due", descending=descending, after=after, limit=7)
            found += [(r.id, r.due) for r in page.rows]
            if page.next_after is None:
                return found
            after = page.next_after

    sorted_rows = listed()
    monkeypatch.setattr(actions_store, "_MANY", 1)
    walked = listed()
    assert walked == sorted_rows
    assert len(walked) == service.count(flt) > 0
    dated = [d for _, d in walked if d is not None]
    assert dated == sorted(dated, reverse=descending)
    undated = [i for i, (_, due) in enumerate(walked) if due is None]
    assert undated == list(range(len(walked) - len(undated), len(walked)))
    if status != "overdue":
        assert undated
    if status in ("open", "all"):
        assert linked in {i for i, _ in walked}
