"""Where the app keeps its files when the user does not say: the platform's user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DB_FILENAME = "protocol-desk.sqlite"


def data_dir() -> Path:
    """``$PROTOCOL_DESK_HOME``, else the user data folder of the platform."""
    override = os.environ.get("PROTOCOL_DESK_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "protocol-desk"


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME
