"""Adapters to the operating system: clock, sleeping, the log, the control socket, paths, files written for the user."""
