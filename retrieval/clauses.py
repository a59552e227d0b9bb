"""Segments a license text into citable clauses along the text's own structure.

A clause is a heading, a numbered / lettered / roman / bulleted item, a definition, or a
paragraph, with character offsets into the original text: `text[start:end]` is always
the clause, so any quote from a clause is a verbatim substring of the license.

Ids are `<license-key>#<section path>`, e.g. `llama-3.1-license-2024#1.b.iv` or
`bigscience-open-rail-m#attachment-a.c`. They depend only on the text's structure, so
re-indexing an unchanged text gives the same ids.

The segmenter works in two passes:
1. lines are grouped into *units* (a marker line and its wrapped continuation, or a
   paragraph), using blank lines, markers, indentation and punctuation;
2. units are nested into a tree with a stack keyed by marker *style* ("(a)", "1.",
   "i.", bullet, heading), the classic way of reading legal outlines where the same style
   always means the same depth; indentation decides only for unmarked units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .tokens import split_span

# Bump when a change to segmentation can change clause ids or spans: the index re-segments
# every text whose (content hash, segmenter version) it has not seen.
SEGMENTER_VERSION = "3"


@dataclass(frozen=True)
class Clause:
    license: str
    path: str
    start: int
    end: int
    text: str
    title: str = ""  # the clause's own heading or lead-in ("Grant of Rights")
    section: str = ""  # breadcrumb of ancestors' labels and titles
    tokens: int = 0

    @property
    def id(self) -> str:
        return f"{self.license}#{self.path}"


# --- markers ---------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_HEADING_WORDS = r"section|article|part|chapter|attachment|appendix|exhibit|schedule|annex|addendum|clause"
_LABELED_HEADING = re.compile(
    rf"^(?:\*\*|__)?({_HEADING_WORDS})\s+([0-9]{{1,3}}|[ivxlcIVXLC]{{1,6}}|[A-Za-z])\b[.:)\-–—]?", re.I)
_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_EMPH = r"(?:\*\*|__)?"
# Markdown escapes list numbers as "2\\." so that renderers keep them literal.
_DECIMAL = re.compile(rf"^{_EMPH}(\d{{1,3}}(?:\.\d{{1,3}})+)\\?\.?{_EMPH}(?=\s|$)")
_NUMBER = re.compile(rf"^{_EMPH}(\(?)(\d{{1,3}})\\?([.)]){_EMPH}(?=\s|$)")
_LETTER = re.compile(rf"^{_EMPH}(\(?)([A-Za-z]|[ivxlcIVXLC]{{2,6}})\\?([.)]){_EMPH}(?=\s|$)")
_BULLET = re.compile(r"^([-*•·–▪○◦●■□➢►])\s+")
_DEFINITION = re.compile(
    r"^[\"“”'‘]([^\"“”’']{1,60})[\"“”’'](?:\s*(?:or|and|,)\s*[\"“”'‘][^\"“”’']{1,60}[\"“”’'])*\s*"
    r"(?:\([^)]{0,60}\)\s*)?(?:[A-Za-z]+\s+){0,2}(?:shall\s+mean|means|mean|refers?\s+to|includes|is\s+defined|has\s+the\s+meaning)", re.I)


@dataclass
class Marker:
    style: str  # "num.", "(a)", "i.", "dec2", "bullet-", "heading-md2", ...
    value: str  # the item's own label: "1", "b", "iv", "3.1", "" for bullets
    width: int  # characters the marker takes, including the space after it
    heading_level: int = 0  # >0 for headings; lower is shallower
    label: str = ""  # how the marker reads in a breadcrumb: "1.", "(b)", "Attachment A"


def parse_marker(content: str) -> Marker | None:
    """The list or heading marker at the start of a line's content, if any."""
    m = _MD_HEADING.match(content)
    if m:
        level = len(m.group(1))
        rest = content[m.end():]
        inner = parse_marker(rest)
        value = inner.value if inner and inner.value else ""
        return Marker(f"heading-md{level}", value, m.end(), heading_level=level, label="#" * level)
    m = _LABELED_HEADING.match(content)
    if m:
        word, label = m.group(1).lower(), m.group(2)
        if word != "clause" or label.isdigit():
            return Marker(f"heading-{word}", f"{word}-{label.lower()}", m.end(), heading_level=1,
                          label=f"{m.group(1).title()} {label}")
    m = _DECIMAL.match(content)
    if m:
        depth = m.group(1).count(".") + 1
        return Marker(f"dec{depth}", m.group(1), m.end(), label=m.group(1))
    m = _NUMBER.match(content)
    if m:
        paren, num, punct = m.groups()
        return Marker(f"num{paren}{punct}", num, m.end(), label=f"{paren}{num}{punct}")
    m = _LETTER.match(content)
    if m:
        paren, val, punct = m.groups()
        case = "upper" if val.isupper() else "lower"
        # Letter vs roman is settled later from the neighbours ("i" after "h" is a letter).
        return Marker(f"alpha-{case}{paren}{punct}", val, m.end(), label=f"{paren}{val}{punct}")
    m = _BULLET.match(content)
    if m:
        return Marker(f"bullet{m.group(1)}", "", m.end(), label=m.group(1))
    return None


# --- pass 1: units ----------------------------------------------------------

@dataclass
class _Unit:
    start: int  # offset of the first non-space character
    end: int  # offset just after the last non-space character
    indent: int
    first_line: str
    marker: Marker | None
    lines: int = 1
    last_indent: int = 0
    last_line: str = ""
    heading: bool = False


def _is_caps_heading(content: str, wrap: int) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", content)
    if len(letters) < 4 or content.upper() != content or len(content) > min(70, 0.8 * wrap):
        return False
    return not re.search(r"[.;,]$", content.rstrip("*_ "))


def _units(text: str) -> list[_Unit]:
    lines = []  # (offset of line start, line without newline)
    pos = 0
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    lengths = sorted(len(raw.strip()) for _, raw in lines if raw.strip())
    # The wrap width of hard-wrapped texts; unwrapped texts (one paragraph a line) get a big one.
    wrap = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 80
    units: list[_Unit] = []
    cur: _Unit | None = None
    prev_blank = True
    for offset, raw in lines:
        stripped = raw.strip()
        if not stripped:
            prev_blank = True
            continue
        lead = len(raw) - len(raw.lstrip())
        indent = len(raw[:lead].expandtabs(4))
        content = raw[lead:].rstrip()
        marker = parse_marker(content)
        if marker and marker.heading_level == 1 and not prev_blank and not (cur and cur.heading) \
                and not re.match(r"[^:\-–—]*[:\-–—]\s*[A-Z]", content[:marker.width + 3]):
            marker = None  # "...listed in\n   Attachment A." is a wrapped sentence; "Section III: TITLE" is a heading
        caps = marker is None and _is_caps_heading(content, wrap)
        subtitle = (cur is not None and cur.heading and cur.lines == 1 and cur.marker is not None
                    and cur.marker.heading_level == 1 and marker is None and len(content) < 80
                    and not cur.first_line[cur.marker.width:].strip(" :.-–—*_"))
        new = not subtitle and (
            cur is None or prev_blank or marker is not None or caps or cur.heading
            or _ends_item(cur.last_line)
            or len(cur.last_line) > 1.15 * max(wrap, 100)  # unwrapped text: each line is a paragraph
            or (cur.last_line.endswith((".", "!", "?", '"', "”")) and len(cur.last_line) < 0.6 * wrap)
            or (indent < cur.last_indent and _ends_sentence(cur.last_line))
            or (indent > cur.last_indent and not _hanging(cur, indent))
        )
        if new:
            cur = _Unit(start=offset + lead, end=offset + lead + len(content), indent=indent,
                        first_line=content, marker=marker, last_indent=indent, last_line=content,
                        heading=bool(caps or (marker and marker.heading_level)))
            if caps:
                cur.marker = Marker("heading-caps", "", 0, heading_level=2, label="")
            units.append(cur)
        else:
            cur.end = offset + lead + len(content)
            cur.lines += 1
            cur.last_indent = indent
            cur.last_line = content
        prev_blank = False
    _mark_plain_headings(units)
    return units


def _mark_plain_headings(units: list[_Unit]) -> None:
    """Short stand-alone lines that introduce a paragraph ("Registration and access") are headings."""
    for i, u in enumerate(units[:-1]):
        nxt = units[i + 1]
        words = u.first_line.split()
        if (u.marker is None and u.lines == 1 and len(u.first_line) <= 60 and 1 <= len(words) <= 8
                and u.first_line[:1].isupper() and not re.search(r"[.,;:!?\]\)]$", u.first_line)
                and not _DEFINITION.match(u.first_line) and not re.search(r"http|:|\d", u.first_line)
                and (nxt.end - nxt.start) > 2 * len(u.first_line) and not nxt.heading):
            u.marker = Marker("heading-plain", "", 0, heading_level=3, label="")
            u.heading = True


def _ends_item(line: str) -> bool:
    return bool(re.search(r"[:;]\s*(?:\*\*)?$|;\s*(?:or|and)$", line))


def _ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.:;!?\"”)]\s*(?:\*\*)?$", line))


def _hanging(cur: _Unit, indent: int) -> bool:
    """A wrapped line aligned under the text of a marker line ('1. Foo\\n   bar') continues it."""
    if cur.marker is None:
        return cur.lines > 1 and indent == cur.last_indent
    col = cur.indent + cur.marker.width
    return cur.lines == 1 and abs(indent - col) <= 2 or cur.lines > 1 and indent == cur.last_indent


# --- pass 2: tree -------------------------------------------------------------

@dataclass
class _Node:
    style: str
    indent: int
    path: str
    display: str
    heading_level: int = 0
    last_value: str = ""
    counters: dict = field(default_factory=dict)
    crumbs: tuple = ()
    title_only: bool = False
    number: str = ""  # "3.1" for item 3.1, "3" for "Section 3": decimal children are read against it


def _slug(text: str, words: int = 4) -> str:
    tokens = re.findall(r"[a-z0-9]+", text.lower())[:words]
    return "-".join(tokens)[:40] or "x"


def _lead_in(content: str) -> str:
    """The short title at the start of an item: 'Grant of Rights. You are granted' -> 'Grant of Rights'."""
    content = content.strip().strip("*_").strip()
    m = re.match(r"^([^.:;\n]{2,80}?)(?:\*\*|__)?[.:](?:\*\*|__)?(?:\s|$)", content)
    if m and len(m.group(1).split()) <= 10 and (m.group(1)[:1].isupper() or m.group(1)[:1] in "“\""):
        return m.group(1).strip("*_ ")
    if len(content) <= 80 and not content.endswith((".", ";", ",")):
        return content.strip("*_ ")
    return ""


def _is_roman_here(value: str, stack: list[_Node], style_alpha: str) -> bool:
    v = value.lower()
    if not _ROMAN.match(v):
        return False
    if len(v) > 1:
        return True
    # A single i/v/x/l/c: a letter if it continues a letter sequence at this style.
    for node in reversed(stack):
        if node.style == style_alpha and node.last_value:
            return ord(v) != ord(node.last_value.lower()) + 1
        if node.style == style_alpha.replace("alpha", "roman"):
            return True
        if node.heading_level:
            break
    return v == "i"  # a fresh list starting at "i" is roman; "c", "v", "x" start letter lists rarely


def segment(key: str, text: str, max_tokens: int = 200, overlap: int = 32) -> list[Clause]:
    """Clauses of `text`, in reading order, with verbatim offsets."""
    units = _units(text)
    root = _Node("root", -1, "", "")
    stack = [root]
    seen: dict[str, int] = {}
    clauses: list[Clause] = []

    def emit(path: str, unit: _Unit, title: str, crumbs: tuple):
        n = seen.get(path, 0) + 1
        seen[path] = n
        if n > 1:
            path = f"{path}_{n}"
        section = " > ".join(c for c in crumbs if c)
        for i, (s, e, ntok) in enumerate(split_span(text, unit.start, unit.end, max_tokens, overlap)):
            part = path if i == 0 else f"{path}~{i + 1}"
            clauses.append(Clause(key, part, s, e, text[s:e], title=title, section=section, tokens=ntok))

    for idx, unit in enumerate(units):
        marker = unit.marker
        content_after = unit.first_line[marker.width:] if marker else unit.first_line
        if idx == 0 and _is_title(unit, text):
            emit("title", unit, unit.first_line.strip("#*_ "), ())
            continue
        if marker and marker.heading_level:
            while len(stack) > 1 and not (stack[-1].heading_level and stack[-1].heading_level < marker.heading_level):
                stack.pop()
            parent = stack[-1]
            title = _lead_in(content_after) or content_after.strip("#*_ :")[:80]
            component = marker.value or _slug(title)
            path = _join(parent.path, component)
            display = (marker.label + " " + title).strip() if marker.label and not marker.label.startswith("#") else title
            node = _Node(marker.style, unit.indent, path, display, heading_level=marker.heading_level,
                         crumbs=parent.crumbs + (display,), number=marker.value.rpartition("-")[2])
            emit(path, unit, title, node.crumbs)
            stack.append(node)
            continue
        if marker:
            style = marker.style
            if style.startswith("alpha"):
                if _is_roman_here(marker.value, stack, style):
                    style = style.replace("alpha", "roman")
            hit = None
            for j in range(len(stack) - 1, 0, -1):
                if stack[j].style == style:
                    hit = j
                    break
                if stack[j].heading_level:
                    break
            if hit is not None:
                del stack[hit:]
            else:
                # A list never nests under a paragraph at its own indent, only under a deeper-
                # indented layout (which the unmarked branch handles) or under another item.
                while len(stack) > 1 and not stack[-1].heading_level and (
                        stack[-1].indent > unit.indent or stack[-1].style == "para" and stack[-1].indent >= unit.indent):
                    stack.pop()
            parent = stack[-1]
            if style.startswith("bullet"):
                parent.counters["bullet"] = parent.counters.get("bullet", 0) + 1
                component = str(parent.counters["bullet"])
            elif style.startswith("dec"):
                prefix, _, last = marker.value.rpartition(".")
                # "3.1" under "3" or under "Section 3" reads as 3.1, not 3.3.1.
                component = last if parent.number == prefix else marker.value
            else:
                component = marker.value.lower()
            path = _join(parent.path, component)
            title = _lead_in(content_after)
            display = (marker.label + " " + title).strip() if not style.startswith("bullet") else title
            node = _Node(style, unit.indent, path, display, last_value=marker.value,
                         crumbs=parent.crumbs + (display,),
                         title_only=unit.lines == 1 and bool(title) and len(content_after.strip()) <= len(title) + 3,
                         number=marker.value if style.startswith(("num", "dec")) else "")
            emit(path, unit, title, node.crumbs)
            stack.append(node)
            continue
        # Unmarked: a definition or a paragraph, nested by indentation.
        # An item that is only a title ("2.1 Eligibility", "1. Definitions.") owns the
        # paragraphs under it; any other item at this indent has ended.
        while len(stack) > 1 and not stack[-1].heading_level and not stack[-1].title_only \
                and stack[-1].indent >= unit.indent:
            stack.pop()
        parent = stack[-1]
        d = _DEFINITION.match(unit.first_line.lstrip("*_ -"))
        if d:
            component = "def-" + _slug(d.group(1), 5)
            title = d.group(1)
        else:
            parent.counters["p"] = parent.counters.get("p", 0) + 1
            component = f"p{parent.counters['p']}"
            title = _lead_in(unit.first_line) if unit.lines == 1 and len(unit.first_line) < 80 else ""
        path = _join(parent.path, component)
        node = _Node("para", unit.indent, path, title, crumbs=parent.crumbs + (title,))
        emit(path, unit, title, node.crumbs)
        stack.append(node)
    return clauses


def _is_title(unit: _Unit, text: str) -> bool:
    """The document's name on its first lines ("Apache License / Version 2.0 ..."), not a container."""
    body = text[unit.start:unit.end]
    marker = unit.marker
    if marker and not (marker.style in ("heading-caps", "heading-md1", "heading-plain")):
        return False
    return unit.lines <= 4 and len(body) < 200 and not body.rstrip().endswith((".", ":", ";")) \
        and not _DEFINITION.match(unit.first_line)


def _join(parent: str, component: str) -> str:
    return f"{parent}.{component}" if parent else component
