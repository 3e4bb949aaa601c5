"""The open database as the window holds it: the handle it hands to the services, and asks
only where its file is, who opened it and whether it may be written. Every record is read and
written through a service; the window never reaches into the store behind it."""

from __future__ import annotations

from typing import TypeAlias

from protocol_desk.store import Store

Database: TypeAlias = Store
