"""A project's intended uses of its models, as a file kept in the repository (`.modelterms-uses.yaml`),
and which verdicts it accepts for each. `modelterms ci-check` checks every use and fails on one whose
verdict is not accepted, so a pre-commit hook or a CI job stops a change that makes a use prohibited
(or unclear, unless the project accepts that).

    model: meta-llama/Llama-3.1-8B-Instruct   # the default target: one of model, license, card
    accept: [allowed, conditional]            # the default; per use too
    uses:
      - a support chatbot in our SaaS app for 50,000 users
      - use: generate training data for our own small model
        license: llama-3.1-license-2024       # a use may name its own target
        accept: [allowed, conditional, unclear]

Paths (a card, a license file) are relative to the file's folder. The file is data: it is parsed with
the bounded YAML loader, and every field is validated with a one-line error naming the use.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from corpus.errors import ModeltermsError
from corpus.frontmatter import load_yaml

DEFAULT_FILE = ".modelterms-uses.yaml"
VERDICTS = ("prohibited", "conditional", "allowed", "unclear")
DEFAULT_ACCEPT = ("allowed", "conditional")
TARGETS = ("license", "model", "card")
MAX_BYTES = 256_000
_TOP_KEYS = {"accept", "uses", *TARGETS}
_USE_KEYS = {"use", "id", "accept", *TARGETS}


@dataclass(frozen=True)
class IntendedUse:
    id: str
    use: str
    target: str  # license | model | card
    value: str  # a corpus key, a model id or name, or a path made absolute
    accept: tuple[str, ...]

    def accepts(self, verdict: str) -> bool:
        return verdict in self.accept


def load_intended_uses(path: Path) -> list[IntendedUse]:
    """The uses listed in PATH; ModeltermsError with one line saying what is wrong and where."""
    if not path.is_file():
        raise ModeltermsError(f"{path}: no such uses file (list your intended uses there; see `modelterms ci-check --help`)")
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ModeltermsError(f"{path}: too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ModeltermsError(f"{path}: not UTF-8 text") from None
    doc = load_yaml(text, label=str(path))
    if not isinstance(doc, dict):
        raise ModeltermsError(f"{path}: expected a mapping with `uses:` (and a default model, license or card)")
    _no_unknown_keys(doc, _TOP_KEYS, str(path))
    base = path.resolve().parent
    default_target = _target(doc, base, str(path))
    default_accept = _accept(doc.get("accept", list(DEFAULT_ACCEPT)), f"{path}: accept")
    uses = doc.get("uses")
    if not isinstance(uses, list) or not uses:
        raise ModeltermsError(f"{path}: `uses` must be a non-empty list of uses")
    out = []
    for n, item in enumerate(uses, 1):
        where = f"{path}: use {n}"
        if isinstance(item, str):
            item = {"use": item}
        if not isinstance(item, dict):
            raise ModeltermsError(f"{where}: a use is a text or a mapping with `use:`")
        _no_unknown_keys(item, _USE_KEYS, where)
        use = item.get("use")
        if not isinstance(use, str) or not use.strip():
            raise ModeltermsError(f"{where}: `use` must be a non-empty text")
        target = _target(item, base, where) or default_target
        if target is None:
            raise ModeltermsError(f"{where}: no target: give model, license or card (for this use or at the top)")
        accept = _accept(item["accept"], f"{where}: accept") if "accept" in item else default_accept
        out.append(IntendedUse(id=str(item.get("id") or n), use=use.strip(), target=target[0], value=target[1],
                               accept=accept))
    return out


def _no_unknown_keys(mapping: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        raise ModeltermsError(f"{where}: unknown key {unknown[0]!r} (use {', '.join(sorted(allowed))})")


def _target(mapping: dict, base: Path, where: str) -> tuple[str, str] | None:
    given = [k for k in TARGETS if mapping.get(k) not in (None, "")]
    if len(given) > 1:
        raise ModeltermsError(f"{where}: give one of model, license, card (not {' and '.join(given)})")
    if not given:
        return None
    kind, value = given[0], mapping[given[0]]
    if not isinstance(value, str):
        raise ModeltermsError(f"{where}: `{kind}` must be a text")
    value = value.strip()
    if kind == "card" or (kind == "license" and _looks_like_path(value)):
        value = str((base / value).resolve()) if not Path(value).is_absolute() else value
    return kind, value


def _looks_like_path(value: str) -> bool:
    return "/" in value or "\\" in value or Path(value).suffix.lower() in (".txt", ".md", ".html", ".htm", ".pdf")


def _accept(value, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ModeltermsError(f"{where}: a non-empty list of verdicts ({', '.join(VERDICTS)})")
    bad = [v for v in value if v not in VERDICTS]
    if bad:
        raise ModeltermsError(f"{where}: unknown verdict {bad[0]!r} (use {', '.join(VERDICTS)})")
    return tuple(dict.fromkeys(value))
