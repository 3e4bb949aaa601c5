"""Any text of any length, in any field, prints: long and hostile text through every PDF."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from protocol_desk.cli import main
from protocol_desk.domain.models import (
    AgreedAction,
    Country,
    Delegation,
    DelegationDirection,
    DelegationMember,
    Meeting,
    Participant,
    Person,
    ProgrammeItem,
    Side,
)
from protocol_desk.reports.briefing_pdf import render_briefing
from protocol_desk.services.briefing import BriefingOptions, Subject, SubjectKind, collect_briefing
from protocol_desk.store import Store

pytestmark = pytest.mark.faults  # part of the fault suite: hostile text through every PDF

# Markup, control characters, right-to-left text, emoji and Kazakh letters in one string.
HOSTILE = (
    "<b>bold?</b> &amp; <para> ]]> \x07\x1b[31m \u202eevil\u202c שלום مرحبا "
    "👍🏽 👨‍👩‍👧 🇰🇿 ӘҒҚҢӨҰҮҺІ\r\n\ttab"
)
HOSTILE_LINE = HOSTILE.replace("\r\n", " ")  # for one-line fields (names, titles)
NO_SPACES = "x" * 100_000


def words(count: int, tag: str) -> str:
    return " ".join(f"{tag}{i}" for i in range(count))


def page_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def long_texts(store: Store) -> dict[SubjectKind, int]:
    """A country, person, meeting and visit whose every text field is long or hostile."""
    with store.transaction():
        country = store.countries.save(Country(name=f"Longland {HOSTILE_LINE}"))
        ours = store.people.save(Person(full_name="Our Chair", side=Side.OURS))
        person = store.people.save(
            Person(
                full_name="Long Notes",
                country_id=country.id,
                notes=f"NOTES-START {HOSTILE} {words(30_000, 'n')} {NO_SPACES} NOTES-END",
                form_of_address="Mr. " + "y" * 900,
            )
        )
        meeting = store.meetings.save(
            Meeting(
                date=date(2022, 5, 5),
                subject="Long talks " + HOSTILE_LINE,
                summary=f"SUMMARY-START {HOSTILE} {words(5_000, 's')} SUMMARY-END",
                participants=[
                    Participant(person_id=ours.id or 0, side=Side.OURS),
                    Participant(person_id=person.id or 0),
                ],
                actions=[
                    AgreedAction(
                        text=f"ACTION-START {HOSTILE} {words(20_000, 'a')} {NO_SPACES} ACTION-END",
                        owner="Owner " + HOSTILE_LINE,
                        due=date(2022, 9, 10),
                    )
                ],
            )
        )
        delegation = store.delegations.save(
            Delegation(
                title="Long visit",
                direction=DelegationDirection.INCOMING,
                start=date(2022, 9, 20),
                country_id=country.id,
                purpose=f"PURPOSE-START {HOSTILE} {words(20_000, 'p')} PURPOSE-END",
                members=[DelegationMember(person_id=person.id or 0, role="Head " + HOSTILE_LINE)],
                programme=[
                    ProgrammeItem(
                        day=date(2022, 9, 20),
                        title=f"ITEM-START {words(3_000, 'i')} {NO_SPACES} ITEM-END",
                        place="Place " + HOSTILE_LINE,
                    )
                ],
            )
        )
    return {
        SubjectKind.COUNTRY: country.id or 0,
        SubjectKind.PERSON: person.id or 0,
        SubjectKind.MEETING: meeting.id or 0,
        SubjectKind.DELEGATION: delegation.id or 0,
    }


@pytest.mark.parametrize(
    ("kind", "ends"),
    [
        (SubjectKind.PERSON, ["NOTES-END"]),
        (SubjectKind.COUNTRY, ["NOTES-END", "ACTION-END", "PURPOSE-END"]),
        (SubjectKind.MEETING, ["SUMMARY-END", "NOTES-END"]),
        (SubjectKind.DELEGATION, ["PURPOSE-END", "ITEM-END", "NOTES-END"]),
    ],
)
def test_long_and_hostile_text_prints_in_every_briefing(
    store: Store, long_texts: dict[SubjectKind, int], kind: SubjectKind, ends: list[str]
) -> None:
    briefing = collect_briefing(
        store, Subject(kind, long_texts[kind]), BriefingOptions(as_of=date(2022, 9, 1))
    )
    out = io.BytesIO()
    pages = render_briefing(briefing, out)
    text = page_text(out.getvalue())
    assert pages > 5
    for end in ends:
        assert end in text, end
    assert "<b>bold?</b> &amp; <para>" in text
    assert "[thumbs up sign]" in text  # an emoji the font lacks prints as its name
    assert "ӘҒҚҢӨҰҮҺІ" in text
    assert "\x1b" not in text and "\x00" not in text


def test_a_person_with_4000_characters_of_notes_prints(store: Store) -> None:
    with store.transaction():
        person = store.people.save(Person(full_name="Noted Person", notes="word " * 800))
    briefing = collect_briefing(
        store, Subject(SubjectKind.PERSON, person.id or 0), BriefingOptions(as_of=date(2022, 1, 1))
    )
    out = io.BytesIO()
    assert render_briefing(briefing, out) >= 2
    assert page_text(out.getvalue()).count("word") == 800


def test_brief_command_prints_a_person_with_long_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "office.sqlite"
    assert main(["--db", str(db), "init"]) == 0
    store = Store.open(db)
    try:
        with store.transaction():
            store.people.save(Person(full_name="Noted Person", notes="word " * 800 + "😀🫠"))
    finally:
        store.close()
    out = tmp_path / "brief.pdf"
    args = ["--db", str(db), "brief", "--person", "Noted Person", "-o", str(out)]
    assert main(args) == 0
    assert "Briefing note on Noted Person" in capsys.readouterr().out
    text = page_text(out.read_bytes())
    assert text.count("word") == 800 and "[melting face]" in text
    assert (out.stat().st_mode & 0o777) == 0o600


def test_long_and_hostile_text_prints_in_a_programme_and_a_meeting_printout(
    store: Store, long_texts: dict[SubjectKind, int]
) -> None:
    from protocol_desk.reports.briefing_pdf import write_meeting_record, write_visit_programme

    out = io.BytesIO()
    assert write_visit_programme(store, long_texts[SubjectKind.DELEGATION], out) > 5
    text = page_text(out.getvalue())
    assert "PURPOSE-END" in text and "ITEM-END" in text and "[thumbs up sign]" in text
    out = io.BytesIO()
    assert write_meeting_record(store, long_texts[SubjectKind.MEETING], out) > 5
    text = page_text(out.getvalue())
    assert "SUMMARY-END" in text and "ACTION-END" in text and "<b>bold?</b>" in text
