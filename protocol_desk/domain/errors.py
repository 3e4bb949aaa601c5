"""Errors a user can act on: each carries a message fit to show as it is."""

from __future__ import annotations


class ProtocolDeskError(Exception):
    """Base of every error the app reports to the user in words rather than a traceback."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class ValidationError(ProtocolDeskError):
    """Input breaks a rule; ``field`` names the form field to point at, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(ProtocolDeskError):
    """A record the user referred to does not exist (or was deleted)."""


class ConflictError(ProtocolDeskError):
    """Someone saved the record after it was read: the user chooses; never a silent overwrite."""

    def __init__(self, message: str, current: object | None = None) -> None:
        super().__init__(message)
        self.current = current


class DatabaseError(ProtocolDeskError):
    """The database file cannot be used as it is (damaged, foreign, too new, unwritable)."""


class OfficeError(ProtocolDeskError):
    """The office server cannot be used as it is: one sentence saying why. The desk keeps
    working, its changes waiting."""


class ReadOnlyOfficeError(OfficeError):
    """This desk's account on the office server may only read."""
