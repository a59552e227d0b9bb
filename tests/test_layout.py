"""The layout the README draws holds: no import circle among the package's modules, and no arrow upward
between its rooms (corpus ← retrieval ← agent ← ui). Module-level imports only: the CLI command modules
import their stages inside functions on purpose, so that `--help` stays fast. Each heavy optional backend
is imported by one module only."""
from __future__ import annotations

import ast
import subprocess
import sys
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


# Each heavy optional backend behind one module (imports inside functions counted too): the rest of the code
# goes through that module, so the backend's cost and its missing-package error live in one place.
BACKENDS = {"gradio": "ui/web/gradio_backend.py", "chromadb": "retrieval/store.py",
            "sentence_transformers": "retrieval/embed.py", "openai": "agent/llm/backends.py",
            "langchain_openai": "agent/llm/backends.py", "langchain": "agent/llm/backends.py",
            "langchain_core": "agent/llm/backends.py", "llama_cpp": "ui/ask_cmd.py"}


def _importers(mods: dict[str, Path]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for path in mods.values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            for n in names:
                out[n.split(".")[0]].add(path.relative_to(ROOT).as_posix())
    return out


def test_each_heavy_backend_is_imported_by_its_one_module():
    importers = _importers(_modules())
    assert {b: sorted(importers[b]) for b in BACKENDS} == {b: [m] for b, m in BACKENDS.items()}


def test_the_cli_and_the_web_handlers_load_no_gradio():
    """Only laying the page out loads gradio: the CLI, and the tab modules' handlers imported, never do."""
    code = "import sys, ui.cli, ui.app; print([m for m in sys.modules if m.split('.')[0] == 'gradio'])"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_checker_finds_a_circle_when_there_is_one():
    edges = defaultdict(set, {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert _cycles(edges, ["a", "b", "c", "d"]) == [["a", "b", "c"]]
