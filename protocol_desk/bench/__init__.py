"""The office-scale benchmark: a realistic generated database and the figures measured on it."""
