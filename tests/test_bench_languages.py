"""The translated-start benchmark: how it reads its starts (the timing itself is the
benchmark's, never a test's)."""

from __future__ import annotations

from protocol_desk.bench.languages import LanguageStarts


def test_the_report_compares_each_translation_with_english() -> None:
    starts = LanguageStarts(
        4,
        {
            "en": [0.240, 0.241, 0.239, 0.300],
            "kk": [0.246, 0.245, 0.247, 0.244],
            "ru": [0.262, 0.261, 0.259, 0.263],
        },
    )
    assert round(starts.extra_ms("kk"), 1) == 5.0
    text = starts.render()
    assert "kk: 246 ms" in text and "+5.0 ms against English ✓" in text
    assert "ru: 262 ms" in text and "+21.0 ms against English ✗" in text
    assert "en: 240 ms" in text and "against English" not in text.splitlines()[1]
