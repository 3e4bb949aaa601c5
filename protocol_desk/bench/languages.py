"""What a translated start costs: the window started again and again in English, Kazakh and
Russian (in turn, so that the machine's moods fall on all three alike), each start timed from
spawn to a usable window, and the medians compared. Target: a translated start at most 10 ms
slower than the English one."""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from protocol_desk.bench.run import _APP_WINDOW, ChildFailed, _spawn

TARGET_MS = 10.0
LANGUAGES = ("en", "kk", "ru")


@dataclass(frozen=True)
class LanguageStarts:
    runs: int
    seconds: dict[str, list[float]]

    def median(self, language: str) -> float:
        return statistics.median(self.seconds[language])

    def extra_ms(self, language: str) -> float:
        return (self.median(language) - self.median("en")) * 1000

    def spread_ms(self, language: str) -> float:
        """Half the middle half of the starts (a noisy machine shows it)."""
        q1, _, q3 = statistics.quantiles(self.seconds[language], n=4)
        return (q3 - q1) / 2 * 1000

    def render(self) -> str:
        lines = [f"window starts, medians of {self.runs} each (spawn to a usable window):"]
        for language in LANGUAGES:
            line = f"  {language}: {self.median(language) * 1000:,.0f} ms"
            line += f" (± {self.spread_ms(language):.0f} ms)"
            if language != "en":
                extra = self.extra_ms(language)
                mark = "✓" if extra <= TARGET_MS else "✗"
                line += f", {extra:+.1f} ms against English {mark} ≤ {TARGET_MS:g} ms"
            lines.append(line)
        return "\n".join(lines)


def _demo_database(folder: Path) -> Path:
    from protocol_desk.services.demo import load_demo
    from protocol_desk.store import Store

    path = folder / "demo.sqlite"
    store = Store.open(path)
    load_demo(store)
    store.close()
    return path


def language_starts(
    runs: int, db: Path | None = None, progress: Callable[[str], None] | None = None
) -> LanguageStarts:
    """Start the window ``runs`` times in each language, in turn."""
    seconds: dict[str, list[float]] = {language: [] for language in LANGUAGES}
    with tempfile.TemporaryDirectory(prefix="pd-bench-lang-") as folder:
        home = Path(folder)
        path = db or _demo_database(home)
        for language in LANGUAGES:  # warm the disk cache and Python's compiled files
            _spawn(_APP_WINDOW, [str(path), language], home, marks=1)
        for n in range(runs):
            for language in LANGUAGES:
                seconds[language].append(
                    _spawn(_APP_WINDOW, [str(path), language], home, marks=1)[0]
                )
            if progress is not None:
                progress(f"languages: {n + 1}/{runs} rounds")
    return LanguageStarts(runs, seconds)


__all__ = ["ChildFailed", "LanguageStarts", "language_starts"]
