"""The user guide in English, Russian and Kazakh: the translations keep up with the English one."""

import re
from collections import Counter
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
ENGLISH = DOCS / "user-guide.md"
TRANSLATIONS = {"ru": DOCS / "user-guide.ru.md", "kk": DOCS / "user-guide.kk.md"}

HEADING = re.compile(r"^(#{1,6})\s+\S")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
CODE_SPAN = re.compile(r"`[^`]*`")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
# Names the guides keep in English in every language.
PRODUCT_NAMES = ("Protocol Desk", "Outlook", "Google", "Thunderbird", "README", "PDF")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Five English words in a row are a sentence left untranslated, not a name or an example.
ENGLISH_RUN = 5


def heading_counts(text: str) -> Counter[int]:
    """How many headings of each level (1 for "#", 2 for "##" …) the guide has."""
    levels = (HEADING.match(line) for line in _outside_fences(text))
    return Counter(len(match.group(1)) for match in levels if match)


def images(text: str) -> list[str]:
    """The images the guide shows, by path, in order."""
    return [match.group(2) for match in IMAGE.finditer(text)]


def code_spans_by_section(text: str) -> list[Counter[str]]:
    """Per section (text under one heading), the code spans it quotes: dates, commands, keys."""
    sections: list[list[str]] = [[]]
    for line in _outside_fences(text):
        if HEADING.match(line):
            sections.append([])
        sections[-1].append(line.strip())
    # A span may wrap onto the next line: read it with its line breaks as spaces.
    return [Counter(CODE_SPAN.findall(" ".join(lines))) for lines in sections]


def english_runs(text: str) -> list[str]:
    """Runs of five or more English words in a row, outside code, images, links and names."""
    runs = []
    for paragraph in _paragraphs(text):
        prose = IMAGE.sub(" ", paragraph)
        prose = CODE_SPAN.sub(" | ", prose)
        prose = LINK_TARGET.sub("] ", prose)
        for name in PRODUCT_NAMES:
            prose = prose.replace(name, " | ")
        run: list[str] = []
        for word in prose.split():
            latin = LATIN_WORD.fullmatch(word.strip("*_,.;:!?()[]«»“”\"'—–…"))
            if latin:
                run.append(word)
                continue
            if len(run) >= ENGLISH_RUN:
                runs.append(" ".join(run))
            run = []
        if len(run) >= ENGLISH_RUN:
            runs.append(" ".join(run))
    return runs


def _outside_fences(text: str) -> list[str]:
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def _paragraphs(text: str) -> list[str]:
    """Paragraphs and list items joined across their wrapped lines."""
    paragraphs: list[list[str]] = [[]]
    for line in _outside_fences(text):
        starts_item = re.match(r"^\s*(?:[-*]|\d+\.)\s", line)
        if not line.strip() or HEADING.match(line) or starts_item:
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return [" ".join(lines) for lines in paragraphs if any(lines)]


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_translation_has_the_english_headings(language: str) -> None:
    english = heading_counts(_read(ENGLISH))
    assert english[1] == 1 and english[2] >= 5  # the guide is parsed, not empty
    assert heading_counts(_read(TRANSLATIONS[language])) == english


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_translation_shows_the_english_images(language: str) -> None:
    assert images(_read(TRANSLATIONS[language])) == images(_read(ENGLISH))


def test_every_image_the_guides_show_is_there() -> None:
    shown = images(_read(ENGLISH))
    assert shown  # the reader finds the guide's images
    assert [path for path in shown if not (DOCS / path).is_file()] == []


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_translation_quotes_the_same_examples_in_each_section(language: str) -> None:
    # A section added to or grown in the English guide brings new dates, keys or commands:
    # this finds where a translation is behind.
    english = code_spans_by_section(_read(ENGLISH))
    translated = code_spans_by_section(_read(TRANSLATIONS[language]))
    assert len(translated) == len(english)
    for number, (theirs, ours) in enumerate(zip(english, translated, strict=True)):
        assert ours == theirs, f"section {number}: {ours - theirs} extra, {theirs - ours} missing"


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_translation_leaves_no_english_sentence(language: str) -> None:
    assert english_runs(_read(TRANSLATIONS[language])) == []


def test_an_english_sentence_is_found_but_examples_and_names_are_not() -> None:
    text = (
        "Кнопка `Read the text and take it` и *Export calendar…*\n"
        "для Outlook, Google or Thunderbird.\n"
        "![The meetings list with the demo data](images/main-window.png)\n\n"
        "- Откройте окно. The release is read up to its\n"
        "  related news, как обычно.\n"
    )
    assert english_runs(text) == ["The release is read up to its related news,"]


def test_kazakh_guide_is_written_with_the_kazakh_letters() -> None:
    text = _read(TRANSLATIONS["kk"]).lower()
    assert all(text.count(letter) >= 3 for letter in "әғқңөұүі")


def test_heading_and_image_readers_count_what_they_see() -> None:
    text = "# Title\n## One\n```\n# not a heading\n```\n## Two ![a](images/x.png)\n### Three\n"
    assert heading_counts(text) == Counter({1: 1, 2: 2, 3: 1})
    assert images(text) == ["images/x.png"]


def test_a_code_span_wrapped_onto_the_next_line_is_one_example() -> None:
    text = "Intro `a`\n## One\nThen `search\n  TEXT` marks it.\n"
    assert code_spans_by_section(text) == [Counter({"`a`": 1}), Counter({"`search TEXT`": 1})]
