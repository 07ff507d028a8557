"""Errors the build reports to its user as one clear message, never as a traceback."""


class BuildError(Exception):
    """A problem with the inputs or the project state; the message says what to do."""
