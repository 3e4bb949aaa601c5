"""The briefing PDF: its text read back with pypdf, metadata, fonts, outline, page breaking."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from protocol_desk.domain.dates import MonthDay
from protocol_desk.domain.models import (
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    Country,
    Delegation,
    DelegationDirection,
    DelegationMember,
    Meeting,
    Organisation,
    Participant,
    Person,
    PersonName,
    Position,
    ProgrammeItem,
    Side,
    Source,
)
from protocol_desk.reports.briefing_pdf import esc, render_briefing, write_briefing
from protocol_desk.services.briefing import (
    Briefing,
    BriefingOptions,
    PageSize,
    Section,
    Subject,
    SubjectKind,
    collect_briefing,
    resolve_subject,
)
from protocol_desk.store import Store

KAZAKH = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"


def pdf_bytes(briefing: Briefing) -> tuple[bytes, int]:
    out = io.BytesIO()
    pages = render_briefing(briefing, out)
    return out.getvalue(), pages


def page_texts(data: bytes) -> list[str]:
    """Each page's text with runs of white space folded (table cells wrap lines anywhere)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_belarus_note_has_what_the_speaker_needs(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    out = io.BytesIO()
    briefing, pages = write_briefing(
        demo_store, subject, BriefingOptions(as_of=date(2022, 9, 1)), out
    )
    text = " ".join(page_texts(out.getvalue()))
    for expected in (
        "Rachkov",
        "Kul-Mukhammed",
        "6 June 2022",
        "Interparliamentary Commission",
        "30th anniversary",
        "16 September 2022",
        "Jubilee",
        "Talking points",
        "Сергей Рачков",
    ):
        assert expected in text, expected
    assert pages == len(PdfReader(io.BytesIO(out.getvalue())).pages)
    assert briefing.title == "Belarus"


def test_every_page_has_header_footer_marking_and_page_x_of_y(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2022, 9, 1)))
    data, pages = pdf_bytes(briefing)
    texts = page_texts(data)
    assert pages == len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert text.count("FOR OFFICIAL USE") == 2  # top and bottom
        assert "Protocol Office, International Relations Department" in text
        assert f"Page {number} of {pages}" in text


def test_metadata_names_the_office_and_leaks_nothing(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2022, 9, 1)))
    data, _pages = pdf_bytes(briefing)
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert meta.title == "Briefing note: Belarus"
    assert meta.author == "Protocol Office, International Relations Department"
    assert "Belarus" in (meta.subject or "")
    assert (meta.creator or "").startswith("Protocol Desk")
    assert meta.producer == "Protocol Desk"
    for value in (meta.author, meta.creator, meta.producer, meta.subject, meta.title):
        assert value and "anonymous" not in value.lower()
        assert "unspecified" not in value.lower()
        assert "reportlab" not in value.lower()


def test_outline_lists_the_sections(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2022, 9, 1)))
    data, _pages = pdf_bytes(briefing)
    outline = PdfReader(io.BytesIO(data)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0] == "Belarus"
    assert {"Who is who", "Previous meetings", "Agreed actions", "Talking points"} <= set(titles)
    nested = [item for item in outline if isinstance(item, list)]
    assert any(child.title == "Sergey Rachkov" for group in nested for child in group)


def test_font_is_embedded_and_kazakh_round_trips(store: Store) -> None:
    with store.transaction():
        country = store.countries.save(
            Country(name=f"Қазақстан {KAZAKH}", relations_established=date(2000, 1, 5))
        )
        person = store.people.save(
            Person(
                full_name=f"Әлихан Бөкейхан {KAZAKH}",
                country_id=country.id,
                variants=[PersonName("Алихан Букейханов")],
                form_of_address="Құрметті Әлихан мырза",
            )
        )
        ours = store.people.save(Person(full_name="Ұлан Өтеген", side=Side.OURS))
        store.meetings.save(
            Meeting(
                date=date(2021, 3, 22),
                subject=f"Наурыз кездесуі {KAZAKH}",
                summary=f"Ынтымақтастық туралы келіссөздер: {KAZAKH}",
                city="Астана",
                participants=[
                    Participant(person_id=ours.id or 0, side=Side.OURS, title="Төраға"),
                    Participant(person_id=person.id or 0, title="Спикер"),
                ],
            )
        )
    assert country.id is not None
    briefing = collect_briefing(
        store, Subject(SubjectKind.COUNTRY, country.id), BriefingOptions(as_of=date(2021, 12, 1))
    )
    data, _pages = pdf_bytes(briefing)
    text = " ".join(page_texts(data))
    assert text.count(KAZAKH) >= 4
    for word in ("Әлихан Бөкейхан", "Алихан Букейханов", "Құрметті", "Наурыз", "Астана", "Төраға"):
        assert word in text
    assert b"DejaVuSans" in data
    assert b"/FontFile2" in data  # the TrueType program is in the file, not just named
    assert b"/Helvetica" not in data  # nothing fell back to a font without Cyrillic


MARKUP = "<b>bold?</b> & <para>x</para> &amp; <font size=40>big</font> <br/>"


def test_markup_in_every_field_prints_literally(store: Store) -> None:
    with store.transaction():
        store.settings.set("office_name", f"Office {MARKUP}")
        store.settings.set("marking", "SECRET <b>&")
        country = store.countries.save(
            Country(
                name=f"Land {MARKUP}",
                other_names=[f"Other {MARKUP}"],
                relations_established=date(1992, 9, 20),
                national_day=MonthDay(9, 25),
                national_day_name=f"Day {MARKUP}",
            )
        )
        organisation = store.organisations.save(
            Organisation(name=f"Assembly {MARKUP}", country_id=country.id)
        )
        person = store.people.save(
            Person(
                full_name=f"Person {MARKUP}",
                country_id=country.id,
                variants=[PersonName(f"Variant {MARKUP}")],
                form_of_address=f"Address {MARKUP}",
                notes=f"Notes {MARKUP}",
                birth_date=MonthDay(9, 10),
                positions=[
                    Position(title=f"Title {MARKUP}", organisation_id=organisation.id),
                    Position(
                        title=f"Former {MARKUP}",
                        start=date(2000, 1, 1),
                        end=date(2010, 1, 1),
                    ),
                ],
            )
        )
        ours = store.people.save(Person(full_name=f"Ours {MARKUP}", side=Side.OURS))
        store.meetings.save(
            Meeting(
                date=date(2022, 5, 5),
                subject=f"Subject {MARKUP}",
                summary=f"Summary {MARKUP}\nsecond line",
                venue=f"Venue {MARKUP}",
                city=f"City {MARKUP}",
                topics=[f"Topic {MARKUP}"],
                participants=[
                    Participant(person_id=ours.id or 0, side=Side.OURS, title=f"OurTitle {MARKUP}"),
                    Participant(person_id=person.id or 0, title=f"TheirTitle {MARKUP}"),
                ],
                sources=[Source(publisher=f"Publisher {MARKUP}", title=f"Release {MARKUP}")],
                actions=[
                    AgreedAction(
                        text=f"Action {MARKUP}", owner=f"Owner {MARKUP}", due=date(2022, 6, 1)
                    )
                ],
            )
        )
        store.anniversaries.save(
            Anniversary(
                kind=AnniversaryKind.TREATY,
                title=f"Treaty {MARKUP}",
                base_date=date(2012, 9, 15),
                country_id=country.id,
            )
        )
        store.delegations.save(
            Delegation(
                title=f"Visit {MARKUP}",
                direction=DelegationDirection.INCOMING,
                start=date(2022, 9, 20),
                country_id=country.id,
                city=f"VisitCity {MARKUP}",
                purpose=f"Purpose {MARKUP}",
                members=[DelegationMember(person_id=person.id or 0, role=f"Role {MARKUP}")],
                programme=[
                    ProgrammeItem(
                        day=date(2022, 9, 20), title=f"Item {MARKUP}", place=f"Place {MARKUP}"
                    )
                ],
            )
        )
    assert country.id is not None
    briefing = collect_briefing(
        store, Subject(SubjectKind.COUNTRY, country.id), BriefingOptions(as_of=date(2022, 9, 1))
    )
    briefing.talking_points.append(f"Point {MARKUP}")
    assert all(briefing.shows(s) for s in Section)
    data, _pages = pdf_bytes(briefing)
    text = " ".join(page_texts(data))
    literal = " ".join(MARKUP.split())
    for label in (
        "Office",
        "Land",
        "Other",
        "Day",
        "Person",
        "Variant",
        "Address",
        "Notes",
        "Title",
        "Former",
        "Subject",
        "Summary",
        "Venue",
        "City",
        "Topic",
        "OurTitle",
        "TheirTitle",
        "Publisher",
        "Release",
        "Action",
        "Owner",
        "Treaty",
        "Visit",
        "VisitCity",
        "Purpose",
        "Role",
        "Item",
        "Place",
        "Point",
    ):
        assert f"{label} {literal}" in text, label
    assert "SECRET <B>&" in text  # the marking, in capitals as printed
    assert "second line" in text


def test_every_ticked_section_is_printed_and_an_empty_one_says_so(store: Store) -> None:
    with store.transaction():
        country = store.countries.save(Country(name="Quietland"))
    assert country.id is not None
    briefing = collect_briefing(
        store, Subject(SubjectKind.COUNTRY, country.id), BriefingOptions(as_of=date(2022, 9, 1))
    )
    data, pages = pdf_bytes(briefing)
    text = " ".join(page_texts(data))
    assert pages == 1
    assert "Quietland" in text
    for heading in (
        "Purpose",
        "Who is who",
        "Previous meetings",
        "Agreed actions",
        "Talking points",
    ):
        assert heading in text
    assert "No meeting or visit is on record from 1 September 2022 to 30 November 2022" in text
    assert "No earlier meeting is on record" in text


def test_unticked_sections_are_not_printed(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    briefing = collect_briefing(
        demo_store,
        subject,
        BriefingOptions(
            as_of=date(2022, 9, 1), sections=(Section.PROFILES, Section.TALKING_POINTS)
        ),
    )
    text = " ".join(page_texts(pdf_bytes(briefing)[0]))
    assert "Who is who" in text and "Talking points" in text
    assert "Previous meetings" not in text and "Agreed actions" not in text


@pytest.fixture
def busy_counterpart(store: Store) -> Subject:
    """A counterpart met 200 times, with an action at every tenth meeting."""
    with store.transaction():
        country = store.countries.save(Country(name="Partnerland", iso_code="PL"))
        ours = store.people.save(Person(full_name="Our Chair", side=Side.OURS))
        theirs = store.people.save(Person(full_name="Their Speaker", country_id=country.id))
        start = date(2010, 1, 4)
        for i in range(200):
            day = start + timedelta(days=20 * i)
            store.meetings.save(
                Meeting(
                    date=day,
                    subject=f"Round {i} of talks",
                    summary=f"Round {i}: trade, culture and parliamentary exchange. " * 3,
                    participants=[
                        Participant(person_id=ours.id or 0, side=Side.OURS),
                        Participant(person_id=theirs.id or 0),
                    ],
                    actions=[AgreedAction(text=f"Task {i}", due=day + timedelta(days=90))]
                    if i % 10 == 0
                    else [],
                )
            )
    assert country.id is not None
    return Subject(SubjectKind.COUNTRY, country.id)


def test_200_meetings_split_over_pages_with_repeated_table_headers(
    store: Store, busy_counterpart: Subject
) -> None:
    briefing = collect_briefing(
        store, busy_counterpart, BriefingOptions(as_of=date(2021, 6, 1), history_limit=200)
    )
    assert len(briefing.history) == 200
    data, pages = pdf_bytes(briefing)
    texts = page_texts(data)
    assert pages >= 10
    history_pages = [t for t in texts if "Round 1" in t or "of talks" in t]
    assert len(history_pages) >= 5
    # Every page the history table runs onto starts it again with its header row.
    assert all("Date Meeting" in t for t in history_pages)
    joined = " ".join(texts)
    assert "Round 199 of talks" in joined and "Round 0 of talks" in joined
    assert all(f"Page {n} of {pages}" in t for n, t in enumerate(texts, start=1))


def test_letter_size_pages(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    briefing = collect_briefing(
        demo_store, subject, BriefingOptions(as_of=date(2022, 9, 1), page_size=PageSize.LETTER)
    )
    page = PdfReader(io.BytesIO(pdf_bytes(briefing)[0])).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_a_photo_is_printed_and_a_broken_one_skipped(store: Store) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (40, 90, 160)).save(buffer, format="PNG")
    with store.transaction():
        country = store.countries.save(Country(name="Photoland"))
        with_photo = store.people.save(Person(full_name="Pictured Person", country_id=country.id))
        broken = store.people.save(Person(full_name="Broken Photo", country_id=country.id))
        store.people.set_photo(with_photo.id or 0, buffer.getvalue())
        store.people.set_photo(broken.id or 0, b"not an image <b>")
    subject = Subject(SubjectKind.PERSON, with_photo.id or 0)
    data, _ = pdf_bytes(collect_briefing(store, subject, BriefingOptions(as_of=date(2022, 1, 1))))
    assert b"/Subtype /Image" in data
    subject = Subject(SubjectKind.PERSON, broken.id or 0)
    data, _ = pdf_bytes(collect_briefing(store, subject, BriefingOptions(as_of=date(2022, 1, 1))))
    assert "Broken Photo" in " ".join(page_texts(data))
    assert b"/Subtype /Image" not in data


def test_progress_is_reported(demo_store: Store) -> None:
    subject = resolve_subject(demo_store, SubjectKind.COUNTRY, "Belarus")
    briefing = collect_briefing(demo_store, subject, BriefingOptions(as_of=date(2022, 9, 1)))
    steps: list[tuple[int, int]] = []
    render_briefing(briefing, io.BytesIO(), lambda done, total: steps.append((done, total)))
    assert steps and steps[-1] == (1, 1)
    assert all(0 <= done <= total for done, total in steps)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_escaped_text_has_no_markup_left(text: str) -> None:
    escaped = esc(text)
    assert "<" not in escaped.replace("<br/>", "")
    assert "\x00" not in escaped


@given(st.text(alphabet="abcXYZ ӘҒҚҢӨҰҮҺІәғқңөұүһі Привет<>&\"'/;=\n", max_size=80))
def test_text_the_font_covers_round_trips(text: str) -> None:
    from xml.sax.saxutils import unescape

    assert unescape(esc(text).replace("<br/>", "\n")) == text


def test_emoji_the_font_lacks_print_as_their_names() -> None:
    assert esc("Well done 👍🏽 ✅") == "Well done [thumbs up sign] [white heavy check mark]"
    assert esc("☺ stays") == "☺ stays"  # the font has this one


def test_a_row_taller_than_a_page_still_prints(store: Store) -> None:
    words = " ".join(f"word{i}" for i in range(2500))  # far more than a page in a table cell
    with store.transaction():
        country = store.countries.save(Country(name="Longland"))
        theirs = store.people.save(Person(full_name="Long Speaker", country_id=country.id))
        store.meetings.save(
            Meeting(
                date=date(2022, 1, 10),
                subject="Long talks",
                participants=[Participant(person_id=theirs.id or 0)],
                actions=[AgreedAction(text=f"Begin {words} end of the action")],
            )
        )
    assert country.id is not None
    briefing = collect_briefing(
        store, Subject(SubjectKind.COUNTRY, country.id), BriefingOptions(as_of=date(2022, 2, 1))
    )
    data, pages = pdf_bytes(briefing)
    text = " ".join(page_texts(data))
    assert pages >= 3
    assert "word2499 end of the action" in text
