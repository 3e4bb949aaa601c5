"""Start the Protocol Desk window: ``python main.py [--db PATH] [--demo]``."""

from protocol_desk.app import main

if __name__ == "__main__":
    raise SystemExit(main())
