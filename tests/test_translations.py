"""Kazakh, Russian and English: the catalogs are complete and current, plural forms follow
CLDR, the command line and the briefing speak the language asked for."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pypdf import PdfReader

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.language import Language, name_in_language
from protocol_desk.domain.messages import N_, Nn_, in_language
from protocol_desk.i18n import LOCALE_DIR, catalog, choose_language

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = ("kk", "ru")
# The layers whose messages reach the user (the window among them).
MARKED_LAYERS = ("cli", "services", "domain", "store", "reports", "ui")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "Nn_": (1, 2), "Column": (1,)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([a-z_]+\))?[a-z]")


def po_catalog(language: str):  # type: ignore[no-untyped-def]
    path = LOCALE_DIR / language / "LC_MESSAGES" / "protocol_desk.po"
    with path.open("rb") as source:
        return read_po(source, locale=language)


def marked_messages() -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for layer in MARKED_LAYERS:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "protocol_desk" / layer, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_keeps_its_placeholders(language: str) -> None:
    entries = [m for m in po_catalog(language) if m.id]
    assert len(entries) > 250
    plural_count = {"kk": 2, "ru": 3}[language]
    for message in entries:
        assert "fuzzy" not in message.flags, message.id
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if len(ids) > 1:
            assert len(strings) == plural_count, message.id
        assert all(s.strip() for s in strings), f"{language}: {message.id!r} is untranslated"
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == wanted, (message.id, string)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_marked_outside_the_window_has_a_translation(language: str) -> None:
    translated = {
        m.id if isinstance(m.id, str) else tuple(m.id)
        for m in po_catalog(language)
        if m.id and (m.string if isinstance(m.string, str) else all(m.string))
    }
    marked = marked_messages()
    assert len(marked) > 250
    missing = sorted(str(m) for m in marked - translated)
    assert not missing, f"{language} lacks: {missing[:10]}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # 0, 1, 2, 5, 21, 22 meetings
        ("ru", ["встреч", "встреча", "встречи", "встреч", "встреча", "встречи"]),
        ("kk", ["кездесу"] * 6),
        ("en", ["meetings", "meeting", "meetings", "meetings", "meetings", "meetings"]),
    ],
)
def test_plural_forms_follow_cldr(language: str, expected: list[str]) -> None:
    words = catalog(Language(language))
    for count, word in zip([0, 1, 2, 5, 21, 22], expected, strict=True):
        text = words.ngettext(
            "{n} meeting, the last on {day}", "{n} meetings, the last on {day}", count
        ).format(n=count, day="D")
        assert text.split(",")[0] == f"{count} {word}", (language, count, text)


def test_russian_plural_has_three_forms_and_kazakh_two() -> None:
    ru, kk = catalog(Language.RUSSIAN), catalog(Language.KAZAKH)
    forms = [ru.ngettext("{n} open", "{n} open", n).format(n=n) for n in (1, 2, 5, 21, 22, 0)]
    assert forms == ["1 открыта", "2 открыты", "5 открыто", "21 открыта", "22 открыты", "0 открыто"]
    assert kk.ngettext("{n} open", "{n} open", 21).format(n=21) == "21 ашық"


def test_a_message_marked_where_raised_is_shown_in_the_readers_language() -> None:
    error = ValidationError(N_("There is no database at {path}.", path="/tmp/x"))
    assert error.message == "There is no database at /tmp/x."  # English where nobody asks
    assert in_language(error.message, catalog(Language.RUSSIAN)) == (
        "По пути /tmp/x базы данных нет."
    )
    assert in_language("plain text", catalog(Language.KAZAKH)) == "plain text"
    counted = Nn_("{n} page", "{n} pages", n=3)
    assert counted == "3 pages"


def test_the_language_comes_from_the_option_then_the_preference_then_the_system() -> None:
    system = {"LANG": "ru_RU.UTF-8"}
    assert choose_language("kk", "en", system) is Language.KAZAKH
    assert choose_language(None, "en", system) is Language.ENGLISH
    assert choose_language(None, "not a language", system) is Language.RUSSIAN
    assert choose_language(None, None, system) is Language.RUSSIAN
    assert choose_language(None, None, {"LANG": "C.UTF-8"}) is Language.ENGLISH
    assert choose_language(None, None, {"LANG": "de_DE.UTF-8"}) is Language.ENGLISH


def test_a_country_is_named_in_the_notes_language_where_the_office_has_it() -> None:
    others = ["Republic of Belarus", "Беларусь", "Белоруссия"]
    assert name_in_language("Belarus", others, Language.RUSSIAN) == "Беларусь"
    assert name_in_language("Belarus", others, Language.KAZAKH) == "Беларусь"
    assert name_in_language("Belarus", others, Language.ENGLISH) == "Belarus"
    kazakh = ["Қазақстан Республикасы", "Республика Казахстан"]
    assert name_in_language("Kazakhstan", kazakh, Language.KAZAKH) == "Қазақстан Республикасы"
    assert name_in_language("Kazakhstan", kazakh, Language.RUSSIAN) == "Республика Казахстан"
    assert name_in_language("Belgium", ["Belgique"], Language.RUSSIAN) == "Belgium"


# --- the command line, run as a user runs it ---------------------------------------------------
def run(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "protocol_desk", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, **environment},
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "office.sqlite"
    assert run("--db", str(path), "init", "--demo").returncode == 0
    return path


def test_search_speaks_russian_when_asked(demo_db: Path) -> None:
    done = run("--lang", "ru", "--db", str(demo_db), "search", "nothing-here")
    assert done.returncode == 0
    assert done.stdout.strip() == "Встречи не найдены."


def test_the_systems_language_is_followed_without_the_option(demo_db: Path) -> None:
    done = run("--db", str(demo_db), "search", "nothing-here", LANG="kk_KZ.UTF-8")
    assert done.stdout.strip() == "Кездесулер табылмады."


def test_errors_and_help_follow_the_language(tmp_path: Path, demo_db: Path) -> None:
    missing = run("--lang", "ru", "--db", str(tmp_path / "none.sqlite"), "search", "x")
    assert missing.returncode == 1
    assert "базы данных нет" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad_date = run("--lang", "kk", "--db", str(demo_db), "upcoming", "--as-of", "31.02.2022")
    assert bad_date.returncode == 2
    assert "31.02.2022 деген күн жоқ" in bad_date.stderr
    assert "қате:" in bad_date.stderr
    helped = run("--lang", "ru", "brief", "--help")
    assert "подготовить" in helped.stdout.lower() or "справк" in helped.stdout
    assert "использование:" in helped.stdout
    unknown = run("--lang", "de", "search", "x")
    assert unknown.returncode == 2
    assert "unknown language" in unknown.stderr


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_the_kazakh_briefing_has_kazakh_words_only_apart_from_names_and_data(
    tmp_path: Path, demo_db: Path
) -> None:
    out = tmp_path / "kk.pdf"
    done = run(
        "--db", str(demo_db), "brief", "--country", "Belarus", "--as-of", "2022-09-01",
        "--lang", "kk", "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "анықтамасы" not in done.stdout  # the messages keep their own language
    text = pdf_text(out)
    for words in (
        "ҚЫЗМЕТ БАБЫНДА ПАЙДАЛАНУ ҮШІН",
        "Келісілген іс-шаралар",
        "Бұрынғы кездесулер",
        "Қатынастар және атаулы күндер",
        "16 қыркүйек 2022 ж.",
        "30 жылдығы",
        "15 күннен кейін",
        "Беларусь",
    ):
        assert words in text, words
    # Names are data: the demo's, and the world's countries' (their Latin spellings).
    data = (ROOT / "db" / "demo.json").read_text(encoding="utf-8")
    data += (ROOT / "db" / "reference" / "countries.json").read_text(encoding="utf-8")
    allowed = set(re.findall(r"[A-Za-z]+", data)) | {"BY"}
    english = {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed}
    assert not english, english
    assert PdfReader(out).metadata.subject.startswith("Анықтама")


def test_the_russian_briefing_and_an_offices_own_marking(tmp_path: Path, demo_db: Path) -> None:
    out = tmp_path / "ru.pdf"
    args = ("--db", str(demo_db), "brief", "--country", "BY", "--as-of", "2022-09-01")
    assert run("--lang", "ru", *args, "-o", str(out)).returncode == 0
    text = pdf_text(out)
    for words in ("ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ", "30-летие", "16 сентября 2022 г.", "Справка"):
        assert words in text, words
    own = tmp_path / "own.pdf"
    assert run(*args, "--lang", "ru", "--marking", "Особая отметка", "-o", str(own)).returncode == 0
    marked = pdf_text(own)
    assert "ОСОБАЯ ОТМЕТКА" in marked
    assert "ДЛЯ СЛУЖЕБНОГО" not in marked


def test_the_briefing_in_english_is_unchanged_by_the_catalogs(
    tmp_path: Path, demo_db: Path
) -> None:
    out = tmp_path / "en.pdf"
    args = ("--db", str(demo_db), "brief", "--country", "Belarus", "--as-of", "2022-09-01")
    assert run("--lang", "kk", *args, "--lang", "en", "-o", str(out)).returncode == 0
    text = pdf_text(out)
    assert "FOR OFFICIAL USE" in text
    assert "30th anniversary: Kazakhstan–Belarus diplomatic relations" in text
    assert "16 September 2022" in text


def test_a_rule_names_its_field_in_the_readers_language() -> None:
    from datetime import date

    from protocol_desk.domain.models import Meeting
    from protocol_desk.domain.validation import validate_meeting

    with pytest.raises(ValidationError) as raised:
        validate_meeting(Meeting(date=date(2022, 6, 6), subject=" "))
    assert raised.value.message == "The subject is required."
    assert in_language(raised.value.message, catalog(Language.RUSSIAN)) == "Заполните поле «Тема»."
    assert in_language(raised.value.message, catalog(Language.KAZAKH)) == (
        "«Тақырып» өрісін толтырыңыз."
    )


def _glossary_rows() -> list[list[str]]:
    rows = []
    for line in (ROOT / "resources" / "translations" / "glossary.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        heading = cells[0] == "English" or set(cells[0]) <= {"-"}
        if line.startswith("|") and len(cells) >= 3 and not heading:
            rows.append(cells)
    return rows


@pytest.mark.parametrize(("language", "column"), [("ru", 1), ("kk", 2)])
def test_the_catalogs_use_the_glossarys_terms(language: str, column: int) -> None:
    """A term the glossary lists under its English words reads the same in the window."""
    words = po_catalog(language)
    rows = _glossary_rows()
    assert len(rows) > 80
    checked = 0
    for row in rows:
        entry = words.get(row[0])
        if entry is not None and isinstance(entry.string, str):
            checked += 1
            assert entry.string.replace("&", "").casefold() == row[column].casefold(), row
    assert checked > 40


@pytest.mark.parametrize(
    ("args", "environment", "expected"),
    [
        (("--lang", "ru", "read-release", "--help"), {}, "прочитать релиз"),
        (("read-release", "--help"), {"LANG": "kk_KZ.UTF-8"}, "релизді"),
        (("--lang", "kk", "--help"), {}, "пәрмен жолынан"),
    ],
)
def test_the_command_lines_help_follows_the_language(
    args: tuple[str, ...], environment: dict[str, str], expected: str
) -> None:
    done = run(*args, **environment)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout.lower()


def test_an_error_line_from_deep_in_the_store_speaks_the_language(tmp_path: Path) -> None:
    """A file that is not a database: the one-line message comes from the store, in Russian
    and in Kazakh, with no English word but the product's name and the file's."""
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("not a database at all", encoding="utf-8")
    ru = run("--lang", "ru", "--db", str(bogus), "search", "x")
    assert ru.returncode != 0
    assert "не база данных Protocol Desk" in ru.stderr
    assert "Traceback" not in ru.stderr
    kk = run("--db", str(bogus), "search", "x", LANG="kk_KZ.UTF-8")
    assert "Protocol Desk дерекқоры емес" in kk.stderr
    # The program's and the format's names and the file's path stay as they are.
    left = {w.casefold() for w in re.findall(r"[A-Za-z]{3,}", kk.stderr)}
    left -= {"protocol", "desk", "sqlite", "python", "notes"}
    left -= {w.casefold() for w in re.findall(r"[A-Za-z]+", str(tmp_path))}
    assert not left, kk.stderr


def test_an_import_error_names_the_record_in_the_language(tmp_path: Path, demo_db: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "protocol-desk", "format_version": "one"}', encoding="utf-8")
    done = run("--lang", "kk", "--db", str(demo_db), "import", str(bad))
    assert done.returncode != 0
    assert "Ештеңе импортталмады" in done.stderr or "экспорты емес" in done.stderr


def test_the_windows_help_follows_the_option_then_the_system() -> None:
    def window_help(*args: str, **environment: str) -> str:
        done = subprocess.run(
            [sys.executable, "main.py", *args, "--help"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            env={**os.environ, **environment},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "Protocol Desk терезесі" in window_help("--lang", "kk")
    assert "язык окна" in window_help(LANG="ru_RU.UTF-8")
    assert "the window's language" in window_help(LANG="C.UTF-8")


def test_the_systems_usual_refusals_are_said_in_the_readers_language() -> None:
    import errno

    from protocol_desk.domain.messages import os_reason

    missing = os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    assert missing == "no such file or folder"
    assert in_language(missing, catalog(Language.RUSSIAN)) == "нет такого файла или папки"
    full = os_reason(OSError(errno.ENOSPC, "No space left on device"))
    assert in_language(full, catalog(Language.KAZAKH)) == "дискіде орын қалмады"
    odd = os_reason(OSError(errno.ETXTBSY, "Text file busy"))
    assert odd == "Text file busy"  # an unusual one as the system says it


def test_the_office_status_is_said_in_the_readers_language() -> None:
    from datetime import UTC, datetime, timedelta

    from protocol_desk.services.office import OfficeStatus

    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    synced = OfficeStatus("desk@office", now - timedelta(minutes=2), 5, 2, None).sentence(now)
    assert synced == "Office: synced 2 min ago, 5 changes waiting · 2 conflicts"
    assert in_language(synced, catalog(Language.RUSSIAN)) == (
        "Отдел: синхронизировано 2 мин назад, ожидают отправки изменений: 5 · Конфликтов версий: 2"
    )
    offline = OfficeStatus("desk@office", None, 1, 0, "no route").sentence(now)
    assert in_language(offline, catalog(Language.KAZAKH)) == (
        "Бөлім: байланыс жоқ — жіберуді күтіп тұрған өзгерістер: 1"
    )


def test_upcoming_says_the_ordinal_in_the_readers_language(demo_db: Path) -> None:
    args = ("--db", str(demo_db), "upcoming", "--days", "300", "--as-of", "2022-01-01")
    kk = run("--lang", "kk", *args)
    ru = run("--lang", "ru", *args)
    assert kk.returncode == 0 and ru.returncode == 0, kk.stderr + ru.stderr
    assert "30 жылдығы:" in kk.stdout and "anniversary" not in kk.stdout
    assert "30-летие:" in ru.stdout and "anniversary" not in ru.stdout
