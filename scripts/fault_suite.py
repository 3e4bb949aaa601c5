"""Run the fault suite (the tests marked ``faults``) and print its figures as a table.

    python scripts/fault_suite.py            # from the repository, in its virtual environment

The full and read-only disk tests mount a small tmpfs, which needs root (CI runs as root);
elsewhere they are skipped, each saying why. Extra arguments go to pytest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures.jsonl"
        env = {**os.environ, "PROTOCOL_DESK_FAULT_REPORT": str(figures)}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        command = [sys.executable, "-m", "pytest", "-m", "faults", "-q", "-rs", *argv]
        code = subprocess.call(command, cwd=ROOT, env=env)
        lines = figures.read_text(encoding="utf-8").splitlines() if figures.exists() else []
    rows = [json.loads(line) for line in lines]
    print()
    print(f"| {'fault test':<44} | {'tried':>5} | {'failures':>8} | {'lost':>4} |")
    print(f"|{'-' * 46}|{'-' * 7}|{'-' * 10}|{'-' * 6}|")
    for row in rows:
        print(
            f"| {row['test']:<44} | {row['tried']:>5} | {row['failures']:>8} | {row['lost']:>4} |"
        )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
