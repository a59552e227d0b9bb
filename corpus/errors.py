"""The one exception type surfaces print as a one-line error (no traceback)."""


class ModeltermsError(Exception):
    """A problem the user can fix: bad input, unknown key, unreachable server."""
