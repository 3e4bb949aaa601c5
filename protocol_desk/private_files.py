"""Files the app writes for the officer (PDFs, spreadsheets, calendars) are theirs alone:
created readable by their user only, and put in place whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_MODE = 0o600


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, through a temporary file beside it, so a
    failure (a full disk) never leaves half a file under the name the officer chose."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, PRIVATE_MODE)  # mkstemp makes 0600; said again for clarity
        os.replace(temporary, path)
        os.chmod(path, PRIVATE_MODE)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
