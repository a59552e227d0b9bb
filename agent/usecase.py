"""Reading a described use: kept for callers of the earlier module; the reader is agent/check/frame.py."""
from .check.facts import MAX_USE_CHARS, UseFacts, validate_use
from .check.frame import read_frame as parse_use

__all__ = ["MAX_USE_CHARS", "UseFacts", "parse_use", "validate_use"]
