"""Collecting a briefing note: scope by subject, history, actions, anniversaries, talking points."""

from __future__ import annotations

from datetime import date

import pytest

from protocol_desk.domain.errors import NotFoundError, ValidationError
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Country,
    Meeting,
    Participant,
    Person,
    Side,
)
from protocol_desk.services.briefing import (
    BriefingOptions,
    Section,
    Subject,
    SubjectKind,
    collect_briefing,
    resolve_subject,
    subject_choices,
    suggest_talking_points,
)
from protocol_desk.store import Store

AS_OF = date(2022, 9, 1)


def belarus(store: Store) -> Subject:
    return resolve_subject(store, SubjectKind.COUNTRY, "Belarus")


@pytest.mark.parametrize(
    "text", ["Belarus", "belarus", "BY", "by", "БЕЛАРУСЬ", "republic of belarus"]
)
def test_country_matches_any_name_or_iso_code(demo_store: Store, text: str) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, text)
    assert demo_store.countries.get(subject.id).name == "Belarus"


def test_person_matches_any_spelling(demo_store: Store) -> None:
    for text in ("Sergei Rachkov", "сергей рачков", "Rachkov"):
        subject = resolve_subject(demo_store, SubjectKind.PERSON, text)
        assert demo_store.people.get(subject.id).full_name == "Sergey Rachkov"


def test_unknown_subjects_say_so_in_one_line(demo_store: Store) -> None:
    with pytest.raises(NotFoundError, match="No country matches “Narnia”"):
        resolve_subject(demo_store, SubjectKind.COUNTRY, "Narnia")
    with pytest.raises(NotFoundError):
        resolve_subject(demo_store, SubjectKind.MEETING, "9999")
    with pytest.raises(ValidationError, match="number"):
        resolve_subject(demo_store, SubjectKind.DELEGATION, "the visit")
    with pytest.raises(ValidationError):
        resolve_subject(demo_store, SubjectKind.ORGANISATION, "  ")


def test_belarus_as_of_september_2022(demo_store: Store) -> None:
    briefing = collect_briefing(demo_store, belarus(demo_store), BriefingOptions(as_of=AS_OF))
    assert briefing.title == "Belarus"
    assert briefing.marking == "FOR OFFICIAL USE"
    assert briefing.office_name.startswith("Protocol Office")
    assert [p.name for p in briefing.profiles] == ["Sergey Rachkov"]
    assert briefing.profiles[0].contacts == 1
    assert briefing.profiles[0].last_contact == date(2022, 6, 6)
    # Only what had happened by the as-of date: the 2026 visit is not history yet.
    assert [h.date for h in briefing.history] == [date(2022, 6, 6)]
    assert [n for n, _t in briefing.history[0].ours] == ["Mukhtar Kul-Mukhammed"]
    relations = briefing.relations
    assert relations is not None
    assert relations.established == date(1992, 9, 16)
    assert relations.years == 29
    jubilee = relations.anniversaries[0]
    assert (jubilee.date, jubilee.ordinal, jubilee.jubilee) == (date(2022, 9, 16), 30, True)
    assert len(briefing.open_actions) == 1
    action = briefing.open_actions[0]
    assert "Interparliamentary Commission" in action.text
    assert action.due == date(2022, 9, 16)
    assert not action.overdue
    assert all(briefing.shows(s) for s in Section if s is not Section.PURPOSE)
    assert not briefing.shows(Section.PURPOSE)


def test_talking_points_come_from_anniversaries_and_open_actions(demo_store: Store) -> None:
    briefing = collect_briefing(demo_store, belarus(demo_store), BriefingOptions(as_of=AS_OF))
    points = briefing.talking_points
    assert points[0].startswith("Mark the 30th anniversary of diplomatic relations with Belarus")
    assert "16 September 2022" in points[0]
    assert any(p.startswith("Follow up: Consider holding a meeting") for p in points)
    assert suggest_talking_points(briefing) == points


def test_after_the_due_date_the_action_is_overdue(demo_store: Store) -> None:
    briefing = collect_briefing(
        demo_store, belarus(demo_store), BriefingOptions(as_of=date(2022, 10, 1))
    )
    assert briefing.open_actions[0].overdue
    assert "was due 16 September 2022" in briefing.talking_points[-1]


def test_an_action_done_later_was_still_open_as_of_an_earlier_date(demo_store: Store) -> None:
    action_id = (
        collect_briefing(demo_store, belarus(demo_store), BriefingOptions(as_of=AS_OF))
        .open_actions[0]
        .action_id
    )
    action = demo_store.actions.get(action_id)
    action.status = ActionStatus.DONE
    action.completed_on = date(2022, 9, 16)
    action.outcome = "Commission met in Minsk"
    with demo_store.transaction():
        demo_store.actions.save(action)
    before = collect_briefing(demo_store, belarus(demo_store), BriefingOptions(as_of=AS_OF))
    assert [a.action_id for a in before.open_actions] == [action_id]
    after = collect_briefing(
        demo_store, belarus(demo_store), BriefingOptions(as_of=date(2022, 10, 1))
    )
    assert after.open_actions == []
    assert [(a.action_id, a.outcome) for a in after.done_actions] == [
        (action_id, "Commission met in Minsk")
    ]


def test_an_upcoming_visit_is_the_purpose(demo_store: Store) -> None:
    briefing = collect_briefing(
        demo_store, belarus(demo_store), BriefingOptions(as_of=date(2026, 1, 20), days=30)
    )
    assert [p.heading for p in briefing.purposes] == [
        "Visit of the Majilis Speaker Yerlan Koshanov to Belarus"
    ]
    assert len(briefing.purposes[0].programme) == 6
    # The visit's own meetings are the purpose, not history, and their people are profiled.
    assert all(h.date < date(2026, 1, 20) for h in briefing.history)
    assert {"Alexander Lukashenko", "Igor Sergeyenko"} <= {p.name for p in briefing.profiles}


def test_meeting_subject_looks_back_from_the_meeting(demo_store: Store) -> None:
    subject = next(
        c.subject
        for c in subject_choices(demo_store, SubjectKind.MEETING, date(2026, 2, 1))
        if "Sergeyenko" in c.label
    )
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2026, 2, 1)))
    assert briefing.title.startswith("Meeting with Igor Sergeyenko")
    assert briefing.purposes and briefing.purposes[0].when == "6 February 2026"
    assert subject.id not in [h.meeting_id for h in briefing.history]
    assert [h.date for h in briefing.history] == [date(2022, 6, 6)]
    assert [p.name for p in briefing.profiles] == ["Igor Sergeyenko"]


def test_delegation_subject_has_programme_and_members(demo_store: Store) -> None:
    subject = next(
        c.subject
        for c in subject_choices(demo_store, SubjectKind.DELEGATION, AS_OF)
        if "TurkPA" in c.label
    )
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2022, 11, 1)))
    purpose = briefing.purposes[0]
    assert purpose.when == "18 November 2022"
    assert ("Erol Kaya", "head of the delegation") in purpose.members
    assert [p.name for p in briefing.profiles] == ["Erol Kaya"]


def test_person_subject_keeps_to_that_person(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.PERSON, "Igor Sergeyenko")
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2026, 3, 1)))
    assert [p.name for p in briefing.profiles] == ["Igor Sergeyenko"]
    assert [h.date for h in briefing.history] == [date(2026, 2, 6)]
    # Relations are those of the person's country.
    assert briefing.relations is not None and briefing.relations.country == "Belarus"


def test_a_subject_with_no_records_shows_no_sections(store: Store) -> None:
    with store.transaction():
        country = store.countries.save(Country(name="Nowhere"))
    assert country.id is not None
    briefing = collect_briefing(
        store, Subject(SubjectKind.COUNTRY, country.id), BriefingOptions(as_of=AS_OF)
    )
    assert not any(briefing.shows(s) for s in Section)
    assert briefing.talking_points == []
    assert briefing.office_name == "Protocol Office"  # no setting yet
    assert briefing.marking == ""


def test_history_is_newest_first_and_capped(store: Store) -> None:
    with store.transaction():
        country = store.countries.save(Country(name="Testland"))
        ours = store.people.save(Person(full_name="Our Chair", side=Side.OURS))
        theirs = store.people.save(Person(full_name="Their Chair", country_id=country.id))
        for month in range(1, 13):
            store.meetings.save(
                Meeting(
                    date=date(2021, month, 10),
                    subject=f"Talks {month}",
                    participants=[
                        Participant(person_id=ours.id or 0, side=Side.OURS),
                        Participant(person_id=theirs.id or 0),
                    ],
                    actions=[AgreedAction(text=f"Item {month}")] if month == 1 else [],
                )
            )
    assert country.id is not None
    briefing = collect_briefing(
        store,
        Subject(SubjectKind.COUNTRY, country.id),
        BriefingOptions(as_of=AS_OF, history_limit=5),
    )
    assert [h.subject for h in briefing.history] == [f"Talks {m}" for m in (12, 11, 10, 9, 8)]
    assert briefing.history_truncated
    # The action of a meeting too old to be printed still counts as open.
    assert [a.text for a in briefing.open_actions] == ["Item 1"]
    assert briefing.profiles[0].contacts == 12


def test_sections_left_out_by_choice(demo_store: Store) -> None:
    briefing = collect_briefing(
        demo_store,
        belarus(demo_store),
        BriefingOptions(as_of=AS_OF, sections=(Section.HISTORY,), marking="SECRET"),
    )
    assert briefing.shows(Section.HISTORY)
    assert not briefing.shows(Section.ACTIONS)
    assert briefing.marking == "SECRET"


def test_the_action_summary_counts_every_open_action_not_only_those_printed(
    store: Store,
) -> None:
    with store.transaction():
        country = store.countries.save(Country(name="Testland"))
        theirs = store.people.save(Person(full_name="Their Chair", country_id=country.id))
        store.meetings.save(
            Meeting(
                date=date(2022, 1, 10),
                subject="Talks",
                participants=[Participant(person_id=theirs.id or 0)],
                actions=[
                    *(AgreedAction(text=f"Late {n}", due=date(2022, 3, n + 1)) for n in range(5)),
                    AgreedAction(text="Coming", due=date(2022, 12, 1)),
                ],
            )
        )
    assert country.id is not None
    briefing = collect_briefing(
        store,
        Subject(SubjectKind.COUNTRY, country.id),
        BriefingOptions(as_of=AS_OF, action_limit=2),
    )
    assert len(briefing.open_actions) == 2 and briefing.more_open_actions == 4
    assert briefing.overdue_actions == 5
    assert briefing.next_due == date(2022, 12, 1)
