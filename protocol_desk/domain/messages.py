"""Messages raised deep in the code, marked for translation where they are raised and put into
the reader's language where they are shown (the command line's print, the window's one error
path). A message stays one string with named placeholders, so a translator sees it whole."""

from __future__ import annotations

from typing import Any, Protocol


class Catalog(Protocol):
    """What a message needs of a translation catalog (``gettext.NullTranslations`` has it)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


class Message(str):
    """English text (as a plain ``str`` it reads as before) that keeps its message id and
    placeholders, so it can be shown in another language."""

    template: str
    plural: str | None
    params: dict[str, Any]

    def __new__(cls, template: str, plural: str | None = None, /, **params: Any) -> Message:
        english = plural if plural is not None and params.get("n") != 1 else template
        text = super().__new__(cls, english.format(**params) if params else english)
        text.template = template
        text.plural = plural
        text.params = params
        return text

    def in_language(self, catalog: Catalog) -> str:
        if self.plural is None:
            wording = catalog.gettext(self.template)
        else:
            wording = catalog.ngettext(self.template, self.plural, int(self.params["n"]))
        # A placeholder may hold a marked message of its own (a field's name).
        params = {key: in_language(value, catalog) for key, value in self.params.items()}
        return wording.format(**params) if params else wording


def N_(template: str, /, **params: Any) -> Message:
    """Mark a message for translation where it is raised; ``{name}`` placeholders take
    ``params``."""
    return Message(template, None, **params)


def Nn_(singular: str, plural: str, /, n: int, **params: Any) -> Message:
    """A message whose wording follows a count ``n`` (Russian has three forms, Kazakh two)."""
    return Message(singular, plural, n=n, **params)


def in_language(text: Any, catalog: Catalog) -> Any:
    """``text`` in the catalog's language when it is a marked message, else as it is."""
    return text.in_language(catalog) if isinstance(text, Message) else text


def _os_reasons() -> dict[int, Message]:
    import errno

    return {
        errno.ENOENT: N_("no such file or folder"),
        errno.EACCES: N_("permission denied"),
        errno.EPERM: N_("permission denied"),
        errno.ENOSPC: N_("no space left on the disk"),
        errno.EROFS: N_("the disk is read-only"),
        errno.EISDIR: N_("it is a folder"),
        errno.ENOTDIR: N_("a part of the path is not a folder"),
        errno.EEXIST: N_("it already exists"),
        errno.EIO: N_("the disk could not be read or written"),
        errno.ENAMETOOLONG: N_("the name is too long"),
    }


def os_reason(error: BaseException) -> str:
    """Why the system refused, as a marked message where it is a usual reason (the system's
    own words are English whatever the reader's language), else as the system says it."""
    if isinstance(error, OSError):
        known = _os_reasons().get(error.errno or 0)
        if known is not None:
            return known
        return error.strerror or str(error)
    return str(error)
