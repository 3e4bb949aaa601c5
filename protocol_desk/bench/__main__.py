"""``python -m protocol_desk.bench generate|run``: make the benchmark's database, measure it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from protocol_desk.domain.errors import ProtocolDeskError


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m protocol_desk.bench",
        description="Generate a realistic office database and measure the app on it.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="create a generated database")
    generate.add_argument("--db", type=Path, required=True, metavar="PATH", help="a new file")
    generate.add_argument(
        "--meetings", type=int, default=100_000, metavar="N", help="how many (default 100000)"
    )
    generate.add_argument("--seed", type=int, default=1, help="the same seed, the same office")
    run = commands.add_parser("run", help="measure the app on a generated database")
    run.add_argument("--db", type=Path, required=True, metavar="PATH")
    run.add_argument("--runs", type=int, default=5, help="runs per measure (default 5)")
    run.add_argument("--no-gui", action="store_true", help="skip the measures made in a window")
    run.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    run.add_argument(
        "--only",
        action="append",
        default=[],
        choices=["search", "names", "lists", "anniversaries", "actions", "briefing", "world"],
        help="measure only this part (again for more parts)",
    )
    languages = commands.add_parser(
        "languages", help="the window's start in English, Kazakh and Russian, compared"
    )
    languages.add_argument("--runs", type=int, default=21, help="starts per language (21)")
    languages.add_argument(
        "--db", type=Path, default=None, metavar="PATH", help="start on this file (the demo's)"
    )
    office = commands.add_parser(
        "office", help="measure the office sync against a PostgreSQL database"
    )
    office.add_argument(
        "--dsn", required=True, help="an empty PostgreSQL database the benchmark may fill"
    )
    office.add_argument("--records", type=int, default=1_000, help="changed records (1000)")
    office.add_argument("--runs", type=int, default=5, help="runs of the idle sync (default 5)")
    office.add_argument(
        "--join",
        type=int,
        metavar="MEETINGS",
        help="instead: a new desk joining an office of this many generated meetings",
    )
    releases = commands.add_parser(
        "releases", help="score the release reader on the release set (tests/releases)"
    )
    releases.add_argument("--set", type=Path, default=None, metavar="FOLDER")
    releases.add_argument(
        "--db", type=Path, default=None, metavar="PATH", help="time against this office"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.command == "generate":
            from protocol_desk.bench.generate import generate

            result = generate(args.db, args.meetings, seed=args.seed, progress=print)
            counts = ", ".join(f"{n:,} {table}" for table, n in result.counts.items())
            print(
                f"Generated {args.db} in {result.seconds:.1f} s "
                f"({result.size_bytes / 1e6:,.0f} MB): {counts}."
            )
            return 0
        if args.command == "office":
            from protocol_desk.bench.office import join_figures, office_figures

            figures = (
                join_figures(args.dsn, args.join)
                if args.join
                else office_figures(args.dsn, args.records, args.runs)
            )
            for what, seconds in figures:
                print(f"{what}: {seconds * 1000:,.0f} ms")
            return 0
        if args.command == "languages":
            from protocol_desk.bench.languages import language_starts

            if args.runs < 4:
                raise SystemExit("--runs must be at least 4")
            starts = language_starts(
                args.runs, args.db, lambda line: print(line, file=sys.stderr, flush=True)
            )
            print(starts.render())
            return 0
        if args.command == "releases":
            from protocol_desk.bench.releases import RELEASES, score_releases

            print(score_releases(args.set or RELEASES, args.db).render())
            return 0
        from protocol_desk.bench.run import run_benchmark

        if args.runs < 1:
            raise SystemExit("--runs must be at least 1")
        print(f"Measuring {args.db} …", flush=True)
        report = run_benchmark(
            args.db,
            runs=args.runs,
            skip_gui=args.no_gui,
            only=args.only,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
        print(report.render())
        if args.json:
            args.json.write_text(json.dumps(report.figures, indent=2, default=str))
        return 0
    except ProtocolDeskError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
