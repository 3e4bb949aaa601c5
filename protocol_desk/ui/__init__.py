"""Widgets, dialogs and Qt item models: they call services, never SQL."""
