"""Model-card front matter (the YAML block between '---' lines), parsed safely and bounded.

Cards come from strangers (uploads, the Hub, other people's repositories): the YAML is size-capped
before parsing, anchors/aliases are limited to a small budget, and the parsed value is walked with a
node budget, so a 400-byte alias bomb cannot expand into megabytes of log or memory.
"""
from __future__ import annotations

import yaml

from .errors import ModeltermsError

MAX_FRONT_MATTER_BYTES = 256_000
MAX_ALIASES = 64
MAX_NODES = 50_000


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that counts alias references while composing the document."""

    def __init__(self, stream):
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise ModeltermsError(f"front matter uses more than {MAX_ALIASES} YAML aliases")
        return super().compose_node(parent, index)


def _count_nodes(value, budget: int) -> int:
    """Nodes of the value as a tree (shared references counted each time they appear)."""
    stack, seen = [value], 0
    while stack:
        v = stack.pop()
        seen += 1
        if seen > budget:
            raise ModeltermsError(f"front matter expands to more than {budget:,} YAML nodes")
        if isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return seen


def load_yaml(text: str, label: str = "YAML") -> object:
    """Parse untrusted YAML with size, alias and expansion budgets; one-line ModeltermsError otherwise."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_FRONT_MATTER_BYTES:
        raise ModeltermsError(f"{label}: YAML is too large ({size:,} bytes; the limit is {MAX_FRONT_MATTER_BYTES:,})")
    try:
        loader = _BoundedLoader(text)
        try:
            value = loader.get_single_data()
        finally:
            loader.dispose()
    except ModeltermsError as e:
        raise ModeltermsError(f"{label}: {e}") from None
    except yaml.YAMLError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ModeltermsError(f"{label}: not valid YAML ({first})") from None
    except RecursionError:
        raise ModeltermsError(f"{label}: YAML is nested too deeply") from None
    _count_nodes(value, MAX_NODES)
    return value


def split_front_matter(text: str, label: str = "model card") -> tuple[dict, str]:
    """(metadata, body) of a card; ({}, text) when it has no front matter."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise ModeltermsError(f"{label}: front matter is not closed with '---'")
    meta = load_yaml(text[3:end], f"{label} front matter")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ModeltermsError(f"{label}: front matter is not a mapping")
    body_start = text.find("\n", end + 4)
    return meta, text[body_start + 1:] if body_start >= 0 else ""
