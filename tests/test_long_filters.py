"""Filters of any length: a pasted page of text in a list's filter is words to look for, never
an SQLite error (LIKE patterns over 50,000 bytes, expressions over 1,000 levels deep)."""

from __future__ import annotations

import random
import string

import pytest

from protocol_desk.domain.errors import ValidationError
from protocol_desk.domain.listing import DelegationFilter, MeetingFilter, OrganisationFilter
from protocol_desk.services.meetings import MeetingService
from protocol_desk.store import Store

_RNG = random.Random(25)
LONG_TEXTS = {
    "100,000 Kazakh letters": "Қ" * 100_000,
    "100,000 Latin letters": "a" * 100_000,
    "20,000 different words": " ".join(
        "".join(_RNG.choice(string.ascii_lowercase) for _ in range(5)) for _ in range(20_000)
    ),
    "20,000 times one word": " ".join(["Қостанай"] * 20_000),
}


@pytest.mark.parametrize("name", LONG_TEXTS)
def test_long_filters_find_nothing_quietly(demo_store: Store, name: str) -> None:
    text = LONG_TEXTS[name]
    organisations = demo_store.organisations
    delegations = demo_store.delegations
    assert organisations.count(OrganisationFilter(text=text)) == 0
    assert organisations.page(OrganisationFilter(text=text))[0] == []
    assert delegations.count(DelegationFilter(text=text)) == 0
    assert delegations.page(DelegationFilter(text=text))[0] == []
    assert demo_store.meetings.count(MeetingFilter(text=text)) == 0


def test_many_words_still_all_count(demo_store: Store) -> None:
    """The words are all required, however many (the same word repeated is one)."""
    found, _ = demo_store.organisations.page(OrganisationFilter(text="Senate " * 5_000))
    assert found and all("senate" in o.name.lower() for o in found)
    both = OrganisationFilter(text="Senate " * 5_000 + " Belgium")
    assert demo_store.organisations.count(both) < len(found)
    delegation = demo_store.delegations.page(DelegationFilter())[0][0]
    word = delegation.title.split()[0]
    assert demo_store.delegations.count(DelegationFilter(text=f"{word} " * 20_000)) >= 1


@pytest.mark.parametrize("limit", [0, -1, 10**21])
def test_a_search_limit_out_of_bounds_is_refused(demo_store: Store, limit: int) -> None:
    with pytest.raises(ValidationError, match="from 1 to 100,000"):
        MeetingService(demo_store).search("Belarus", limit=limit)
