"""The one exception type surfaces print as a one-line error (no traceback)."""


class ModeltermsError(Exception):
    """A problem the user can fix: bad input, unknown key, unreachable server."""


class UnreachableError(ModeltermsError):
    """A place could not be reached (offline, refused, timed out): another source may still have the text."""
