"""``python -m protocol_desk``: the command line."""

from protocol_desk.cli import main

raise SystemExit(main())
