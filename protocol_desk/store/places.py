"""Cities of the world for the place fields: GeoNames cities of 15,000 people or more with
their names in other scripts, in a read-only file shipped beside the code
(``db/reference/cities.sqlite``, written by ``scripts/build_reference_data.py``).

Never the office's data: a meeting keeps the city text typed or picked on its day (Astana was
Nur-Sultan from 2019 to 2022), so nothing here is copied into the database. Opened on the
first look-up, never at start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from protocol_desk.domain.listing import Place
from protocol_desk.domain.text import sort_key
from protocol_desk.store.world import REFERENCE_DIR

CITIES_FILE = REFERENCE_DIR / "cities.sqlite"

SPELLINGS_PER_CITY = 3

# Above every key a name can have (keys are private-use characters and plain text).
_KEY_END = "\U0010ffff"


class Places:
    """Look-ups in the cities file; one read-only connection, opened when first asked."""

    def __init__(self, path: Path = CITIES_FILE) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection | None:
        if self._conn is None and self.path.exists():
            # Immutable: no locks, no journal; the file is never written at run time.
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        return self._conn

    def starting(self, text: str, limit: int = 12) -> list[Place]:
        """Cities with a name beginning with ``text`` in any of its scripts and spellings,
        largest first, under the spellings that matched (a few a city)."""
        key = sort_key(" ".join(text.split()))
        conn = self._connection()
        if not key or conn is None or limit <= 0:
            return []
        rows = conn.execute(
            "SELECT n.name, c.name, c.iso_code, c.population, c.id"
            " FROM city_name n JOIN city c ON c.id = n.city_id"
            " WHERE n.key >= ? AND n.key < ? ORDER BY c.population DESC, n.key LIMIT ?",
            [key, key + _KEY_END, limit * 4],
        ).fetchall()
        found: list[Place] = []
        spellings: dict[int, int] = {}
        for matched, name, iso, population, city_id in rows:
            # A few spellings of one city at most (GeoNames knows dozens of some), so the
            # officer sees the one they mean without the list filling with one city.
            if spellings.get(city_id, 0) == SPELLINGS_PER_CITY:
                continue
            spellings[city_id] = spellings.get(city_id, 0) + 1
            found.append(Place(str(matched), str(name), str(iso), int(population)))
            if len(found) == limit:
                break
        return found

    def names_of(self, cities: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        """Every name and spelling of each city given by today's name and country code (the
        largest, when a country has two of that name): a capital's names in other scripts, for
        finding it in a release. Each city is found by its key; their names in one read."""
        conn = self._connection()
        if conn is None or not cities:
            return {}
        ids: dict[int, tuple[str, str]] = {}
        for name, iso in cities:
            row = conn.execute(
                "SELECT c.id FROM city_name n JOIN city c ON c.id = n.city_id"
                " WHERE n.key = ? AND c.name = ? AND c.iso_code = ?"
                " ORDER BY c.population DESC LIMIT 1",
                [sort_key(name), name, iso],
            ).fetchone()
            if row is not None:
                ids[int(row[0])] = (name, iso)
        found: dict[tuple[str, str], list[str]] = {city: [] for city in ids.values()}
        marks = ", ".join("?" * len(ids))
        for city_id, spelling in conn.execute(
            f"SELECT city_id, name FROM city_name WHERE city_id IN ({marks})", list(ids)
        ):
            found[ids[int(city_id)]].append(str(spelling))
        return found

    def count(self) -> int:
        conn = self._connection()
        return int(conn.execute("SELECT count(*) FROM city").fetchone()[0]) if conn else 0

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
