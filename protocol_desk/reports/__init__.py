"""Printed and exported documents: the briefing PDF and the iCalendar file."""
