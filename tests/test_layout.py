"""The layout the README draws holds: no import circle among the package's modules, and no arrow upward
between its rooms (corpus ← retrieval ← agent ← ui). Module-level imports only: the CLI command modules
import their stages inside functions on purpose, so that `--help` stays fast."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {"corpus": 0, "retrieval": 1, "agent": 2, "ui": 3}


def _modules() -> dict[str, Path]:
    mods = {}
    for room in LAYERS:
        for p in (ROOT / room).rglob("*.py"):
            parts = p.relative_to(ROOT).with_suffix("").parts
            mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return mods


def _edges(mods: dict[str, Path]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    pkg = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    base = ".".join(pkg + ([node.module] if node.module else []))
                subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in mods]
                # "from . import frame" imports the submodule, not the package's own names
                targets = subs if len(subs) == len(node.names) else [base, *subs]
            else:
                continue
            edges[name] |= {t for t in targets if t in mods and t != name}
    return edges


def _cycles(edges: dict[str, set[str]], nodes) -> list[list[str]]:
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in nodes:
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_and_no_upward_arrow():
    mods = _modules()
    edges = _edges(mods)
    assert _cycles(edges, list(mods)) == []
    upward = sorted((a, b) for a, bs in edges.items() for b in bs
                    if LAYERS[b.split(".")[0]] > LAYERS[a.split(".")[0]])
    assert upward == []


def test_the_checker_finds_a_circle_when_there_is_one():
    edges = defaultdict(set, {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert _cycles(edges, ["a", "b", "c", "d"]) == [["a", "b", "c"]]
