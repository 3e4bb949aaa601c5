"""Errors a user can act on: each carries a message fit to show as it is."""

from __future__ import annotations


class ProtocolDeskError(Exception):
    """Base of every error the app reports to the user in words rather than a traceback."""

    @property
    def message(self) -> str:
        """The message as raised: a marked ``Message`` keeps its id, to be shown translated."""
        if self.args and isinstance(self.args[0], str):
            return self.args[0]
        return str(self.args[0]) if self.args else self.__class__.__name__


class ValidationError(ProtocolDeskError):
    """Input breaks a rule; ``field`` names the form field to point at, when there is one.

    ``problems`` holds every (field, message) found, the first being this error's own: a form
    marks all of its bad fields at once rather than one per attempt to save."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        problems: list[tuple[str | None, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.problems = problems or [(field, message)]


class Problems:
    """Collects a record's validation problems so that all of them are reported together.

    ``with problems.at("date"): ...`` records a ValidationError raised inside under the field
    (its own field, when it names one); ``raise_any`` raises them as one ValidationError."""

    def __init__(self) -> None:
        self.found: list[tuple[str | None, str]] = []

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, field: str | None, message: str) -> None:
        # One message a field: the first found is the one to fix first.
        if field is None or all(field != known for known, _ in self.found):
            self.found.append((field, message))

    def extend(self, error: ValidationError) -> None:
        for field, message in error.problems:
            self.add(field, message)

    def at(self, field: str | None = None) -> _Catching:
        return _Catching(self, field)

    def raise_any(self) -> None:
        if self.found:
            field, message = self.found[0]
            raise ValidationError(message, field, list(self.found))


class _Catching:
    def __init__(self, problems: Problems, field: str | None) -> None:
        self._problems = problems
        self._field = field

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, _tb: object) -> bool:
        if isinstance(error, ValidationError):
            if len(error.problems) > 1:
                self._problems.extend(error)
            else:
                self._problems.add(error.field or self._field, error.message)
            return True
        return False


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
