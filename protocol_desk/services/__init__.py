"""Use cases in plain Python: what the window and the command line do, with no Qt."""
