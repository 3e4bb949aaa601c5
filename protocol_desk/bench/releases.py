"""Scoring the release reader on the set of releases in tests/releases: per field, how much of
what it ticks is right (precision) and how much of what an officer records it ticks (recall),
the releases with a wrong tick, the edits an officer would still make, and the time a
release takes once the models are loaded."""

from __future__ import annotations

import json
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from protocol_desk.domain.person_names import load_models
from protocol_desk.domain.text import fold
from protocol_desk.services.release_lookup import StoreLookup
from protocol_desk.services.release_offer import ReleaseOffer, prepare, read_release

RELEASES = Path(__file__).resolve().parents[2] / "tests" / "releases"
FIELDS = (
    "date",
    "end_date",
    "posting_date",
    "format",
    "country",
    "city",
    "people",
    "documents_signed",
    "actions",
    "visit",
    "anniversaries",
)
SAME_ACTION = 0.5  # share of the expected action's words the ticked one must hold


@dataclass
class Tally:
    expected: int = 0
    ticked: int = 0
    right: int = 0

    def add(self, expected: list[str], ticked: list[str], right: int) -> None:
        self.expected += len(expected)
        self.ticked += len(ticked)
        self.right += right


@dataclass
class ReleaseScore:
    name: str
    part: str
    expected: int
    right: int
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    ms: float = 0.0

    @property
    def edits(self) -> int:
        return len(self.wrong) + len(self.missed)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{3,}|\d{4}", fold(text))}


def _compare(
    expected: dict[str, Any], offer: ReleaseOffer
) -> dict[str, tuple[list[str], list[str], int]]:
    """For each field: what the officer records, what the reader ticks, how many agree."""
    got = offer.as_json()
    out: dict[str, tuple[list[str], list[str], int]] = {}

    def single(name: str, want: str | None, have: str | None) -> None:
        wants = [want] if want else []
        haves = [have] if have else []
        out[name] = (wants, haves, int(bool(want) and want == have))

    date_ = got["date"]
    single(
        "date",
        (expected["date"] or {}).get("value"),
        date_["value"] if date_ and date_["ticked"] else None,
    )
    single("end_date", expected.get("end_date"), got["end_date"])
    single("posting_date", expected.get("posting_date"), got["posting_date"])
    single("format", expected["format"], got["format"])
    country = got["country"]
    single(
        "country", expected["country"], country["iso"] if country and country["ticked"] else None
    )
    place = got["place"]
    single("city", expected["city"], place["city"] if place and place["ticked"] else None)
    want_people = [f"{fold(p['name'])}|{p['side']}" for p in expected["people"]]
    have_people = [f"{fold(p['name'])}|{p['side']}" for p in got["people"] if p["ticked"]]
    out["people"] = (want_people, have_people, len(set(want_people) & set(have_people)))
    want_docs = sorted(d["kind"] for d in expected["documents_signed"])
    have_docs = sorted(d["kind"] for d in got["documents_signed"] if d["ticked"])
    out["documents_signed"] = (want_docs, have_docs, _bag_overlap(want_docs, have_docs))
    want_actions = [a["text"] for a in expected["actions"]]
    have_actions = [a["text"] for a in got["actions"] if a["ticked"]]
    matched = 0
    used: set[int] = set()
    for want in want_actions:
        words = _words(want)
        for index, have in enumerate(have_actions):
            if (
                index not in used
                and words
                and len(words & _words(have)) >= SAME_ACTION * len(words)
            ):
                used.add(index)
                matched += 1
                break
    out["actions"] = (want_actions, have_actions, matched)
    visit = got["visit"]
    single(
        "visit",
        (expected["visit"] or {}).get("direction"),
        visit["direction"] if visit and visit["ticked"] else None,
    )
    want_ann = [f"{a['ordinal']}|{a['year']}|{a['country']}" for a in expected["anniversaries"]]
    have_ann = [
        f"{a['ordinal']}|{a['year']}|{a['country']}" for a in got["anniversaries"] if a["ticked"]
    ]
    out["anniversaries"] = (want_ann, have_ann, len(set(want_ann) & set(have_ann)))
    return out


def _bag_overlap(a: list[str], b: list[str]) -> int:
    rest = list(b)
    count = 0
    for item in a:
        if item in rest:
            rest.remove(item)
            count += 1
    return count


@dataclass
class ReleaseReport:
    tallies: dict[str, dict[str, Tally]]
    releases: list[ReleaseScore]
    load_ms: float
    words_ms: float = 0.0  # the countries' and capitals' words, made on the first release

    def render(self) -> str:
        lines = [
            f"Models loaded in {self.load_ms:.0f} ms; the words for every country and capital"
            f" made in {self.words_ms:.0f} ms (once, on the first release)."
        ]
        for part in self.tallies:
            scores = [r for r in self.releases if r.part == part]
            if not scores:
                continue
            expected = sum(r.expected for r in scores)
            right = sum(r.right for r in scores)
            wrong = [r for r in scores if r.wrong]
            ms = sorted(r.ms for r in scores)
            lines.append("")
            lines.append(f"== {part}: {len(scores)} releases")
            lines.append(
                f"{'field':<18}{'precision':>10}{'recall':>8}{'expected':>10}{'ticked':>8}"
            )
            for name in FIELDS:
                tally = self.tallies[part][name]
                precision = tally.right / tally.ticked if tally.ticked else 1.0
                recall = tally.right / tally.expected if tally.expected else 1.0
                counts = f"{tally.expected:>10}{tally.ticked:>8}"
                lines.append(f"{name:<18}{precision:>10.0%}{recall:>8.0%}{counts}")
            share = right / max(expected, 1)
            edits = sum(r.edits for r in scores) / len(scores)
            lines += [
                f"expected fields offered and ticked correctly: {right}/{expected} = {share:.1%}",
                f"releases with a wrong field ticked: {len(wrong)}/{len(scores)}"
                f" = {len(wrong) / len(scores):.1%}",
                f"edits an officer would still make: {edits:.2f} per release",
                f"reading time: median {ms[len(ms) // 2]:.0f} ms, slowest {ms[-1]:.0f} ms",
            ]
            for score in scores:
                if score.edits:
                    lines.append(f"  {score.name}: wrong {score.wrong} missed {score.missed}")
        return "\n".join(lines)


def score_releases(folder: Path = RELEASES, office: Path | None = None) -> ReleaseReport:
    """Score the reader on the set against the demo office, or time it against ``office`` (a
    generated database of twenty thousand people: its people are not the releases', so only
    the reading times say anything then)."""
    from protocol_desk.services.demo import load_demo
    from protocol_desk.store import Store

    started = time.perf_counter()
    load_models()
    load_ms = (time.perf_counter() - started) * 1000
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    as_of = date.fromisoformat(index["as_of"])
    # dev, held-out, then each later group of releases in the order the index first names it
    parts = list(dict.fromkeys(["dev", "held-out", *(e["part"] for e in index["releases"])]))
    tallies = {part: {name: Tally() for name in FIELDS} for part in parts}
    releases: list[ReleaseScore] = []
    with tempfile.TemporaryDirectory() as folder_name:
        if office is None:
            store = Store.open(Path(folder_name) / "office.sqlite")
            load_demo(store)
        else:
            store = Store.open(office)
        # The words for every country and capital are made once, on the first release read.
        started = time.perf_counter()
        prepare(StoreLookup(store))
        words_ms = (time.perf_counter() - started) * 1000
        for entry in index["releases"]:
            text_path = (folder / entry["release"]).resolve()
            expected_name = (
                entry.get("expected") or Path(entry["release"]).with_suffix(".json").name
            )
            expected = json.loads((folder / expected_name).read_text(encoding="utf-8"))
            text = text_path.read_text(encoding="utf-8")
            lookup = StoreLookup(store)
            started = time.perf_counter()
            offer = read_release(lookup, text, as_of)
            ms = (time.perf_counter() - started) * 1000
            score = ReleaseScore(text_path.stem, entry["part"], 0, 0, ms=ms)
            for name, (wants, haves, right) in _compare(expected, offer).items():
                tallies[entry["part"]][name].add(wants, haves, right)
                score.expected += len(wants)
                score.right += right
                extra = [h for h in haves if h not in wants] if name != "actions" else haves[right:]
                missing = (
                    [w for w in wants if w not in haves] if name != "actions" else wants[right:]
                )
                if name in ("actions", "documents_signed"):
                    extra = haves[right:] if len(haves) > right else []
                    missing = wants[right:] if len(wants) > right else []
                score.wrong += [f"{name}={h}" for h in extra]
                score.missed += [f"{name}={w}" for w in missing]
            releases.append(score)
        store.close()
    return ReleaseReport(tallies, releases, load_ms, words_ms)
