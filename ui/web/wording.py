"""Messages for web users: CLI advice turned into tabs, buttons and fields (rules in wording.yaml), taxonomy
ids into their human names (from corpus/taxonomy.yaml), and notes meant for debugging left out."""
import functools
import re
from pathlib import Path

from agent.present.html import term_name
from corpus.taxonomy import load_taxonomy
from corpus.yamldata import read_yaml

RULES_FILE = Path(__file__).with_name("wording.yaml")
# Lines of the grounded answer that describe how the question was parsed: useful in the CLI's debugging
# output, noise in the page (the verdict and its reasons already say what the use touches).
INTERNAL_LINE = re.compile(r"^[ \t]*Read as:.*(?:\n|$)", re.M)


@functools.lru_cache(maxsize=1)
def _rules() -> list[tuple[re.Pattern, str]]:
    data = read_yaml(RULES_FILE.read_text(encoding="utf-8"))
    return [(re.compile(r["find"]), r["say"]) for r in data["rules"]]


@functools.lru_cache(maxsize=1)
def _flags() -> dict[str, str]:
    return read_yaml(RULES_FILE.read_text(encoding="utf-8"))["flags"]


FLAG = re.compile(r'(?<![\w-])--(?P<flag>[a-z][a-z-]+)(?: (?P<arg>"[^"]*"|[a-z][a-z0-9_.-]*))?')


def _flag(m: re.Match) -> str:
    field = _flags().get(m.group("flag"))
    if field is None:
        return m.group(0)
    arg = m.group("arg")
    return f"{field} set to {term_name(arg.strip(chr(34)))!r}".replace("'", '"') if arg else field


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return {tid: t.name for tid, t in load_taxonomy().items()}


@functools.lru_cache(maxsize=1)
def _id_pattern() -> re.Pattern:
    # only ids with an underscore: plain words ("illegal", "minors") are ordinary English in a sentence
    ids = sorted((t for t in _names() if "_" in t), key=len, reverse=True)
    return re.compile(r"(?<![\w#.-])(" + "|".join(map(re.escape, ids)) + r")(?![\w#-])")


def web_words(text: str | None) -> str:
    """A message of ours (not a quote of a license) as a web user should read it."""
    if not text:
        return text or ""
    text = INTERNAL_LINE.sub("", text).rstrip("\n") if "Read as:" in text else text
    for pattern, say in _rules():
        text = pattern.sub(lambda m, say=say: _fill(m, say), text)
    text = FLAG.sub(_flag, text)
    return _id_pattern().sub(lambda m: term_name(m.group(1)), text)


def _fill(m: re.Match, say: str) -> str:
    out = m.expand(say.replace("{term}", "\x00"))
    if "\x00" in out:
        out = out.replace("\x00", term_name(m.group("term")))
    return out
