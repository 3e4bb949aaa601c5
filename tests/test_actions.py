"""Agreed actions: the list and its filters, overdue, closing the loop, carry-forward, CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol_desk.cli import main as cli_main
from protocol_desk.domain.anniversaries import LeapDayRule, action_due_date
from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    Country,
    Meeting,
    Participant,
    Person,
    Side,
)
from protocol_desk.services.actions import (
    ActionFilter,
    ActionRow,
    ActionService,
    filter_for_status,
)
from protocol_desk.services.anniversaries import LEAP_DAY_SETTING
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store

AS_OF = date(2022, 10, 1)


def commission_action(service: ActionService) -> int:
    """The demo's action agreed on 6 June 2022: a commission meeting for the 30th anniversary."""
    rows = [
        r
        for r in service.rows()
        if r.meeting_date == date(2022, 6, 6) and "Interparliamentary Commission" in r.text
    ]
    assert len(rows) == 1
    return rows[0].id


def person_id(store: Store, name: str) -> int:
    person = store.people.find_by_name(name)
    assert person is not None and person.id is not None
    return person.id


def log_meeting(store: Store, day: date, subject: str, counterparts: list[int]) -> Meeting:
    meeting = Meeting(
        date=day,
        subject=subject,
        participants=[Participant(person_id=p, side=Side.COUNTERPART) for p in counterparts],
    )
    return MeetingService(store).save(meeting, allow_duplicate=True)


# --- the demo's commission action -------------------------------------------------------------
def test_commission_action_is_overdue_on_1_october_2022(demo_store: Store) -> None:
    service = ActionService(demo_store)
    action_id = commission_action(service)
    overdue = service.overdue(AS_OF)
    assert [r.id for r in overdue] == [action_id]
    row = overdue[0]
    assert row.due == date(2022, 9, 16)
    assert row.due_anniversary == "Kazakhstan–Belarus diplomatic relations"
    assert row.counterpart == "Sergey Rachkov"
    assert row.country == "Belarus"
    assert row.is_overdue(AS_OF) and row.days_overdue(AS_OF) == 15


def test_not_overdue_on_its_due_day_and_overdue_the_day_after(demo_store: Store) -> None:
    service = ActionService(demo_store)
    assert service.overdue(date(2022, 9, 16)) == []
    assert len(service.overdue(date(2022, 9, 17))) == 1


def test_marking_done_at_a_new_meeting_closes_it_and_keeps_history(demo_store: Store) -> None:
    service = ActionService(demo_store)
    action_id = commission_action(service)
    rachkov = person_id(demo_store, "Sergey Rachkov")
    later = log_meeting(demo_store, date(2022, 9, 28), "Commission session in Minsk", [rachkov])
    assert later.id is not None

    # The meeting being logged lists it among the open actions with this counterpart.
    carried = service.open_with_counterparts([rachkov], exclude_meeting_id=later.id)
    assert action_id in [r.id for r in carried]

    changed = service.mark_done_at_meeting([action_id], later.id, on=later.date)
    assert changed == [action_id]
    assert service.overdue(AS_OF) == []
    assert action_id not in [r.id for r in service.open_with_counterparts([rachkov])]
    detail = service.detail(action_id)
    assert detail.row.status is ActionStatus.DONE
    assert detail.row.completed_on == date(2022, 9, 28)
    assert detail.fulfilled_meeting is not None
    assert detail.fulfilled_meeting.subject == "Commission session in Minsk"
    last = detail.history[-1]
    assert (last.old_status, last.new_status) == (ActionStatus.OPEN, ActionStatus.DONE)
    assert last.meeting_id == later.id
    assert last.meeting_subject == "Commission session in Minsk"
    assert last.summary == "Open → Done"
    # Marking again is harmless: nothing changes, no second history entry.
    assert service.mark_done_at_meeting([action_id], later.id, on=later.date) == []
    assert len(service.history(action_id)) == len(detail.history)


def test_mark_done_inside_the_meeting_save_transaction(demo_store: Store) -> None:
    """The meeting editor saves the meeting and closes its carried actions as one unit."""
    service = ActionService(demo_store)
    action_id = commission_action(service)
    rachkov = person_id(demo_store, "Sergey Rachkov")
    meetings_before = demo_store.meetings.all_ids()
    meeting = Meeting(
        date=date(2022, 9, 28),
        subject="Commission session",
        participants=[Participant(person_id=rachkov, side=Side.COUNTERPART)],
    )
    with pytest.raises(NotFoundError), demo_store.transaction():
        saved = MeetingService(demo_store).save(meeting, allow_duplicate=True)
        assert saved.id is not None
        service.mark_done_at_meeting([action_id, 999_999], saved.id, on=saved.date)
    # Nothing of it stayed: neither the meeting nor the change of status.
    assert demo_store.meetings.all_ids() == meetings_before
    assert service.row(action_id).status is ActionStatus.OPEN

    meeting.id = None
    meeting.participants = [Participant(person_id=rachkov, side=Side.COUNTERPART)]
    with demo_store.transaction():
        saved = MeetingService(demo_store).save(meeting, allow_duplicate=True)
        assert saved.id is not None
        service.mark_done_at_meeting([action_id], saved.id, on=saved.date)
    assert service.row(action_id).fulfilled_meeting_id == saved.id


def test_cli_json_lists_it_as_overdue_until_marked_done(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["--db", str(db_path), "init", "--demo"]) == 0
    capsys.readouterr()
    args = ["--db", str(db_path), "actions", "--status", "overdue", "--as-of", "01.10.2022"]
    assert cli_main([*args, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 1
    item = listed[0]
    assert {"id", "text", "status", "due", "overdue", "meeting_id", "counterpart"} <= set(item)
    assert item["due"] == "2022-09-16" and item["overdue"] is True
    assert item["status"] == "open" and item["counterpart"] == "Sergey Rachkov"
    assert item["meeting_date"] == "2022-06-06"

    store = Store.open(db_path)
    rachkov = person_id(store, "Sergey Rachkov")
    later = log_meeting(store, date(2022, 9, 28), "Commission session", [rachkov])
    assert later.id is not None
    ActionService(store).mark_done_at_meeting([item["id"]], later.id, on=later.date)
    store.close()

    assert cli_main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert cli_main(["--db", str(db_path), "actions", "--status", "done", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in done] == [item["id"]]
    assert done[0]["overdue"] is False and done[0]["completed_on"] == "2022-09-28"
    assert done[0]["fulfilled_meeting_id"] == later.id


def test_cli_plain_text_and_bad_input(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--db", str(db_path), "init", "--demo"]) == 0
    capsys.readouterr()
    assert cli_main(["--db", str(db_path), "actions", "--as-of", "2022-10-01"]) == 0
    out = capsys.readouterr().out
    assert "OVERDUE 15d" in out and "16.09.2022" in out
    assert cli_main(["--db", str(db_path), "actions", "--status", "all", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 4
    with pytest.raises(SystemExit) as exited:
        cli_main(["--db", str(db_path), "actions", "--as-of", "31.02.2022"])
    assert exited.value.code != 0
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["--db", str(db_path), "actions", "--status", "late"])


# --- a small office of its own ------------------------------------------------------------------
class Office:
    """A test database with two counterpart countries, a few meetings and actions."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.service = ActionService(store)
        with store.transaction():
            self.kz = store.countries.save(Country(name="Қазақстан", iso_code="KZ"))
            self.uz = store.countries.save(
                Country(name="Узбекистан", iso_code="UZ", relations_established=date(1992, 2, 23))
            )
            self.tr = store.countries.save(Country(name="Türkiye", iso_code="TR"))
            self.uzbek = store.people.save(
                Person(full_name="Танзила Нарбаева", country_id=self.uz.id)
            )
            self.turk = store.people.save(Person(full_name="Мустафа Шентоп", country_id=self.tr.id))
            self.ours = store.people.save(Person(full_name="Ерлан Қошанов", side=Side.OURS))
        assert self.uzbek.id and self.turk.id and self.kz.id and self.uz.id and self.tr.id
        self.tashkent = self._meeting(
            date(2023, 3, 1),
            "Talks in Tashkent",
            [self.uzbek.id],
            [
                AgreedAction(
                    text="Дайындау бірлескен іс-шаралар жоспарын", owner="Мәжіліс аппараты"
                ),
                AgreedAction(text="Exchange legislative experience", owner="Senate staff"),
            ],
        )
        self.ankara = self._meeting(
            date(2023, 5, 10),
            "Talks in Ankara",
            [self.turk.id],
            [
                AgreedAction(
                    text="Open a friendship group", owner="Аппарат Сената", due=date(2023, 6, 1)
                ),
                AgreedAction(text="Send the draft memorandum", due=date(2023, 12, 31)),
            ],
            country_id=self.kz.id,
        )

    def _meeting(
        self,
        day: date,
        subject: str,
        counterparts: list[int],
        actions: list[AgreedAction],
        country_id: int | None = None,
    ) -> Meeting:
        assert self.ours.id is not None
        meeting = Meeting(
            date=day,
            subject=subject,
            country_id=country_id,
            participants=[
                Participant(person_id=self.ours.id, side=Side.OURS),
                *(Participant(person_id=p, side=Side.COUNTERPART) for p in counterparts),
            ],
            actions=actions,
        )
        return MeetingService(self.store).save(meeting, allow_duplicate=True)

    def action(self, text: str) -> int:
        found = [r.id for r in self.service.rows() if r.text == text]
        assert len(found) == 1
        return found[0]


@pytest.fixture
def office(store: Store) -> Office:
    return Office(store)


def texts(rows: list[ActionRow]) -> list[str]:
    return [r.text for r in rows]


def test_filters_by_owner_country_due_window_and_text(office: Office) -> None:
    service = office.service
    assert texts(service.rows(ActionFilter(owner="Мәжіліс аппараты"))) == [
        "Дайындау бірлескен іс-шаралар жоспарын"
    ]
    # By the counterpart's country, and by the country the meeting was held in.
    assert sorted(texts(service.rows(ActionFilter(country_id=office.uz.id)))) == [
        "Exchange legislative experience",
        "Дайындау бірлескен іс-шаралар жоспарын",
    ]
    assert len(service.rows(ActionFilter(country_id=office.tr.id))) == 2
    assert len(service.rows(ActionFilter(country_id=office.kz.id))) == 2
    window = ActionFilter(due_from=date(2023, 5, 1), due_to=date(2023, 6, 30))
    assert texts(service.rows(window)) == ["Open a friendship group"]
    # Search folds case in any script, Kazakh letters included.
    assert texts(service.rows(ActionFilter(text="МӘЖІЛІС"))) == [
        "Дайындау бірлескен іс-шаралар жоспарын"
    ]
    assert texts(service.rows(ActionFilter(text="ankara friendship"))) == [
        "Open a friendship group"
    ]
    assert service.owners() == ["Senate staff", "Аппарат Сената", "Мәжіліс аппараты"]


def test_sorting_puts_undated_last_and_kazakh_in_dictionary_order(office: Office) -> None:
    service = office.service
    by_due = service.rows(order_by="due")
    assert [r.due for r in by_due][:2] == [date(2023, 6, 1), date(2023, 12, 31)]
    assert [r.due for r in by_due][2:] == [None, None]
    assert [r.due for r in service.rows(order_by="due", descending=True)] == [
        date(2023, 12, 31),
        date(2023, 6, 1),
        None,
        None,
    ]
    owners = [r.owner for r in service.rows(order_by="owner")]
    assert owners == ["Senate staff", "Аппарат Сената", "Мәжіліс аппараты", ""]
    descending = [r.owner for r in service.rows(order_by="owner", descending=True)]
    assert descending == ["Мәжіліс аппараты", "Аппарат Сената", "Senate staff", ""]


def test_paging_walks_every_row_once_in_order(office: Office) -> None:
    for number in range(7):
        office._meeting(
            date(2024, 1, 1 + number),
            f"Meeting {number}",
            [office.uzbek.id or 0],
            [AgreedAction(text=f"Action {number}", due=date(2024, 2, 1 + number % 3))],
        )
    service = office.service
    seen: list[int] = []
    after = None
    while True:
        page = service.page(ActionFilter(), order_by="due", limit=3, after=after)
        seen.extend(r.id for r in page.rows)
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == [r.id for r in service.rows(order_by="due")]
    assert len(seen) == len(set(seen)) == service.count(ActionFilter()) == 11


def test_bulk_status_change_is_all_or_nothing(office: Office) -> None:
    service = office.service
    ids = [r.id for r in service.rows()]
    stale = {r.id: r.version for r in service.rows()}
    changed = service.change_status(ids[:2], ActionStatus.IN_PROGRESS)
    assert changed == ids[:2]
    # Another officer's copy is now out of date: their bulk change must not half-apply.
    with pytest.raises(ConflictError):
        service.change_status(ids, ActionStatus.DROPPED, expected_versions=stale)
    statuses = [service.row(i).status for i in ids]
    assert statuses == [ActionStatus.IN_PROGRESS] * 2 + [ActionStatus.OPEN] * 2
    with pytest.raises(ValidationError):
        service.change_status([], ActionStatus.DONE)


def test_dropping_and_reopening_are_kept_in_history(office: Office) -> None:
    service = office.service
    action_id = office.action("Send the draft memorandum")
    service.change_status([action_id], ActionStatus.DROPPED, on=date(2023, 7, 1), note="Superseded")
    row = service.row(action_id)
    assert row.status is ActionStatus.DROPPED and row.completed_on == date(2023, 7, 1)
    assert not row.is_overdue(date(2024, 6, 1))
    service.change_status([action_id], ActionStatus.OPEN)
    row = service.row(action_id)
    assert row.status is ActionStatus.OPEN and row.completed_on is None
    assert row.is_overdue(date(2024, 6, 1))
    assert [(h.old_status, h.new_status, h.note) for h in service.history(action_id)] == [
        (None, ActionStatus.OPEN, ""),
        (ActionStatus.OPEN, ActionStatus.DROPPED, "Superseded"),
        (ActionStatus.DROPPED, ActionStatus.OPEN, ""),
    ]


def test_mark_done_records_date_outcome_and_meeting(office: Office) -> None:
    service = office.service
    ids = [office.action("Open a friendship group"), office.action("Send the draft memorandum")]
    later = office._meeting(date(2023, 11, 2), "Second round", [office.turk.id or 0], [])
    assert later.id is not None
    assert [m.id for m in service.fulfilment_meetings(ids)] == [later.id]
    service.mark_done(ids, date(2023, 11, 2), "Group set up; memorandum sent", later.id)
    for action_id in ids:
        row = service.row(action_id)
        assert row.status is ActionStatus.DONE
        assert row.outcome == "Group set up; memorandum sent"
        assert row.fulfilled_meeting_id == later.id
        assert service.history(action_id)[-1].note == "Group set up; memorandum sent"


def test_mark_done_refuses_what_cannot_be_true(office: Office) -> None:
    service = office.service
    action_id = office.action("Open a friendship group")
    before = service.row(action_id)
    with pytest.raises(ValidationError, match=r"agreed on 10\.05\.2023"):
        service.mark_done([action_id], date(2023, 5, 1))
    with pytest.raises(ValidationError, match="agreed at that meeting"):
        service.mark_done([action_id], date(2023, 5, 10), fulfilled_meeting_id=office.ankara.id)
    with pytest.raises(ValidationError, match="is before"):
        service.mark_done([action_id], date(2023, 5, 10), fulfilled_meeting_id=office.tashkent.id)
    with pytest.raises(ValidationError, match="does not exist"):
        service.mark_done([action_id], date(2023, 6, 1), fulfilled_meeting_id=424242)
    assert service.row(action_id) == before
    assert len(service.history(action_id)) == 1


def test_carry_forward_lists_only_open_actions_with_those_counterparts(office: Office) -> None:
    service = office.service
    uzbek = office.uzbek.id or 0
    found = service.open_with_counterparts([uzbek])
    assert sorted(texts(found)) == [
        "Exchange legislative experience",
        "Дайындау бірлескен іс-шаралар жоспарын",
    ]
    service.change_status([found[0].id], ActionStatus.DONE, on=date(2023, 4, 1))
    assert len(service.open_with_counterparts([uzbek])) == 1
    assert service.open_with_counterparts([uzbek], exclude_meeting_id=office.tashkent.id) == []
    assert service.open_with_counterparts([]) == []
    # A meeting moved to the bin takes its actions out of the lists with it.
    MeetingService(office.store).delete(office.ankara.id or 0)
    assert service.open_with_counterparts([office.turk.id or 0]) == []


def test_saving_keeps_an_actions_place_in_its_meeting(office: Office) -> None:
    second = office.action("Exchange legislative experience")
    office.service.change_status([second], ActionStatus.IN_PROGRESS)
    meeting = office.store.meetings.get(office.tashkent.id or 0)
    assert [a.text for a in meeting.actions] == [
        "Дайындау бірлескен іс-шаралар жоспарын",
        "Exchange legislative experience",
    ]


# --- due dates that follow an anniversary ------------------------------------------------------
def test_due_date_follows_the_anniversary_it_is_linked_to(office: Office) -> None:
    store, service = office.store, office.service
    relations = [a for a in store.anniversaries.all() if a.country_id == office.uz.id]
    assert len(relations) == 1 and relations[0].id is not None
    meeting = store.meetings.get(office.tashkent.id or 0)
    meeting.actions.append(
        AgreedAction(text="Letter for the anniversary", due_anniversary_id=relations[0].id)
    )
    MeetingService(store).save(meeting)
    action_id = office.action("Letter for the anniversary")
    # Agreed on 1 March 2023: the next 23 February is in 2024.
    assert service.row(action_id).due == date(2024, 2, 23)
    assert "Letter for the anniversary" not in texts(service.overdue(date(2024, 2, 23)))
    assert "Letter for the anniversary" in texts(service.overdue(date(2024, 2, 24)))
    # Correcting the date of relations moves the due date with it.
    uz = store.countries.get(office.uz.id or 0)
    uz.relations_established = date(1992, 3, 3)
    with store.transaction():
        store.countries.save(uz)
    assert service.row(action_id).due == date(2023, 3, 3)


def test_a_stored_due_date_picks_the_year_and_the_leap_day_rule_applies(store: Store) -> None:
    service = ActionService(store)
    with store.transaction():
        leap = store.anniversaries.save(
            Anniversary(AnniversaryKind.CUSTOM, "Treaty day", base_date=date(2000, 2, 29))
        )
    meeting = Meeting(
        date=date(2021, 1, 10),
        subject="Planning",
        actions=[AgreedAction(text="For 2023", due=date(2023, 1, 1), due_anniversary_id=leap.id)],
    )
    MeetingService(store).save(meeting)
    action_id = service.rows()[0].id
    assert service.row(action_id).due == date(2023, 2, 28)
    with store.transaction():
        store.settings.set(LEAP_DAY_SETTING, LeapDayRule.MAR_1.value)
    assert service.row(action_id).due == date(2023, 3, 1)


@given(
    base=st.dates(min_value=date(1900, 1, 1), max_value=date(2090, 12, 31)),
    anchor=st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
    rule=st.sampled_from(list(LeapDayRule)),
    month_day=st.booleans(),
)
def test_anniversary_due_is_the_first_observed_day_after_the_meeting(
    base: date, anchor: date, rule: LeapDayRule, month_day: bool
) -> None:
    source: date | MonthDay = MonthDay(base.month, base.day) if month_day else base
    due = action_due_date(source, None, anchor, rule)
    assert due is not None and due >= anchor
    assert (due - anchor).days <= 366 or (not month_day and due.year == base.year + 1)
    if (base.month, base.day) != (2, 29):
        assert (due.month, due.day) == (base.month, base.day)
    # A stored due date keeps its year whatever the meeting's date.
    fixed = action_due_date(source, date(2030, 7, 7), anchor, rule)
    assert fixed is not None and fixed.year == 2030


@settings(max_examples=25, deadline=None)
@given(
    actions=st.lists(
        st.tuples(
            st.sampled_from(list(ActionStatus)),
            st.one_of(
                st.none(), st.dates(min_value=date(2022, 1, 1), max_value=date(2022, 12, 31))
            ),
            st.text(
                alphabet="abcАӘҒҚҢӨҰҮҺІ <&", min_size=0, max_size=12
            ),  # owners, Kazakh and markup included
        ),
        max_size=12,
    ),
    as_of=st.dates(min_value=date(2022, 1, 1), max_value=date(2023, 1, 31)),
)
def test_overdue_filter_agrees_with_the_rule_on_each_row(
    actions: list[tuple[ActionStatus, date | None, str]], as_of: date
) -> None:
    store = Store.open(":memory:")
    try:
        meeting = Meeting(
            date=date(2021, 12, 1),
            subject="Origin",
            actions=[
                AgreedAction(
                    text=f"Action {n}",
                    owner=owner.strip(),
                    status=status,
                    due=due,
                    completed_on=date(2022, 1, 1)
                    if status in (ActionStatus.DONE, ActionStatus.DROPPED)
                    else None,
                )
                for n, (status, due, owner) in enumerate(actions)
            ],
        )
        MeetingService(store).save(meeting)
        service = ActionService(store)
        expected = sorted(
            f"Action {n}"
            for n, (status, due, _owner) in enumerate(actions)
            if status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and due and due < as_of
        )
        assert sorted(texts(service.list_by_status("overdue", as_of))) == expected
        every = service.rows(filter_for_status("all", as_of))
        assert sorted(r.text for r in every if r.is_overdue(as_of)) == expected
        for owner in {o.strip() for _s, _d, o in actions if o.strip()}:
            wanted = sorted(f"Action {n}" for n, a in enumerate(actions) if a[2].strip() == owner)
            assert sorted(texts(service.rows(ActionFilter(owner=owner)))) == wanted
    finally:
        store.close()


def test_an_unknown_status_choice_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="not a status"):
        filter_for_status("late", AS_OF)
