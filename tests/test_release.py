"""Reading a press release for the day, the people and what was agreed: in English, Russian
and Kazakh, with the seeds as real input and texts written for the cases they lack."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from protocol_desk.domain.models import Person, PersonName, Side
from protocol_desk.domain.release import agreements_in, days_in
from protocol_desk.services.release_lookup import StoreLookup
from protocol_desk.services.release_offer import OfferedPerson, ReleaseOffer, read_release
from protocol_desk.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "db" / "seeds"


def reading(store: Store, text: str, today: date | None = None) -> ReleaseOffer:
    return read_release(StoreLookup(store), text, today)


def ticked_day(text: str, today: date | None = None) -> date | None:
    """The meeting's day the reader ticks for ``text``, if any."""
    store = Store.open(":memory:")
    try:
        offered = reading(store, text, today).date
    finally:
        store.close()
    return date.fromisoformat(offered["value"]) if offered and offered["ticked"] else None


def at_meeting(people: list[OfferedPerson]) -> dict[str, bool]:
    return {p.name: p.ticked for p in people}


def seed(number: str) -> str:
    [path] = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def test_days_in_every_way_the_region_writes_them() -> None:
    text = (
        "Астана, 06.06.2022 288 просмотров. Встреча прошла 5 июня 2022 года; "
        "2022 жылғы 16 қыркүйек мерейтой. On September 16th, 2022 and 3 July 2023, "
        "then 2024-01-15. Not days: 31.02.2022, June 2022, 2019-2021, 12.2022."
    )
    found = days_in(text)
    assert [d.day for d in found] == [
        date(2022, 6, 6),
        date(2022, 6, 5),
        date(2022, 9, 16),  # once, though written twice (in Kazakh and in English)
        date(2023, 7, 3),
        date(2024, 1, 15),
    ]
    assert found[0].written == "06.06.2022" and "Астана" in found[0].context
    assert found[2].written == "2022 жылғы 16 қыркүйек"


def test_the_posting_day_and_a_day_looked_forward_to_are_not_the_meetings() -> None:
    # As a release from the other side tells it: posted two days later, with the jubilee ahead.
    days = days_in(seed("001"))
    assert [(d.day, d.looks_posted) for d in days] == [
        (date(2022, 6, 8), True),
        (date(2022, 9, 16), False),
    ]
    assert ticked_day(seed("001")) is None
    [only] = days_in(seed("000"))
    assert only.day == date(2022, 6, 6) and ticked_day(seed("000")) == only.day
    two = "Talks on 5 June 2022 followed the visit of 3 June 2022."
    assert ticked_day(two) is None  # two days: which one is for the officer to say


def test_agreements_in_three_languages_strong_ones_marked() -> None:
    text = (
        "The proposed parliamentary reform was presented. "
        "The parties agreed to continue working on a joint calendar for 2025-2026. "
        "Mr. De Roover expressed readiness to visit Astana. "
        "Стороны договорились провести заседание комиссии осенью. "
        "Тараптар бірлескен іс-шаралар жоспарын дайындауға келісті. "
        "Share this"
    )
    found = agreements_in(text)
    assert [(a.text[:24], a.strong) for a in found] == [
        ("The parties agreed to co", True),
        ("Mr. De Roover expressed ", False),  # "Mr." does not end the sentence
        ("Стороны договорились про", True),
        ("Тараптар бірлескен іс-ша", True),
    ]


def test_agreements_are_capped_keeping_the_strong_ones_in_reading_order() -> None:
    weak = [f"Delegation {n} expressed readiness to cooperate further." for n in range(20)]
    text = " ".join([*weak[:10], "In the end both sides agreed to meet again in May.", *weak[10:]])
    found = agreements_in(text, most=5)
    assert len(found) == 5 and sum(a.strong for a in found) == 1
    assert found.index(next(a for a in found if a.strong)) == 4  # after the 4 weak before it


KUL = "Mukhtar Kul-Mukhammed"


@pytest.mark.parametrize(
    ("number", "named"),
    [
        ("000", [(KUL, KUL), ("Sergey Rachkov", None)]),
        ("001", [("Sergey Rachkov", "Sergei Rachkov"), (KUL, "Mukhtar Kul-Mohammed")]),
    ],
)
def test_the_seeds_name_the_offices_people_in_any_spelling(
    demo_store: Store, number: str, named: list[tuple[str, str | None]]
) -> None:
    read = reading(demo_store, seed(number))
    assert [(p.name, p.as_written) for p in read.people] == [
        (full, written or full) for full, written in named
    ]
    assert all(p.how == "a stored spelling" for p in read.people)


def test_a_last_name_alone_finds_the_one_person_it_ends(demo_store: Store) -> None:
    read = reading(demo_store, seed("004"))
    found = {p.name: p for p in read.people}
    assert found["Igor Sergeyenko"].as_written == "Igor Segeenko"  # the release's misspelling
    koshanov = found["Yerlan Koshanov"]
    assert koshanov.how == "the last name alone" and koshanov.as_written == "Koshanov"
    assert koshanov.side == Side.OURS and koshanov.ticked  # at the talks, by his last name
    assert read.posting_date == date(2026, 2, 6)
    assert [a["ticked"] for a in read.actions] == [True]


def test_a_spelling_two_people_share_names_neither(store: Store) -> None:
    for note in ("the senator", "the ambassador"):
        store.people.save(
            Person(full_name="Aidos Serikov", variants=[PersonName("Айдос Сериков", note)])
        )
    store.people.save(Person(full_name="Нұрлан Ерланұлы Жақсыбеков", side=Side.OURS))
    read = reading(
        store, "Айдос Сериков и Serikov встретились с Нұрлан Ерланұлы Жақсыбеков в Астане."
    )
    assert [(p.name, p.person_id is not None) for p in read.people] == [
        ("Нұрлан Ерланұлы Жақсыбеков", True)
    ]


def test_an_empty_or_wordless_text_offers_nothing(demo_store: Store) -> None:
    for text in ("", "   \n\n", "288 12:00 — © 2022", "Koshanov" * 3):
        assert reading(demo_store, text).empty


def test_someone_merged_away_is_not_named(store: Store) -> None:
    kept = store.people.save(Person(full_name="Erol Kaya", variants=[PersonName("Эрол Кая")]))
    twin = store.people.save(Person(full_name="Erol Kaya"))  # the same man, entered twice
    assert kept.id is not None and twin.id is not None
    text = "Erol Kaya (Эрол Кая) led the mission."
    assert [p.name for p in reading(store, text).people] == ["Erol Kaya"]
    assert reading(store, text).people[0].as_written == "Эрол Кая"  # the one unshared spelling
    store.people.mark_merged(twin.id, kept.id)
    read = reading(store, text)
    assert [(p.person_id, p.as_written) for p in read.people] == [(kept.id, "Erol Kaya")]


def test_more_ways_of_writing_a_day_and_what_is_not_one() -> None:
    written = (
        "12-го марта 2024 года | «13» марта 2024 | 14/03/2024 | 2024.03.15 | 16 Mar. 2024 | "
        "Sept 17, 2024 | 18th of March 2024 | 2024 жылы 19 наурызда"
    )
    assert [d.day.isoformat() for d in days_in(written)] == [
        "2024-03-12",
        "2024-03-13",
        "2024-03-14",
        "2024-03-15",
        "2024-03-16",
        "2024-09-17",
        "2024-03-18",
        "2024-03-19",
    ]
    not_days = "version 1.2.2024, 12 March 0000, tel. 74-72-27, 2019-2021, 10:12:00, 12024-03-12"
    assert days_in(not_days) == []


def test_the_posting_day_is_told_by_the_words_before_it_or_the_time_after_it() -> None:
    days = days_in("Posted: 08.06.2022 10:12:00\n\nMinsk, 7 June 2022 – talks were held.")
    assert [(d.day.isoformat(), d.looks_posted) for d in days] == [
        ("2022-06-08", True),
        ("2022-06-07", False),  # "Posted" belongs to the day before it, not to this one
    ]
    assert ticked_day("Posted: 08.06.2022 10:12:00\n\nMinsk, 7 June 2022 – talks were held.") == (
        date(2022, 6, 7)
    )
    stamped = days_in("On 12 March the speaker met the ambassador.\n13.03.2024 09:00")
    assert [(d.day.isoformat(), d.looks_posted, d.year_guessed) for d in stamped] == [
        ("2024-03-12", False, True),  # its year is the posting's
        ("2024-03-13", True, False),
    ]
    assert ticked_day("On 12 March the speaker met the ambassador.\n13.03.2024 09:00") == (
        date(2024, 3, 12)
    )
    assert days_in("Председатель встретился 12 марта с послом.") == []  # no year to be had


def test_a_range_gives_its_first_day_an_old_treaty_or_a_day_far_from_the_posting_none() -> None:
    [ranged] = days_in("The delegation visited Minsk on 12-13 March 2024.")
    assert ranged.in_range
    assert ticked_day("The delegation visited Minsk on 12-13 March 2024.") == date(2024, 3, 12)
    treaty = "The Treaty was signed on 25 May 1992 in Moscow."
    assert ticked_day(treaty) is None  # a day of then, not of a meeting
    old = "ASTANA, 3 February 2011. The speaker met the ambassador."
    assert ticked_day(old, today=date(2026, 12, 7)) == date(2011, 2, 3)  # no cut-off by age
    far = "Posted 10.06.2024. The commission met on 02.01.2024."
    assert ticked_day(far) is None  # five months before the posting


def test_refusals_views_and_memories_are_not_agreements_signing_is() -> None:
    def strength(sentence: str) -> list[bool]:
        return [a.strong for a in agreements_in(sentence)]

    assert strength("The senator disagreed with this assessment of the reform.") == []
    assert strength("The commission remained undecided on the matter for now.") == []
    assert strength("The sides did not agree to the timetable proposed by the hosts.") == []
    assert strength("The invited guests included senators and deputies.") == []
    assert strength("The superintendent already told the guests about it.") == []
    assert strength("He recalled that in 2019 the countries agreed to cooperate.") == [False]
    assert strength("It is important to consider the proposal, the ambassador noted.") == [False]
    for signed in (
        "The parties signed a memorandum on cooperation in culture.",
        "Стороны подписали Меморандум о сотрудничестве в сфере культуры.",
        "Тараптар мәдениет саласы бойынша меморандумға қол қойды.",
        "An agreement was reached to hold the next session in Astana.",
        "Шешім қабылданды: келесі отырыс Астанада өтеді.",
    ):
        assert strength(signed) == [True], signed


def test_a_sentence_does_not_end_at_an_initial_or_a_year_abbreviation() -> None:
    found = agreements_in(
        "S. Rachkov and Mr. Kaya agreed to meet again in May. "
        "В 2022 г. стороны договорились о встрече в Астане."
    )
    assert [a.text[:12] for a in found] == ["S. Rachkov a", "В 2022 г. ст"]


def test_people_named_only_in_passing_are_told_apart(demo_store: Store) -> None:
    text = (
        "Speaker Yerlan Koshanov met Igor Sergeyenko in Minsk. He conveyed the greetings of "
        "President Kassym-Jomart Tokayev; Sergeyenko’s reply was warm."
    )
    found = at_meeting(reading(demo_store, text).people)
    assert found == {
        "Yerlan Koshanov": True,
        "Igor Sergeyenko": True,
        "Kassym-Jomart Tokayev": False,
    }


def test_a_last_name_of_someone_merged_away_finds_only_who_they_became(store: Store) -> None:
    kept = store.people.save(Person(full_name="Aigerim Bekova"))
    twin = store.people.save(Person(full_name="A. Bekova"))
    assert kept.id is not None and twin.id is not None
    assert reading(store, "Bekova spoke first.").people == []  # two people end so
    store.people.mark_merged(twin.id, kept.id)
    [found] = reading(store, "Bekova spoke first.").people
    assert found.person_id == kept.id and found.how == "the last name alone"


TODAY = date(2026, 12, 7)


def test_a_day_without_a_year_competes_with_the_one_written_in_full() -> None:
    # The Senate's layout: the posting day with its view count, the meeting the day before.
    senate = "04.12.2026 315\nМинск, 3 декабря. Маулен Ашимбаев встретился с Игорем Сергеенко."
    days = days_in(senate, TODAY)
    assert [(d.day, d.year_guessed) for d in days] == [
        (date(2026, 12, 4), False),
        (date(2026, 12, 3), True),  # the year of the day nearest to it
    ]
    # The stamp with its view count is the posting's: the dateline's day is the meeting's.
    assert ticked_day(senate, TODAY) == date(2026, 12, 3)
    kazinform = (
        "ASTANA, December 2 (Kazinform) – The speakers met. They recalled the treaty signed on "
        "22 December 2022."
    )
    # A day without a year takes the latest full day in the text, never today's year.
    assert ticked_day(kazinform, TODAY) == date(2022, 12, 2)


def test_a_posting_stamp_is_a_line_of_its_own_or_a_day_with_its_time() -> None:
    stamped = days_in("12:40, 13.03.2026\nThe speaker met the ambassador on 12 March.", TODAY)
    assert [(d.day.day, d.looks_posted) for d in stamped] == [(13, True), (12, False)]
    assert ticked_day("12:40, 13.03.2026\nThe speaker met the ambassador on 12 March.", TODAY) == (
        date(2026, 3, 12)
    )
    prose_text = (
        "Posted 17.11.2026 18:02\nThe Joint Statement published on 3 November 2026 was "
        "discussed at the talks on November 16-17, 2026."
    )
    prose = days_in(
        "Posted 17.11.2026 18:02\nThe Joint Statement published on 3 November 2026 was "
        "discussed at the talks on November 16-17, 2026.",
        TODAY,
    )
    assert [(d.day.day, d.looks_posted, d.in_range) for d in prose] == [
        (17, True, False),
        (3, False, False),  # published in a sentence: not the release's stamp
        (17, False, True),  # the last of two days
    ]
    assert ticked_day(prose_text, TODAY) is None  # a range and another day: the officer's choice


def test_same_day_news_keeps_the_day_both_as_posted_and_as_the_meetings() -> None:
    text = "Опубликовано: 24.11.2026\nАстана, 24 ноября 2026 года. Ерлан Кошанов встретился…"
    days = days_in(text, TODAY)
    assert [(d.day, d.looks_posted) for d in days] == [
        (date(2026, 11, 24), True),
        (date(2026, 11, 24), False),
    ]
    assert ticked_day(text, TODAY) == date(2026, 11, 24)


def test_people_whose_greetings_were_passed_on_or_who_are_recalled_were_not_there(
    demo_store: Store,
) -> None:
    text = (
        "At the meeting, Maulen Ashimbayev conveyed greetings from President Kassym-Jomart "
        "Tokayev to Alexander Lukashenko. He recalled his meeting with Peter De Roover. "
        "Natalya Kochanova spoke of new methods of metallurgy. "
        "Ashimbayev and Kochanova held talks in Minsk."
    )
    found = at_meeting(reading(demo_store, text).people)
    assert found == {
        "Maulen Ashimbayev": True,  # the last sentence
        "Kassym-Jomart Tokayev": False,
        "Alexander Lukashenko": False,
        "Peter De Roover": False,
        "Natalya Kochanova": True,
    }


def test_a_copied_pages_related_news_are_not_read(demo_store: Store) -> None:
    text = (
        "Posted: 02.12.2026 10:00\nMukhtar Kul-Mukhammed met Sergey Rachkov in Astana.\n"
        "Related news\nMaulen Ashimbayev met Erol Kaya on 01.12.2026\nShare"
    )
    read = reading(demo_store, text, TODAY)
    assert [p.name for p in read.people] == ["Mukhtar Kul-Mukhammed", "Sergey Rachkov"]
    assert read.date is not None and read.date["value"] == "2026-12-02"


def test_a_list_under_the_sides_agreed_gives_an_agreement_a_line() -> None:
    text = (
        "Мажилис и Великое национальное собрание обсудили сотрудничество.\n"
        "По итогам переговоров стороны договорились:\n"
        "— провести в 2027 году совместное заседание групп дружбы;\n"
        "— подготовить план межпарламентских мероприятий;\n"
        "1) рассмотреть возможность создания молодежного форума.\n"
        "\n"
        "Стороны решили:\n"
        "• обмениваться опытом;\n"
        "Спикер пригласил коллег посетить Астану."
    )
    found = agreements_in(text, release_year=2026)
    assert [(a.text, a.strong) for a in found] == [
        ("провести в 2027 году совместное заседание групп дружбы", True),
        ("подготовить план межпарламентских мероприятий", True),
        ("рассмотреть возможность создания молодежного форума.", True),
        ("обмениваться опытом", True),
        ("Спикер пригласил коллег посетить Астану.", True),
    ]  # the headings themselves are no agreed actions


def test_an_agreement_of_years_ago_is_offered_not_ticked() -> None:
    def strength(sentence: str) -> list[bool]:
        return [a.strong for a in agreements_in(sentence, release_year=2026)]

    assert strength("Кошанов напомнил о Договоре о дружбе, подписанном в 1996 году.") == []
    assert strength("Договор о дружбе, подписанный в 1996 году, остаётся основой.") == []
    assert strength("Kazakhstan signed the Paris Agreement in 2016 and keeps to it.") == [False]
    assert strength("As agreed by the Heads of State, the sides will draft a roadmap.") == [False]
    assert strength("Among those invited to the reception were ambassadors.") == []
    assert strength("По итогам встречи подписан Меморандум о сотрудничестве.") == [True]
    assert strength("The parties signed a memorandum to hold the forum in 2027.") == [True]


def test_a_quote_ends_its_sentence() -> None:
    found = agreements_in(
        "“We agreed to intensify contacts between our committees.” The weather was fine."
    )
    assert [a.text for a in found] == ["“We agreed to intensify contacts between our committees.”"]


def test_a_second_account_with_a_release_already_kept_does_not_keep_it_twice(
    demo_store: Store,
) -> None:
    from protocol_desk.domain.models import Meeting, Source
    from protocol_desk.services.meetings import MeetingService

    service = MeetingService(demo_store)
    [existing] = service.search("Rachkov")
    kept = service.get(existing.id).sources
    again = Source(publisher="Council of the Republic", text="  " + kept[1].text.replace(" ", "  "))
    other = Source(publisher="BelTA", text="Another agency's account of the same talks.")
    account = Meeting(date=date(2022, 6, 6), subject="Talks", sources=[again, other])
    merged = service.add_account(existing.id, account)
    assert [s.publisher for s in merged.sources] == [s.publisher for s in kept] + ["BelTA"]


def test_a_headline_is_a_short_line_of_who_met_whom_not_a_menu_or_a_lead() -> None:
    from protocol_desk.domain.release import headline_of

    assert headline_of(seed("000")) == (
        "Mukhtar Kul-Mukhammed met with the Chairman of the Standing Commission of the Council "
        "of the Republic of the National Assembly of Belarus"
    )  # after the site's menu: "Цвет сайта", "Senate of the Parliament", "International activity"
    assert headline_of(seed("001")) is None  # "Belarus views Kazakhstan as key partner…"
    assert headline_of("Мәжіліс Төрағасы Ерлан Қошанов Түркия делегациясымен кездесті\n…") == (
        "Мәжіліс Төрағасы Ерлан Қошанов Түркия делегациясымен кездесті"
    )
    lead = "ASTANA, December 2 (Kazinform) – The Senate Chairman met a delegation of Uzbekistan."
    assert headline_of(lead) is None  # a sentence, with its full stop
