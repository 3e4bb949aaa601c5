"""Pairs of a written name and a stored spelling, with whether they name the same person: the
name matcher's test table (``tests/test_names.py``) and the benchmark's precision and recall.

Spellings from real releases and the region's romanisations, both scripts, misprints, case
forms inside sentences, and names that look alike but are two people."""

from __future__ import annotations

from dataclasses import dataclass

from protocol_desk.domain.names import Match, named_in, spelling_match, typed_words


@dataclass(frozen=True)
class NamePair:
    written: str  # typed in a search box, or a sentence of a release
    stored: str  # one spelling of a person kept by the office
    same: bool  # whether the two name the same person
    in_text: bool = False  # ``written`` is running text, not a typed name


def pair(written: str, stored: str, same: bool = True) -> NamePair:
    return NamePair(written, stored, same)


def sentence(written: str, stored: str, same: bool = True) -> NamePair:
    return NamePair(written, stored, same, in_text=True)


NAME_PAIRS: tuple[NamePair, ...] = (
    # Romanisations and scripts of one name.
    pair("Kassym-Jomart Tokayev", "Касым-Жомарт Токаев"),
    pair("Kasym-Zhomart Tokaev", "Kassym-Jomart Tokayev"),
    pair("Qasym-Jomart Toqaev", "Kassym-Jomart Tokayev"),
    pair("Қасым-Жомарт Тоқаев", "Kassym-Jomart Tokayev"),
    pair("Tokaev", "Kassym-Jomart Tokayev"),
    pair("Ashimbaev", "Maulen Ashimbayev"),
    pair("Ashymbayev", "Maulen Ashimbayev"),
    pair("Ашимбаев", "Maulen Ashimbayev"),
    pair("Әшімбаев", "Maulen Ashimbayev"),
    pair("Мәулен Әшімбаев", "Maulen Ashimbayev"),
    pair("Sergeenko", "Igor Sergeyenko"),
    pair("Сергеенко", "Igor Sergeyenko"),
    pair("Игорь Сергеенко", "Igor Sergeyenko"),
    pair("Rachkof", "Sergey Rachkov"),
    pair("Rachkoff", "Sergey Rachkov"),
    pair("Ratchkov", "Sergey Rachkov"),
    pair("Сергей Рачков", "Sergei Rachkov"),
    pair("Qoshanov", "Yerlan Koshanov"),
    pair("Қошанов", "Yerlan Koshanov"),
    pair("Ерлан Кошанов", "Yerlan Koshanov"),
    pair("Кул-Мухамед", "Mukhtar Kul-Mukhammed"),
    pair("Kul-Mohammed", "Mukhtar Kul-Mukhammed"),
    pair("Құл-Мұхаммед", "Mukhtar Kul-Mukhammed"),
    pair("Нарбаева", "Narbaeva"),
    pair("Norboyeva", "Нарбаева"),
    pair("Бородавкин", "Borodavkin"),
    pair("Гафарова", "Gafarova"),
    pair("Matvienko", "Матвиенко"),
    pair("Matviyenko", "Валентина Матвиенко"),
    pair("Krotov", "Кротов"),
    pair("Ismoilov", "Исмаилов"),
    pair("Lukashenka", "Alexander Lukashenko"),
    pair("Лукашэнка", "Alexander Lukashenko"),
    pair("Dmitriy", "Dmitry"),
    pair("Дмитрий", "Dmitrii"),
    pair("Nazarbaev", "Нұрсұлтан Назарбаев"),
    pair("Yevgeny", "Евгений"),
    pair("Ёлкин", "Yolkin"),
    pair("Джаксыбеков", "Dzhaksybekov"),
    pair("Djaksybekov", "Жаксыбеков"),
    pair("Khodjayev", "Ходжаев"),
    pair("Ğalym", "Ғалым"),
    # Misprints: one or two letters off in a name of six letters or more.
    pair("Ashimnayev", "Maulen Ashimbayev"),
    pair("Maulen Ashimnayev", "Maulen Ashimbayev"),
    pair("Segeenko", "Igor Sergeyenko"),
    pair("Сегеенко", "Игорь Сергеенко"),
    pair("Kochanva", "Natalya Kochanova"),
    pair("Borodavkni", "Borodavkin"),
    pair("Matvienco", "Матвиенко"),
    # Case forms, typed and in running text.
    pair("Рачковым", "Sergey Rachkov"),
    pair("Гафаровой", "Gafarova"),
    pair("Матвиенкомен", "Matvienko"),
    pair("Қошановпен", "Yerlan Koshanov"),
    pair("Тоқаевтың", "Kassym-Jomart Tokayev"),
    pair("с Сергеем Рачковым", "Sergey Rachkov"),
    pair("Mr Ashimbayev", "Maulen Ashimbayev"),
    pair("Қошановпен және", "Yerlan Koshanov"),
    sentence("Переговоры с Сергеем Рачковым прошли в Астане.", "Sergey Rachkov"),
    sentence("Встреча Касым-Жомарта Токаева с делегацией.", "Kassym-Jomart Tokayev"),
    sentence("Сенат Төрағасы Матвиенкомен кездесті.", "Валентина Матвиенко"),
    sentence("Мәжіліс Төрағасы Ерлан Қошановпен кездесу өтті.", "Yerlan Koshanov"),
    sentence("Делегацию возглавила Нарбаева.", "Танзила Нарбаева"),
    sentence("Письмо направлено Бородавкину.", "Borodavkin"),
    sentence("Talks with Maulen Ashimnayev, the Chairman of the Senate.", "Maulen Ashimbayev"),
    # Names alike that are two people.
    pair("Ashimov", "Maulen Ashimbayev", False),
    pair("Сергеев", "Игорь Сергеенко", False),
    pair("Sergeev", "Igor Sergeyenko", False),
    pair("Koshanov", "Natalya Kochanova", False),
    pair("Kochanova", "Yerlan Koshanov", False),
    pair("Ashimov", "Aigerim Ashimova", False),
    pair("Narbaev", "Нарбаева", False),
    pair("Aidar Ashimbayev", "Maulen Ashimbayev", False),
    pair("Kaya", "Kaja", False),
    pair("Ivanov", "Ivanova", False),
    pair("Rakhimov", "Rachkov", False),
    pair("Matveev", "Matvienko", False),
    pair("Kotov", "Krotov", False),
    pair("Сергеев", "Sergey Rachkov", False),
    pair("Alexeev", "Alexei Borodavkin", False),
    sentence("Сергеев и Петров обсудили повестку.", "Игорь Сергеенко", False),
    pair("с Сергеевым", "Игорь Сергеенко", False),
    sentence("The Senate met the Majilis.", "Maulen Ashimbayev", False),
)


def matched(entry: NamePair) -> Match | None:
    """How the matcher takes one pair (None: as two people)."""
    if entry.in_text:
        return named_in(entry.written, entry.stored)
    return spelling_match(typed_words(entry.written, as_typed=False), entry.stored)


def precision_recall(pairs: tuple[NamePair, ...] = NAME_PAIRS) -> tuple[float, float]:
    """The share of the matcher's matches that are right, and of the right ones it finds."""
    found = [(entry, matched(entry) is not None) for entry in pairs]
    true_positive = sum(1 for entry, hit in found if hit and entry.same)
    positive = sum(1 for _, hit in found if hit)
    relevant = sum(1 for entry in pairs if entry.same)
    precision = true_positive / positive if positive else 1.0
    recall = true_positive / relevant if relevant else 1.0
    return precision, recall
