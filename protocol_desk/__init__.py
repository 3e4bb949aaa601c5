"""Protocol Desk: meetings, delegations, anniversaries, agreed actions and briefing notes."""

__version__ = "0.1.0"
APP_NAME = "Protocol Desk"
