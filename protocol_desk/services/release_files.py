"""A release's text from the file it was saved as: plain text, a saved web page (its
article, not the site's menus), a Word document or a PDF."""

from __future__ import annotations

from pathlib import Path

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.messages import N_

READABLE = (".txt", ".html", ".htm", ".docx", ".pdf")
_NOT_ARTICLE = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "menu")


def release_text(path: Path) -> str:
    """The text of the release in ``path``; a one-line error for what cannot be read."""
    suffix = path.suffix.casefold()
    if suffix not in READABLE:
        raise ValidationError(
            N_(
                "{name}: a release is read from .txt, .html, .docx or .pdf, not {suffix}.",
                name=path.name,
                suffix=suffix,
            )
            if suffix
            else N_(
                "{name}: a release is read from .txt, .html, .docx or .pdf, "
                "not a file without an extension.",
                name=path.name,
            )
        )
    if not path.is_file():
        raise ValidationError(N_("{path}: there is no such file.", path=path))
    try:
        if suffix == ".txt":
            return path.read_text(encoding="utf-8-sig")
        if suffix in (".html", ".htm"):
            return html_article(path.read_bytes())
        if suffix == ".docx":
            import docx  # python-docx

            document = docx.Document(str(path))
            return "\n".join(p.text for p in document.paragraphs)
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    except UnicodeDecodeError:
        raise ValidationError(N_("{name}: the text is not UTF-8.", name=path.name)) from None
    except ValidationError:
        raise
    except Exception as error:  # a damaged file of any of the formats
        reason = " ".join(str(error).split()) or type(error).__name__
        raise ValidationError(
            N_("{name}: the file could not be read ({reason}).", name=path.name, reason=reason)
        ) from None


def html_article(page: bytes) -> str:
    """The article of a saved web page: its ``<article>`` (or ``<main>``, or the block with
    the most paragraph text), without scripts, menus, headers and footers."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(list(_NOT_ARTICLE)):
        tag.decompose()
    article = soup.find("article") or soup.find("main")
    if article is None:
        blocks = soup.find_all(["div", "section", "body"])
        article = max(
            blocks,
            key=lambda b: sum(len(p.get_text()) for p in b.find_all("p", recursive=False)),
            default=soup,
        )
    title = soup.find("h1")
    lines = []
    if title is not None and title not in article.descendants:
        lines.append(title.get_text(" ", strip=True))
    for block in article.find_all(["h1", "h2", "h3", "p", "li", "time"]):
        text = block.get_text(" ", strip=True)
        if text:
            lines.append(text)
    return "\n\n".join(lines) if lines else article.get_text("\n", strip=True)
