"""The web UI: a Gradio Blocks app over the grounded tools. Thin: handlers validate, call agent/,
retrieval/ and evals/, and format; they hold no analysis of their own.

Tabs: Chat (streaming answers, verdict badge, citations that open onto the clause in its text),
Check, Explain, Compare (+ version diff), Draft, Corpus, Evals.

- `Services` holds what is loaded once per process (checker with corpus, index, profiler and
  embedding model; searcher; drafter; identifier) and is rebuilt only when the corpus changes.
  Grounded work takes a shared lock, corpus changes an exclusive one.
- Every handler is a plain function of `Services` and the inputs, so it is tested without a
  browser; `build_app` wires them into Blocks with `_guard`, which turns any failure into a
  one-line message (never a traceback; unexpected errors go to the server log).
- Uploads and files offered for download live under `<home>/ui/` (Gradio's upload and cache
  folder); `serve_only` refuses every `/file=` request outside it.
"""
import functools
import hashlib
import html
import json
import logging
import os
import queue
import re
import threading
import time
import uuid
from collections import OrderedDict
from pathlib import Path

from corpus.atomic import atomic_write
from corpus.errors import ModeltermsError
from corpus.settings import Settings

log = logging.getLogger("modelterms.ui")

TITLE = "modelterms"
DISCLAIMER = "modelterms explains license texts; it is not legal advice."
UPLOAD_TYPES = [".txt", ".md", ".markdown", ".html", ".htm", ".pdf"]
VERDICTS = ("prohibited", "conditional", "allowed", "unclear")
MAX_SESSIONS = 256  # chat conversations kept in memory (least recently used dropped first)
MAX_COMPARE = 8
_EFFECT_ORDER = {"prohibited": 0, "condition": 1, "review": 2, "missing": 3, "grant": 4, "match": 5}
_ATTITUDE_CLASS = {"cannot": "mt-cannot", "must": "mt-must", "can": "mt-can", "none": "mt-none"}


def ui_dir(settings: Settings) -> Path:
    """Everything the UI writes or serves: uploads, drafts to download, Gradio's cache."""
    return settings.home / "ui"


# --- what is loaded once per process ---------------------------------------------------------

class _RWLock:
    """Many readers (grounded work) or one writer (a corpus change); a waiting writer goes before new
    readers, so a steady stream of questions cannot hold a corpus change off for ever. Not re-entrant."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting = 0

    def read(self):
        return _Held(self, False)

    def write(self):
        return _Held(self, True)

    def _acquire(self, write: bool):
        with self._cond:
            if write:
                self._waiting += 1
                while self._writer or self._readers:
                    self._cond.wait()
                self._waiting -= 1
                self._writer = True
            else:
                while self._writer or self._waiting:
                    self._cond.wait()
                self._readers += 1

    def _release(self, write: bool):
        with self._cond:
            if write:
                self._writer = False
            else:
                self._readers -= 1
            self._cond.notify_all()


class _Held:
    def __init__(self, lock: _RWLock, write: bool):
        self.lock, self.write = lock, write

    def __enter__(self):
        self.lock._acquire(self.write)

    def __exit__(self, *exc):
        self.lock._release(self.write)


class _OneEmbed:
    """The embedding model with `embed` as one stored callable: `checker.embedder.embed` is then the same
    object on every request, so caches that agent code keys by that callable (use-exemplar vectors)
    stay warm instead of being rebuilt per request (a fresh bound method each time)."""

    def __init__(self, inner):
        self.name = inner.name
        self.inner = inner
        self.embed = inner.embed


class Services:
    """The grounded tools, built once per process (and again only after the corpus changes)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.lock = _RWLock()
        self._build = threading.RLock()
        self._checker = None
        self._searcher = None
        self._searcher_error: str | None = None
        self._drafter = None
        self._identifier = None
        self._sessions: OrderedDict[str, object] = OrderedDict()
        self.generation = 0

    @property
    def upload_root(self) -> Path:
        return ui_dir(self.settings).resolve()

    @property
    def checker(self):
        with self._build:
            if self._checker is None:
                from agent.check import Checker
                from retrieval.embed import load_embedder

                embedder = _OneEmbed(load_embedder(self.settings.embedding, self.settings.embed_batch_size))
                self._checker = Checker(self.settings, embedder=embedder)
                # Nothing typed or uploaded in the page names a server path: models and base models
                # resolve through the registry, the corpus and the HF cache only.
                self._checker.resolver.local_paths = False
            return self._checker

    @property
    def corpus(self):
        return self.checker.corpus

    @property
    def searcher(self):
        """The hybrid searcher, or None when there is no index yet (`searcher_error` says why)."""
        with self._build:
            if self._searcher is None and self._searcher_error is None:
                from retrieval.search import Searcher

                try:
                    self._searcher = Searcher(self.settings, store=self.checker.store)
                except ModeltermsError as e:
                    self._searcher_error = str(e)
            return self._searcher

    @property
    def drafter(self):
        with self._build:
            if self._drafter is None:
                from agent.draft import Drafter, Grounding

                searcher = self.searcher
                grounding = Grounding(self.settings, searcher=searcher) if searcher is not None else None
                if grounding is None:
                    grounding = Grounding(self.settings)
                    grounding.error = self._searcher_error or "no index"
                self._drafter = Drafter(self.settings, grounding=grounding, llm=self._llm())
            return self._drafter

    @property
    def identifier(self):
        with self._build:
            if self._identifier is None:
                from agent.identify import Identifier

                self._identifier = Identifier(self.settings, self.corpus, scope="builtin")
            return self._identifier

    def _llm(self):
        if not self.settings.llm:
            return None
        from agent.llm import client_from_settings

        return client_from_settings(self.settings)

    def conversation(self, session: str):
        """The chat of one browser session (follow-ups reuse its earlier turns)."""
        from agent.conversation import Conversation

        with self._build:
            conv = self._sessions.get(session)
            if conv is None or getattr(conv, "_mt_generation", None) != self.generation:
                conv = Conversation(self.settings, checker=self.checker, llm=self._llm() or False,
                                    searcher_factory=self._searcher_or_fail)
                conv._mt_generation = self.generation
                conv._mt_lock = threading.Lock()  # one question at a time per conversation
                self._sessions[session] = conv
            self._sessions.move_to_end(session)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
            return conv

    def reset_conversation(self, session: str) -> None:
        with self._build:
            self._sessions.pop(session, None)

    def _searcher_or_fail(self):
        s = self.searcher
        if s is None:
            raise ModeltermsError(self._searcher_error or "no index")
        return s

    def invalidate(self) -> None:
        """After a corpus change: the next request builds the tools again (the embedding model is kept)."""
        with self._build:
            self._checker = self._searcher = self._drafter = self._identifier = None
            self._searcher_error = None
            self.generation += 1

    def warm(self) -> None:
        """Loads the embedding model, index and profiles now, so the first request is not the slow one."""
        with self.lock.read():
            checker = self.checker
            checker.embedder.embed(["warm-up"])
            if self.searcher is not None:
                self.searcher.search("warm-up use of the model", k=1)
            keys = [k for k in checker.corpus.builtin_keys() if self.searcher and k in self.searcher.licenses][:1]
            for k in keys:
                checker.profiler.profile(k)

    # choices for pickers
    def license_choices(self) -> list[tuple[str, str]]:
        corpus = self.corpus
        out = []
        for k in corpus.builtin_keys() + corpus.user_keys():
            try:
                e = corpus.get(k)
            except ModeltermsError:
                continue
            mine = " (yours)" if e.source == "user" else ""
            out.append((f"{k} — {e.name}{mine}" if e.name and e.name != k else f"{k}{mine}", k))
        return out


def model_choices() -> list[tuple[str, str]]:
    """The model registry as picker entries: a pattern (it resolves as itself) and its license id."""
    from agent.models import registry

    return [(f"{m['id']}  ({m['license']})", m["id"]) for m in registry().get("models", [])]


# --- uploads -------------------------------------------------------------------------------------

def upload_path(svc: Services, upload) -> Path:
    """The path of an uploaded file, which must lie under the UI's data folder; a one-line error otherwise."""
    if upload is None or upload == "" or upload == []:
        raise ModeltermsError("no file uploaded")
    if isinstance(upload, (list, tuple)):
        if len(upload) != 1:
            raise ModeltermsError("upload one file at a time")
        upload = upload[0]
    raw = upload.get("path") if isinstance(upload, dict) else getattr(upload, "path", None) or getattr(upload, "name", upload)
    path = Path(str(raw)).resolve()
    root = svc.upload_root
    if root != path and root not in path.parents:
        raise ModeltermsError("that file was not uploaded here: only files uploaded through this page are read")
    if not path.is_file():
        raise ModeltermsError("the uploaded file is gone (uploads are kept for a day): upload it again")
    return path


def read_upload(svc: Services, upload) -> tuple[Path, str]:
    """(path, text) of an uploaded license or card: type, size, binary and encoding checked."""
    from corpus.textfile import read_text_file

    path = upload_path(svc, upload)
    suffix = path.suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise ModeltermsError(f"{path.name}: unsupported file type {suffix or '(none)'!r}; upload {', '.join(UPLOAD_TYPES)}")
    try:
        text = read_text_file(path, svc.settings.max_file_bytes)
    except ModeltermsError as e:
        # the message names the file, not the server's folder
        raise ModeltermsError(str(e).replace(str(path), path.name)) from None
    return path, text


def hide_server_paths(svc: Services, text: str, upload: Path | None = None) -> str:
    """A message for the page with the server's folders taken out: an upload is named by its file name."""
    if upload is not None:
        text = text.replace(str(upload), upload.name)
    for root in {str(svc.upload_root), str(svc.settings.home.resolve()), str(svc.settings.home)}:
        text = text.replace(root + os.sep, "").replace(root, "<data folder>")
    return text


def _is_card(text: str) -> bool:
    """A model card: YAML front matter that names a license or a base model."""
    from corpus.frontmatter import split_front_matter

    if not text.lstrip("\ufeff").startswith("---"):
        return False
    try:
        meta, _ = split_front_matter(text)  # bounded: an alias bomb is refused, not expanded
    except ModeltermsError:
        return True  # it is meant as a card: reading it as one gives the user the reason it is refused
    return any(k in meta for k in ("license", "license_name", "base_model"))


def transient_license(svc: Services, path: Path, text: str) -> str:
    """An uploaded license text as an entry for this process only (never stored); its key is its hash,
    so two people's uploads of the same file name never meet."""
    from corpus.entry import LicenseEntry, guess_kind

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    key = f"upload:{digest}"
    if not svc.corpus.exists(key):
        name = next((ln.strip(" #*_\t") for ln in text.splitlines() if len(ln.strip(" #*_\t")) >= 3), path.name)[:120]
        svc.corpus.add_transient(LicenseEntry(key=key, name=name, kind=guess_kind(name, text), text=text,
                                              source="file", family=key, origin_file=path.name))
    return key


def identify_note(svc: Services, text: str) -> str:
    try:
        ident = svc.identifier.identify(text, n=3)
    except ModeltermsError as e:
        return f"Identification unavailable: {e}"
    best = ident.best
    if best is None:
        return "This text matches no license of the corpus."
    if ident.unknown:
        return f"Closest corpus text: `{best.license}` ({best.name}), score {best.score:.2f} — not a match."
    return f"This text is `{best.license}` ({best.name}), score {best.score:.2f}."


# --- shared rendering ------------------------------------------------------------------------

def _e(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def verdict_badge(verdict: str | None, label: str | None = None) -> str:
    if not verdict:
        return f'<div class="mt-verdict"><span class="mt-badge mt-info">{_e(label or "answer")}</span></div>'
    return f'<div class="mt-verdict"><span class="mt-badge mt-{_e(verdict)}">{_e(verdict.upper())}</span></div>'


def clause_context(svc: Services, license_key: str, clause_id: str, quote: str = "", around: int = 500) -> dict | None:
    """The clause in its text: what precedes it, the clause (quote marked), what follows."""
    try:
        entry = svc.corpus.get(license_key)
        feats = svc.checker.profiler.features(license_key)
    except ModeltermsError:
        return None
    clause = next((f.clause for f in feats if f.clause.id == clause_id), None)
    if clause is None:
        return None
    text = entry.text
    # Up to `around` characters each side, cut at a line break when that keeps a useful part, else at a space.
    a = max(0, clause.start - around)
    if a > 0:
        nl = text.find("\n", a, clause.start)
        sp = text.find(" ", a, clause.start)
        a = nl + 1 if 0 <= nl < clause.start - 80 else (sp + 1 if sp >= 0 else a)
    b = min(len(text), clause.end + around)
    if b < len(text):
        nl = text.rfind("\n", clause.end, b)
        sp = text.rfind(" ", clause.end, b)
        b = nl if nl > clause.end + 80 else (sp if sp > clause.end else b)
    return {"license": license_key, "name": entry.name, "clause_id": clause_id, "section": clause.section,
            "before": text[a:clause.start], "clause": text[clause.start:clause.end], "after": text[clause.end:b],
            "quote": quote, "cut_before": a > 0, "cut_after": b < len(text)}


def _mark(clause: str, quote: str) -> str:
    if quote and quote in clause:
        i = clause.index(quote)
        return _e(clause[:i]) + "<mark>" + _e(quote) + "</mark>" + _e(clause[i + len(quote):])
    return _e(clause)


def citations_html(svc: Services, findings: list[dict], limit: int = 10) -> str:
    """Each cited clause as an openable item: license name and clause id; opened, the clause in its context."""
    seen, items = set(), []
    ranked = sorted(findings, key=lambda f: _EFFECT_ORDER.get(f.get("effect") or "", 9))
    for f in ranked:
        cid = f.get("clause_id")
        if not cid or cid in seen:
            continue
        seen.add(cid)
        ctx = clause_context(svc, f["license"], cid, f.get("quote") or "")
        name = ctx["name"] if ctx else f["license"]
        what = " · ".join(x for x in (f.get("effect"), f.get("category")) if x)
        head = (f'<summary><b>{_e(name)}</b> · <code>{_e(cid)}</code>'
                + (f' <span class="mt-effect">{_e(what)}</span>' if what else "") + "</summary>")
        if ctx:
            body = (f'<div class="mt-why">{_e(f.get("why") or "")}</div>'
                    f'<div class="mt-section">{_e(ctx["section"] or "")}</div>'
                    '<pre class="mt-context">' + ("…" if ctx["cut_before"] else "")
                    + f'<span class="mt-around">{_e(ctx["before"])}</span>'
                    + f'<span class="mt-clause">{_mark(ctx["clause"], ctx["quote"])}</span>'
                    + f'<span class="mt-around">{_e(ctx["after"])}</span>' + ("…" if ctx["cut_after"] else "")
                    + "</pre>")
        else:
            body = f'<pre class="mt-context"><span class="mt-clause">{_e(f.get("quote") or "")}</span></pre>'
        items.append(f'<details class="mt-cite" data-clause="{_e(cid)}">{head}{body}</details>')
        if len(items) >= limit:
            break
    if not items:
        return '<div class="mt-cites"><p class="mt-muted">No clause cited.</p></div>'
    return '<div class="mt-cites"><p class="mt-muted">Citations — open one to read the clause in its text:</p>' \
        + "".join(items) + "</div>"


def _rows_to_df(rows: list[list], columns: list[str]):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


# --- Chat -------------------------------------------------------------------------------------

def chat_stream(svc: Services, session: str, message: str, history: list | None):
    """Yields (history, verdict badge, citations, cleared input) while the answer is produced."""
    message = (message or "").strip()
    if not message:
        raise ModeltermsError('empty question: ask e.g. "Can I use Llama 3.1 8B in a paid chatbot?"')
    history = list(history or [])
    history.append({"role": "user", "content": message})
    history.append({"role": "assistant", "content": "…"})
    yield history, verdict_badge(None, "thinking…"), "", ""
    conv = svc.conversation(session)
    chunks: queue.Queue = queue.Queue()
    box: dict = {}

    def work():
        try:
            with conv._mt_lock, svc.lock.read():
                box["answer"] = conv.ask(message, on_text=chunks.put)
        except BaseException as e:  # handed to the caller below
            box["error"] = e
        finally:
            chunks.put(None)

    th = threading.Thread(target=work, name="modelterms-chat", daemon=True)
    th.start()
    text = ""
    while True:
        piece = chunks.get()
        if piece is None:
            break
        text += piece
        history[-1] = {"role": "assistant", "content": text}
        yield history, verdict_badge(None, "thinking…"), "", ""
    th.join()
    if "error" in box:
        history.pop()
        history.pop()
        raise box["error"]
    ans = box["answer"]
    body = ans.answer
    if ans.notices:
        body += "\n\n" + "\n".join(f"*{n}*" for n in ans.notices)
    history[-1] = {"role": "assistant", "content": body}
    label = {"explain": "explanation", "search": "clauses", "compare": "comparison", "resolve": "licenses"}.get(ans.intent)
    yield history, verdict_badge(ans.verdict, label), citations_html(svc, ans.findings), ""


def chat_reset(svc: Services, session: str):
    svc.reset_conversation(session)
    return [], verdict_badge(None, "ask a question"), "", ""


# --- Check ------------------------------------------------------------------------------------

FINDING_COLUMNS = ["effect", "license", "clause", "category", "attitude", "quote", "why"]


def run_check(svc: Services, target: str, model: str | None, license_key: str | None, upload, use: str | None):
    """(badge, summary markdown, findings table, citations) for a use of a model, license or uploaded text."""
    from agent.usecase import validate_use

    if not (use or "").strip():
        raise ModeltermsError("describe the use: what will the model do, for whom, and do you share, host or sell it?")
    use = validate_use(use)
    target = (target or "model").lower()
    note = ""
    # Inputs are checked before anything is loaded.
    if target == "model" and not (model or "").strip():
        raise ModeltermsError("pick or type a model (e.g. meta-llama/Llama-3.1-8B-Instruct, Gemma 2 9B)")
    if target == "license" and not (license_key or "").strip():
        raise ModeltermsError("pick a license from the list")
    if target not in ("model", "license", "upload"):
        raise ModeltermsError(f"unknown target {target!r}: choose model, license or upload")
    path, text = read_upload(svc, upload) if target == "upload" else (None, "")
    with svc.lock.read():
        checker = svc.checker
        if target == "model":
            result = checker.check(use, model=model.strip())
        elif target == "license":
            key = license_key.strip()
            if not checker.corpus.exists(key):
                raise ModeltermsError(checker.corpus.unknown_key_message(key))
            result = checker.check(use, license=key)
        else:
            if _is_card(text):
                try:
                    result = checker.check(use, card=str(path))
                except ModeltermsError as e:
                    raise ModeltermsError(hide_server_paths(svc, str(e), path)) from None
                note = f"Read `{path.name}` as a model card."
            else:
                key = transient_license(svc, path, text)
                result = checker.check(use, license=key)
                note = f"Read `{path.name}` as a license text (analysed, not stored). " + identify_note(svc, text)
        findings = [f.as_json() for f in result.findings]
        cites = citations_html(svc, findings)
    rows = [[f["effect"], f["license"], f["clause_id"], f["category"], f["attitude"], _short(f["quote"], 220), f["why"]]
            for f in sorted(findings, key=lambda f: _EFFECT_ORDER.get(f["effect"], 9))]
    md = []
    if note:
        md.append(note)
    md.append("**Texts considered:** " + (", ".join(f"`{k}`" for k in result.licenses) or "none resolved"))
    md.append(result.answer.replace("\n", "  \n"))
    if result.conditions:
        md.append("**Conditions**\n" + "\n".join(f"- {c}" for c in result.conditions))
    if result.missing:
        md.append("**Missing**\n" + "\n".join(f"- {m}" for m in result.missing))
    notes = result.resolution.notes if result.resolution is not None else []
    if notes:
        md.append("**Notes**\n" + "\n".join(f"- {n}" for n in notes))
    md_text = hide_server_paths(svc, "\n\n".join(md), path)
    return verdict_badge(result.verdict), md_text, _rows_to_df(rows, FINDING_COLUMNS), cites


def _short(text: str, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"


# --- Explain ----------------------------------------------------------------------------------

PROFILE_COLUMNS = ["group", "term", "attitude", "parameters", "clause", "quote"]


def _ref_key(svc: Services, license_key: str | None, upload, text: tuple | None = None) -> str:
    if text is not None:
        return transient_license(svc, *text)
    key = (license_key or "").strip()
    if not svc.corpus.exists(key):
        raise ModeltermsError(svc.corpus.unknown_key_message(key))
    return key


def explain(svc: Services, license_key: str | None, upload=None):
    """(heading markdown, profile table, references markdown) of one license."""
    from corpus.taxonomy import load_taxonomy

    tax = load_taxonomy()
    order = list(tax)
    uploaded = read_upload(svc, upload) if upload else None
    if uploaded is None and not (license_key or "").strip():
        raise ModeltermsError("pick a license from the list or upload a license file")
    with svc.lock.read():
        key = _ref_key(svc, license_key, upload, uploaded)
        prof = svc.checker.profiler.profile(key)
    titles = {"permissions": "permission", "prohibitions": "prohibition", "duties": "duty", "thresholds": "threshold"}
    rows = []
    for group, terms in prof.grouped().items():
        for t in sorted(terms, key=lambda t: order.index(t.term) if t.term in order else 999):
            ev = t.evidence[0] if t.evidence else None
            params = ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}" for k, v in t.params.items())
            rows.append([titles.get(group, group), tax[t.term].name if t.term in tax else t.term, t.attitude, params,
                         ev.clause_id if ev else "", _short(ev.quote, 300) if ev else ""])
    head = f"### {prof.name}\n`{prof.license}` · {prof.kind} · {len(rows)} terms recognised (method: {prof.method})"
    if not rows:
        head += "\n\nNo taxonomy term was recognised in this text."
    refs = []
    for r in prof.references:
        state = f"in the corpus as `{r['key']}`" if r["in_corpus"] else "**not in the corpus**" + (
            f" — add it in the Corpus tab under the key `{r['key']}`" if r.get("key") else "")
        refs.append(f"- {r['policy']}: {state}" + (f" ({r['url']})" if r.get("url") else ""))
    refs_md = ("**Use policies incorporated by reference**\n" + "\n".join(refs)) if refs else \
        "No use policy is incorporated by reference."
    return head, _rows_to_df(rows, PROFILE_COLUMNS), refs_md


# --- Compare and diff ----------------------------------------------------------------------------

def compare_html(svc: Services, keys: list[str] | None) -> str:
    """A colour-coded matrix of terms (rows) by licenses (columns), with the overview above it."""
    from agent.compare import SYMBOL, compare

    keys = list(dict.fromkeys(k.strip() for k in (keys or []) if k and k.strip()))
    if len(keys) < 2:
        raise ModeltermsError("pick at least two licenses to compare")
    if len(keys) > MAX_COMPARE:
        raise ModeltermsError(f"compare at most {MAX_COMPARE} licenses at once")
    with svc.lock.read():
        for k in keys:
            if not svc.corpus.exists(k):
                raise ModeltermsError(svc.corpus.unknown_key_message(k))
        matrix = compare([svc.checker.profiler.profile(k) for k in keys])
    head = "".join(f'<th title="{_e(n)}">{_e(k)}</th>' for k, n in zip(matrix.licenses, matrix.names))
    out = ['<div class="mt-compare">', '<table class="mt-matrix mt-summary"><thead><tr><th>overview</th>' + head
           + "</tr></thead><tbody>"]
    for col, values in matrix.summary:
        out.append(f"<tr><th>{_e(col)}</th>" + "".join(f"<td>{_e(v)}</td>" for v in values) + "</tr>")
    out.append("</tbody></table>")
    out.append('<p class="mt-legend"><span class="mt-cannot">✗ cannot</span> <span class="mt-must">! must</span> '
               '<span class="mt-can">✓ can</span> <span class="mt-none">· not addressed</span></p>')
    out.append('<table class="mt-matrix mt-terms"><thead><tr><th>term</th>' + head + "</tr></thead><tbody>")
    for tid, name, atts in matrix.rows:
        cells = []
        for k, a in zip(matrix.licenses, atts):
            cid = matrix.evidence.get(k, {}).get(tid)
            cells.append(f'<td class="{_ATTITUDE_CLASS[a]}" title="{_e(cid or "")}">{SYMBOL[a]} {_e(a)}</td>')
        out.append(f'<tr><th title="{_e(tid)}">{_e(name)}</th>' + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


_WD = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def _word_diff_html(old: str, new: str) -> str:
    from agent.compare import word_diff

    escaped = _e(word_diff(old, new))
    return _WD.sub(lambda m: f"<del>{m.group(1)}</del>" if m.group(1) is not None else f"<ins>{m.group(2)}</ins>",
                   escaped)


def diff_html(svc: Services, old: str | None, new: str | None, limit: int = 200) -> str:
    """Clause-level changes from OLD to NEW, and the terms whose attitude changed."""
    from agent.compare import diff
    from retrieval.indexer import clauses_for

    old, new = (old or "").strip(), (new or "").strip()
    if not old or not new:
        raise ModeltermsError("pick the old and the new version")
    if old == new:
        raise ModeltermsError("pick two different texts")
    with svc.lock.read():
        corpus, profiler = svc.corpus, svc.checker.profiler
        for k in (old, new):
            if not corpus.exists(k):
                raise ModeltermsError(corpus.unknown_key_message(k))
        ea, eb = corpus.get(old), corpus.get(new)
        names = tuple(n for n in (ea.name, eb.name, ea.version, eb.version) if n)
        d = diff(old, clauses_for(ea, svc.settings), new, clauses_for(eb, svc.settings), profiler.profile(old),
                 profiler.profile(new), names=names)
    js = d.as_json()
    out = ['<div class="mt-diff">',
           f'<p><b>{_e(old)} → {_e(new)}</b>: {js["changed"]} changed, {js["added"]} added, {js["removed"]} removed, '
           f'{js["unchanged"]} unchanged clauses</p>']
    if d.terms:
        out.append('<table class="mt-matrix"><thead><tr><th>term whose attitude changed</th><th>old</th><th>new</th>'
                   "</tr></thead><tbody>")
        for t in d.terms:
            out.append(f"<tr><th>{_e(t['name'])}</th><td class=\"{_ATTITUDE_CLASS.get(t['old'], '')}\">{_e(t['old'])}</td>"
                       f"<td class=\"{_ATTITUDE_CLASS.get(t['new'], '')}\">{_e(t['new'])}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>No term changed its attitude.</p>")
    for c in d.changes[:limit]:
        if c.kind == "changed":
            out.append(f'<div class="mt-change mt-changed"><code>~ {_e(c.old_id)} → {_e(c.new_id)}</code>'
                       f"<p>{_word_diff_html(c.old_text, c.new_text)}</p></div>")
        elif c.kind == "added":
            out.append(f'<div class="mt-change mt-added"><code>+ {_e(c.new_id)}</code><p><ins>{_e(_short(c.new_text, 600))}'
                       "</ins></p></div>")
        else:
            out.append(f'<div class="mt-change mt-removed"><code>- {_e(c.old_id)}</code><p><del>{_e(_short(c.old_text, 600))}'
                       "</del></p></div>")
    if len(d.changes) > limit:
        out.append(f"<p>… and {len(d.changes) - limit} more changes (`modelterms diff {_e(old)} {_e(new)}` lists all).</p>")
    out.append("</div>")
    return "".join(out)


# --- Draft ------------------------------------------------------------------------------------

DRAFT_FIELDS = ("licensor", "name", "family", "artifacts", "restrictions", "custom_restrictions", "noncommercial",
                "user_threshold", "revenue_threshold", "attribution_notice", "naming_prefix", "hosted_is_distribution",
                "output_ownership", "output_training_ban", "guardrail_termination", "jurisdiction", "policy_url",
                "open_source", "base_model")


def spec_from_form(values: dict):
    """A DraftSpec from the form; empty fields and unticked boxes say nothing (the family defaults apply)."""
    from agent.draft import DraftSpec

    data = {}
    for k in DRAFT_FIELDS:
        v = values.get(k)
        if isinstance(v, str):
            v = v.strip()
        if k == "custom_restrictions" and isinstance(v, str):
            v = [x.strip(" -•\t") for x in v.splitlines() if x.strip(" -•\t")]
        if v in (None, "", [], False):
            continue
        data[k] = v
    if not data.get("licensor"):
        raise ModeltermsError("licensor: who grants the license? (a person or organisation)")
    spec = DraftSpec.from_mapping(data)
    return spec


def _draft(svc: Services, values: dict, provenance: bool):
    spec = spec_from_form(values)
    with svc.lock.read():
        d = svc.drafter.draft(spec, provenance=provenance)
        if provenance and (d.spec.upstream or d.spec.base_model):
            from agent.draft_upstream import check_upstream

            d.upstream = check_upstream(d.spec, svc.settings, svc.corpus, svc.checker.profiler)
    return d


def _warnings_html(d) -> str:
    items = [f'<li class="mt-warn"><b>{_e(w.field)}</b>: {_e(w.message)}</li>' for w in d.warnings]
    up = getattr(d, "upstream", None)
    if up is not None:
        items += [f'<li class="mt-warn"><b>upstream</b>: {_e(f.message)}</li>' for f in up.violations]
        items += [f'<li class="mt-warn"><b>upstream</b>: missing text — {_e(m)}</li>' for m in up.missing]
    if any(c for c in d.spec.custom_restrictions):
        items.append('<li class="mt-review">custom restrictions are marked for legal review in the text</li>')
    if not items:
        return '<div class="mt-warnings mt-ok">No consistency warnings.</div>'
    return '<div class="mt-warnings"><b>Warnings</b><ul>' + "".join(items) + "</ul></div>"


def _notes_for_display(notes: str) -> str:
    # The page says once, at the top, that this is not legal advice; the downloaded notes keep their line.
    return "\n".join(ln for ln in notes.splitlines() if "not legal advice" not in ln)


def draft_preview(svc: Services, values: dict):
    """(markdown preview, warnings html) as the form changes; a form error is shown in place of the warnings."""
    try:
        d = _draft(svc, values, provenance=False)
    except ModeltermsError as e:
        return gr_skip(), f'<div class="mt-warnings"><b>Cannot draft yet</b>: {_e(e)}</div>'
    return d.markdown, _warnings_html(d)


def draft_files(svc: Services, values: dict):
    """The full draft (with provenance and upstream check) written for download:
    (preview, notes, warnings, LICENSE.md, LICENSE.txt, license-spec.json paths)."""
    from agent.draft import notes_markdown

    d = _draft(svc, values, provenance=True)
    notes = notes_markdown(d)
    out = ui_dir(svc.settings) / "drafts" / uuid.uuid4().hex[:16]
    out.mkdir(parents=True, exist_ok=True)
    files = {"LICENSE.md": d.markdown, "LICENSE.txt": d.text, "DRAFTING-NOTES.md": notes,
             "license-spec.json": json.dumps(d.saved_spec(), indent=2, ensure_ascii=False) + "\n"}
    for name, content in files.items():
        atomic_write(out / name, content)
    return (d.markdown, _notes_for_display(notes), _warnings_html(d), str(out / "LICENSE.md"), str(out / "LICENSE.txt"),
            str(out / "license-spec.json"))


def gr_skip():
    import gradio as gr

    return gr.skip()


# --- Corpus -----------------------------------------------------------------------------------

CORPUS_COLUMNS = ["key", "name", "kind", "characters", "indexed clauses"]
_KEY_CHARS = re.compile(r"[^a-z0-9._+-]+")


def corpus_rows(svc: Services):
    from retrieval.indexer import open_manifest

    corpus = svc.corpus
    try:
        m = open_manifest(svc.settings, create=False)
        try:
            indexed = {row["key"]: row["n_clauses"] for row in m.licenses()}
        finally:
            m.close()
    except ModeltermsError:
        indexed = {}
    rows = []
    for k in corpus.user_keys():
        e = corpus.user.get(k)
        if e is not None:
            rows.append([k, e.name, e.kind, len(e.text), indexed.get(k, 0)])
    return _rows_to_df(rows, CORPUS_COLUMNS)


def corpus_add(svc: Services, upload, key: str | None = None, name: str | None = None, kind: str | None = None):
    """Stores an uploaded text as one of the user's texts and indexes it: (status, table)."""
    from corpus.catalog import Corpus
    from retrieval.indexer import run_index
    from retrieval.store import ClauseStore

    path, _ = read_upload(svc, upload)
    key = (key or "").strip() or None
    if key is None:
        stem = _KEY_CHARS.sub("-", path.stem.lower()).strip("-._")
        key = stem if len(stem) >= 2 else None
    kind = kind if kind in ("license", "aup") else None
    with svc.lock.write():
        corpus = Corpus(svc.settings)
        store = ClauseStore(svc.settings)  # reach the store before writing anything
        entry, status = corpus.add_user_text(path, key=key, name=(name or "").strip() or None, kind=kind)
        try:
            report = run_index(svc.settings, corpus, only=[entry.key], store=store)
        finally:
            svc.invalidate()
    n = report.clauses_embedded
    msg = f"{status} `{entry.key}` ({entry.kind}, {len(entry.text):,} characters): {entry.name}. " + (
        f"Indexed {n} clauses." if n else "Already indexed.")
    return msg, corpus_rows(svc)


def corpus_remove(svc: Services, key: str | None):
    from corpus.catalog import Corpus
    from retrieval.indexer import remove_from_index

    key = (key or "").strip()
    if not key:
        raise ModeltermsError("pick one of your texts to remove")
    with svc.lock.write():
        corpus = Corpus(svc.settings)
        if key not in corpus.user_keys():
            corpus.remove_user_text(key)  # the right error: built-in or unknown
        try:
            remove_from_index(svc.settings, key)
            corpus.remove_user_text(key)
        finally:
            svc.invalidate()
    return f"removed `{key}`", corpus_rows(svc)


# --- Evals ------------------------------------------------------------------------------------

def reports_dir(settings: Settings) -> Path:
    return settings.home / "reports"


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise ModeltermsError(f"{path.name}: unreadable report ({type(e).__name__})")


def confusion_html(report: dict) -> str:
    conf = report.get("confusion") or {}
    top = max([v for row in conf.values() for v in row.values()] + [1])
    out = ['<table class="mt-matrix mt-confusion"><thead><tr><th>gold ↓ / predicted →</th>'
           + "".join(f"<th>{_e(v)}</th>" for v in VERDICTS) + "</tr></thead><tbody>"]
    for g in VERDICTS:
        cells = []
        for p in VERDICTS:
            n = conf.get(g, {}).get(p, 0)
            alpha = 0.1 + 0.8 * n / top if n else 0.0
            hue = "34,139,34" if g == p else ("200,30,30" if (g == "prohibited" and p == "allowed") else "230,140,0")
            cells.append(f'<td style="background: rgba({hue},{alpha:.2f})">{n}</td>')
        out.append(f"<tr><th>{_e(g)}</th>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def usecase_views(report: dict | None):
    """(summary markdown, confusion html, per-term F1 frame) of a use-case report."""
    if not report:
        return ("No use-case report yet: run it here or with `modelterms eval`.", "", _rows_to_df([], ["term", "f1"]))
    md = (f"**Use-case eval**: {report['questions']} questions over {report['licenses']} licenses — "
          f"verdict accuracy **{report['accuracy']:.3f}**, dangerous misses **{len(report['dangerous_misses'])}**, "
          f"citation accuracy {report['citation_accuracy']:.3f}, term macro-F1 {report['macro_term_f1']:.3f}, "
          f"quote failures {len(report['quote_failures'])}, errors {len(report['errors'])}, "
          f"{report['wall_s']:.1f} s")
    rows = sorted(([t, v["f1"]] for t, v in (report.get("per_term") or {}).items()), key=lambda r: r[1])
    return md, confusion_html(report), _rows_to_df(rows, ["term", "f1"])


def retrieval_views(report: dict | None):
    if not report:
        return "No retrieval report yet: run it here.", _rows_to_df([], ["mode", "recall@k"])
    k = report.get("k", 5)
    rows = [[mode, m["recall@k"]] for mode, m in report["modes"].items()]
    md = f"**Retrieval eval**: {report['queries']} queries; " + ", ".join(
        f"{mode}: recall@{k} {m['recall@k']:.3f}, MRR {m['mrr']:.3f}" for mode, m in report["modes"].items())
    return md, _rows_to_df(rows, ["mode", "recall@k"])


def open_reports(svc: Services):
    uc = _read_json(reports_dir(svc.settings) / "usecases.json")
    rt = _read_json(reports_dir(svc.settings) / "retrieval.json")
    return (*usecase_views(uc), *retrieval_views(rt))


def run_usecase_eval(svc: Services, progress=None, limit: int | None = None):
    from evals.data import usecases
    from evals.usecase_eval import evaluate, write_report

    cases = usecases()[:limit] if limit else None
    with svc.lock.read():
        checker = svc.checker

        def answer(case: dict) -> dict:
            return checker.check(case["use"], license=case.get("license"), model=case.get("model"),
                                 card=case.get("card")).as_json()

        answer.corpus = checker.corpus  # type: ignore[attr-defined]
        report = evaluate(svc.settings, answer=answer, cases=cases,
                          progress=(lambda i, n: progress((i, n), desc="use cases")) if progress else None)
    write_report(report, reports_dir(svc.settings) / "usecases.json")
    return usecase_views(report)


def run_retrieval_eval(svc: Services):
    from evals.retrieval import evaluate
    from evals.usecase_eval import write_report

    with svc.lock.read():
        searcher = svc.searcher
        if searcher is None:
            raise ModeltermsError(svc._searcher_error or "no index: run `modelterms index` first")
        report = evaluate(svc.settings, searcher=searcher)
    write_report(report, reports_dir(svc.settings) / "retrieval.json")
    return retrieval_views(report)


# --- the app ------------------------------------------------------------------------------------

CSS = """
.mt-disclaimer {font-size: 0.95em; opacity: 0.85}
.mt-badge {display:inline-block; padding: 0.25em 0.8em; border-radius: 1em; font-weight: 700; letter-spacing: 0.05em; color: #fff; background: #666}
.mt-prohibited {background: #c62828} .mt-conditional {background: #ef8f00} .mt-allowed {background: #2e7d32}
.mt-unclear {background: #6a1b9a} .mt-info {background: #546e7a}
.mt-cite {border: 1px solid #8884; border-radius: 6px; padding: 0.3em 0.6em; margin: 0.3em 0}
.mt-cite summary {cursor: pointer}
.mt-effect {opacity: 0.7; font-size: 0.9em}
.mt-context {white-space: pre-wrap; font-size: 0.9em; max-height: 22em; overflow: auto}
.mt-around {opacity: 0.6}
.mt-clause {background: #fff59d55; display: inline}
.mt-muted {opacity: 0.7}
.mt-matrix {border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em}
.mt-matrix th, .mt-matrix td {border: 1px solid #8885; padding: 0.25em 0.5em; text-align: left}
td.mt-cannot, span.mt-cannot {background: #ef9a9a; color: #000} td.mt-must, span.mt-must {background: #ffe082; color: #000}
td.mt-can, span.mt-can {background: #a5d6a7; color: #000} td.mt-none, span.mt-none {background: #eeeeee; color: #555}
.mt-legend span {padding: 0.1em 0.5em; border-radius: 4px}
.mt-change {margin: 0.4em 0} .mt-change p {margin: 0.2em 0 0 1em}
.mt-diff del {background: #ef9a9a; color: #000} .mt-diff ins {background: #a5d6a7; color: #000; text-decoration: none}
.mt-warnings {border-left: 4px solid #ef8f00; padding: 0.3em 0.8em} .mt-warnings.mt-ok {border-color: #2e7d32}
"""


def _guard(fn):
    """A handler whose failures become one-line messages in the page (gr.Error), never tracebacks."""
    import inspect

    import gradio as gr

    def message(e: BaseException) -> gr.Error:
        if isinstance(e, gr.Error):
            return e
        if isinstance(e, ModeltermsError):
            return gr.Error(str(e), print_exception=False)
        log.exception("handler %s failed", getattr(fn, "__name__", fn))
        return gr.Error(f"something went wrong ({type(e).__name__}); the server log has the details",
                        print_exception=False)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except Exception as e:
                raise message(e) from None
        return gen

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise message(e) from None
    return call


def prepare_gradio_env(settings: Settings) -> Path:
    """Gradio's upload and cache folders inside the data dir, and no telemetry. Called before any component
    is made (Gradio reads these when components and the server are created)."""
    root = ui_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(root.resolve())
    os.environ["GRADIO_EXAMPLES_CACHE"] = str((root / "cached_examples").resolve())
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    return root


def build_app(svc: Services):
    """The Blocks app. Call `svc.warm()` first to load the models before the first request."""
    prepare_gradio_env(svc.settings)
    import gradio as gr

    from agent.draft import ARTIFACTS, FAMILIES, OUTPUT_OWNERSHIP, PRESETS, restriction_ids

    licenses = svc.license_choices()
    user_keys = svc.corpus.user_keys()

    def session_of(request: gr.Request | None) -> str:
        return getattr(request, "session_hash", None) or "default"

    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 24 * 3600)) as demo:
        gr.Markdown(f"# {TITLE}\n<span class='mt-disclaimer' id='mt-disclaimer'>{DISCLAIMER}</span>")
        with gr.Tabs():
            # --- Chat
            with gr.Tab("Chat", id="chat"):
                badge = gr.HTML(verdict_badge(None, "ask a question"), elem_id="chat-verdict")
                chatbot = gr.Chatbot(label="modelterms", height=380, elem_id="chat-log", buttons=["copy"])
                with gr.Row():
                    question = gr.Textbox(placeholder="Can we put Gemma 2 behind our support bot in Germany?",
                                          show_label=False, scale=6, elem_id="chat-input", max_lines=6)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="chat-ask")
                    clear_btn = gr.Button("New conversation", scale=1, elem_id="chat-clear")
                cites = gr.HTML("", elem_id="chat-citations")

                def on_ask(message, history, request: gr.Request):
                    yield from chat_stream(svc, session_of(request), message, history)

                def on_clear(request: gr.Request):
                    return chat_reset(svc, session_of(request))

                chat_out = [chatbot, badge, cites, question]
                ask_btn.click(_guard(on_ask), [question, chatbot], chat_out, api_name="ask", concurrency_id="grounded")
                question.submit(_guard(on_ask), [question, chatbot], chat_out, api_visibility="private",
                                concurrency_id="grounded")
                clear_btn.click(_guard(on_clear), None, chat_out, api_name="chat_reset", queue=False)

            # --- Check
            with gr.Tab("Check", id="check"):
                with gr.Row():
                    with gr.Column(scale=2):
                        target = gr.Radio(["model", "license", "upload"], value="model", label="What to check",
                                          elem_id="check-target")
                        model = gr.Dropdown(model_choices(), value=None, allow_custom_value=True, filterable=True,
                                            label="Model (search the registry or type a Hugging Face id or name)",
                                            elem_id="check-model")
                        lic = gr.Dropdown(licenses, value=None, allow_custom_value=True, filterable=True,
                                          label="License", visible=False, elem_id="check-license")
                        card = gr.File(label="Model card or license file (.md .txt .html .pdf, ≤ "
                                       f"{svc.settings.max_file_bytes // 1_000_000} MB)", file_types=UPLOAD_TYPES,
                                       visible=False, elem_id="check-upload")
                        use = gr.Textbox(label="The use", lines=3, elem_id="check-use",
                                         placeholder="a customer-support bot in our app with 2M monthly users")
                        check_btn = gr.Button("Check", variant="primary", elem_id="check-run")
                    with gr.Column(scale=3):
                        check_badge = gr.HTML("", elem_id="check-verdict")
                        check_md = gr.Markdown("", elem_id="check-summary")
                findings = gr.Dataframe(headers=FINDING_COLUMNS, label="Findings", wrap=True, interactive=False,
                                        column_widths=["8%", "13%", "17%", "11%", "7%", "26%", "18%"],
                                        elem_id="check-findings")
                check_cites = gr.HTML("", elem_id="check-citations")
                target.change(lambda t: (gr.Dropdown(visible=t == "model"), gr.Dropdown(visible=t == "license"),
                                         gr.File(visible=t == "upload")), target, [model, lic, card], queue=False,
                              api_visibility="private")
                check_btn.click(_guard(lambda t, m, k, f, u: run_check(svc, t, m, k, f, u)),
                                [target, model, lic, card, use], [check_badge, check_md, findings, check_cites],
                                api_name="check", concurrency_id="grounded")

            # --- Explain
            with gr.Tab("Explain", id="explain"):
                with gr.Row():
                    ex_key = gr.Dropdown(licenses, value=None, allow_custom_value=True, filterable=True,
                                         label="License", scale=3, elem_id="explain-license")
                    ex_file = gr.File(label="…or upload a license file", file_types=UPLOAD_TYPES, scale=2,
                                      elem_id="explain-upload")
                ex_btn = gr.Button("Explain", variant="primary", elem_id="explain-run")
                ex_head = gr.Markdown("", elem_id="explain-head")
                ex_table = gr.Dataframe(headers=PROFILE_COLUMNS, label="Terms", wrap=True, interactive=False,
                                        column_widths=["9%", "17%", "7%", "12%", "20%", "35%"], max_height=720,
                                        elem_id="explain-table")
                ex_refs = gr.Markdown("", elem_id="explain-refs")
                ex_btn.click(_guard(lambda k, f: explain(svc, k, f)), [ex_key, ex_file], [ex_head, ex_table, ex_refs],
                             api_name="explain", concurrency_id="grounded")

            # --- Compare
            with gr.Tab("Compare", id="compare"):
                cmp_keys = gr.Dropdown(licenses, multiselect=True, max_choices=MAX_COMPARE, filterable=True,
                                       label=f"Licenses to compare (2–{MAX_COMPARE})", elem_id="compare-licenses")
                cmp_btn = gr.Button("Compare", variant="primary", elem_id="compare-run")
                cmp_out = gr.HTML("", elem_id="compare-matrix")
                cmp_btn.click(_guard(lambda ks: compare_html(svc, ks)), cmp_keys, cmp_out, api_name="compare",
                              concurrency_id="grounded")
                gr.Markdown("### Version diff")
                with gr.Row():
                    d_old = gr.Dropdown(licenses, value=None, allow_custom_value=True, filterable=True, label="Old",
                                        elem_id="diff-old")
                    d_new = gr.Dropdown(licenses, value=None, allow_custom_value=True, filterable=True, label="New",
                                        elem_id="diff-new")
                diff_btn = gr.Button("Diff", elem_id="diff-run")
                diff_out = gr.HTML("", elem_id="diff-out")
                diff_btn.click(_guard(lambda a, b: diff_html(svc, a, b)), [d_old, d_new], diff_out, api_name="diff",
                               concurrency_id="grounded")

            # --- Draft
            with gr.Tab("Draft", id="draft"):
                with gr.Row():
                    with gr.Column(scale=2):
                        f_licensor = gr.Textbox(label="Licensor", elem_id="draft-licensor")
                        f_name = gr.Textbox(label="License name (optional)", elem_id="draft-name")
                        f_family = gr.Radio(list(FAMILIES), value="open-rail", label="Family", elem_id="draft-family")
                        f_artifacts = gr.CheckboxGroup(list(ARTIFACTS), value=["model"], label="Artifacts",
                                                       elem_id="draft-artifacts")
                        f_restr = gr.Dropdown(list(PRESETS) + ["all"] + restriction_ids(), value=["core"],
                                              multiselect=True, label="Use restrictions (presets or taxonomy ids)",
                                              elem_id="draft-restrictions")
                        f_custom = gr.Textbox(label="Custom restrictions, one per line", lines=2,
                                              elem_id="draft-custom")
                        with gr.Row():
                            f_nc = gr.Checkbox(label="Non-commercial only", elem_id="draft-noncommercial")
                            f_hosted = gr.Checkbox(label="Hosting counts as distribution")
                            f_otb = gr.Checkbox(label="No training on outputs")
                        with gr.Row():
                            f_guard = gr.Checkbox(label="Terminate on guardrail bypass")
                            f_os = gr.Checkbox(label="We call it open source")
                        with gr.Row():
                            f_users = gr.Textbox(label="Monthly-user threshold (e.g. 700M)")
                            f_revenue = gr.Textbox(label="Revenue threshold US$ (e.g. 1M)")
                        with gr.Row():
                            f_notice = gr.Textbox(label="Attribution notice")
                            f_naming = gr.Textbox(label="Name prefix for derivatives")
                        f_outputs = gr.Radio(list(OUTPUT_OWNERSHIP), value="unspecified", label="Outputs belong to")
                        with gr.Row():
                            f_juris = gr.Textbox(label="Governing law")
                            f_policy = gr.Textbox(label="Use-policy URL")
                        f_base = gr.Textbox(label="Base model (checked against its license)", elem_id="draft-base")
                        draft_btn = gr.Button("Draft and prepare downloads", variant="primary", elem_id="draft-run")
                        with gr.Row():
                            dl_md = gr.DownloadButton("Download .md", value=None, elem_id="draft-dl-md")
                            dl_txt = gr.DownloadButton("Download .txt", value=None, elem_id="draft-dl-txt")
                            dl_json = gr.DownloadButton("Download spec .json", value=None, elem_id="draft-dl-json")
                        d_ready = gr.Markdown("", elem_id="draft-ready")
                    with gr.Column(scale=3):
                        d_warn = gr.HTML("", elem_id="draft-warnings")
                        d_prev = gr.Markdown("*Fill in the licensor to see the draft.*", elem_id="draft-preview",
                                             height=640)
                        with gr.Accordion("Drafting notes", open=False):
                            d_notes = gr.Markdown("", elem_id="draft-notes")
                form = [f_licensor, f_name, f_family, f_artifacts, f_restr, f_custom, f_nc, f_users, f_revenue,
                        f_notice, f_naming, f_hosted, f_outputs, f_otb, f_guard, f_juris, f_policy, f_os, f_base]
                order = ("licensor", "name", "family", "artifacts", "restrictions", "custom_restrictions",
                         "noncommercial", "user_threshold", "revenue_threshold", "attribution_notice", "naming_prefix",
                         "hosted_is_distribution", "output_ownership", "output_training_ban", "guardrail_termination",
                         "jurisdiction", "policy_url", "open_source", "base_model")

                def preview(*vals):
                    return draft_preview(svc, dict(zip(order, vals)))

                def build(*vals):
                    md, notes, warn, p_md, p_txt, p_json = draft_files(svc, dict(zip(order, vals)))
                    ready = f"Ready to download: `{Path(p_md).name}`, `{Path(p_txt).name}`, `{Path(p_json).name}`."
                    return md, notes, warn, p_md, p_txt, p_json, ready

                for comp in form:
                    comp.change(_guard(preview), form, [d_prev, d_warn], trigger_mode="always_last", show_progress="hidden",
                        api_visibility="private", concurrency_id="draft-preview", concurrency_limit=2)
                draft_btn.click(_guard(build), form, [d_prev, d_notes, d_warn, dl_md, dl_txt, dl_json, d_ready],
                                api_name="draft", concurrency_id="grounded")

            # --- Corpus
            with gr.Tab("Corpus", id="corpus"):
                gr.Markdown("Add a license or use policy of your own (.txt, .md, .html, .pdf up to "
                            f"{svc.settings.max_file_bytes // 1_000_000} MB). It is stored in the data dir, indexed "
                            "at once and used by every tab.")
                with gr.Row():
                    c_file = gr.File(label="License or policy file", file_types=UPLOAD_TYPES, elem_id="corpus-upload")
                    with gr.Column():
                        c_key = gr.Textbox(label="Key (default: from the file name)", elem_id="corpus-key")
                        c_name = gr.Textbox(label="Name (default: the text's first line)")
                        c_kind = gr.Radio(["guess", "license", "aup"], value="guess", label="Kind")
                c_add = gr.Button("Add to the corpus", variant="primary", elem_id="corpus-add")
                c_status = gr.Markdown("", elem_id="corpus-status")
                c_table = gr.Dataframe(headers=CORPUS_COLUMNS, label="Your texts", interactive=False,
                                       elem_id="corpus-table")
                with gr.Row():
                    c_remove_key = gr.Dropdown(user_keys, value=None, label="Remove one of your texts",
                                               elem_id="corpus-remove-key")
                    c_remove = gr.Button("Remove", variant="stop", elem_id="corpus-remove")
                pickers = [lic, ex_key, cmp_keys, d_old, d_new]

                def refreshed(status, table):
                    choices = svc.license_choices()
                    return (status, table, gr.Dropdown(choices=svc.corpus.user_keys(), value=None),
                            *[gr.Dropdown(choices=choices) for _ in pickers])

                c_add.click(_guard(lambda f, k, n, kd: refreshed(*corpus_add(svc, f, k, n, kd))),
                            [c_file, c_key, c_name, c_kind], [c_status, c_table, c_remove_key, *pickers],
                            api_name="corpus_add", concurrency_id="corpus", concurrency_limit=1)
                c_remove.click(_guard(lambda k: refreshed(*corpus_remove(svc, k))), c_remove_key,
                               [c_status, c_table, c_remove_key, *pickers], api_name="corpus_remove",
                               concurrency_id="corpus", concurrency_limit=1)

            # --- Evals
            with gr.Tab("Evals", id="evals"):
                gr.Markdown("Open the last saved reports, or run an evaluation here (the use-case set takes minutes; "
                            "`modelterms eval` writes the same report).")
                with gr.Row():
                    e_open = gr.Button("Open last reports", elem_id="evals-open")
                    e_run_uc = gr.Button("Run use-case eval", elem_id="evals-run-usecases")
                    e_run_rt = gr.Button("Run retrieval eval", elem_id="evals-run-retrieval")
                e_uc_md = gr.Markdown("", elem_id="evals-usecases")
                with gr.Row():
                    e_conf = gr.HTML("", elem_id="evals-confusion")
                    e_f1 = gr.BarPlot(None, x="term", y="f1", title="Per-term F1", y_lim=[0, 1], sort="y",
                                      x_label_angle=-45, height=360, elem_id="evals-f1")
                e_rt_md = gr.Markdown("", elem_id="evals-retrieval")
                e_rt = gr.BarPlot(None, x="mode", y="recall@k", title="Retrieval recall@k", y_lim=[0, 1], height=260,
                                  elem_id="evals-recall")

                def run_uc(progress=gr.Progress()):
                    return run_usecase_eval(svc, progress=progress)

                e_open.click(_guard(lambda: open_reports(svc)), None, [e_uc_md, e_conf, e_f1, e_rt_md, e_rt],
                             api_name="open_reports", concurrency_id="grounded")
                e_run_uc.click(_guard(run_uc), None, [e_uc_md, e_conf, e_f1], api_name="run_usecase_eval",
                               concurrency_id="eval", concurrency_limit=1)
                e_run_rt.click(_guard(lambda: run_retrieval_eval(svc)), None, [e_rt_md, e_rt],
                               api_name="run_retrieval_eval", concurrency_id="eval", concurrency_limit=1)

        demo.load(_guard(lambda: (corpus_rows(svc), gr.Dropdown(choices=svc.corpus.user_keys(), value=None))), None,
                  [c_table, c_remove_key], api_visibility="private", queue=False)
    return demo


def theme():
    import gradio as gr

    # System fonts: the default theme would ask a web font service, which an offline machine cannot reach.
    return gr.themes.Default(font=["system-ui", "-apple-system", "Segoe UI", "sans-serif"],
                             font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"])


class ServeOnly:
    """ASGI middleware: `/file=` requests are answered only for files under the UI's data folder (uploads,
    drafts): nothing else on the machine, and no URL fetched on a client's behalf."""

    def __init__(self, app, root: str):
        self.app = app
        self.root = Path(root).resolve()

    async def __call__(self, scope, receive, send):
        if scope.get("type") == "http" and "/file=" in scope.get("path", ""):
            target = scope["path"].split("/file=", 1)[1]
            ok = False
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                try:
                    p = Path(target).resolve()
                    ok = p == self.root or self.root in p.parents
                except (OSError, ValueError):
                    ok = False
            if not ok:
                await send({"type": "http.response.start", "status": 403,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b"File not allowed."})
                return
        await self.app(scope, receive, send)


def launch(svc: Services, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           concurrency: int = 2, block: bool = True, quiet: bool = False):
    """Builds and serves the app. Returns (demo, url); with block=True it serves until interrupted."""
    from starlette.middleware import Middleware

    root = prepare_gradio_env(svc.settings)
    demo = build_app(svc)
    # Grounded work shares `concurrency` workers; a corpus change or an eval runs one at a time; up to
    # 256 requests wait in the queue (20 users asking at once each get their turn, none is refused).
    demo.queue(default_concurrency_limit=concurrency, max_size=256)
    t0 = time.perf_counter()
    _, url, _ = demo.launch(
        server_name=host, server_port=port, auth=auth, share=False, show_error=False, quiet=quiet,
        max_file_size=svc.settings.max_file_bytes, prevent_thread_lock=True, ssr_mode=False, inbrowser=False,
        app_kwargs={"middleware": [Middleware(ServeOnly, root=str(root))]}, theme=theme(), css=CSS,
        footer_links=["api"], mcp_server=False, pwa=False, run_history=False, auth_message="modelterms: sign in")
    log.info("UI up in %.1f s at %s", time.perf_counter() - t0, url)
    if block:
        try:
            demo.block_thread()
        finally:
            demo.close()
    return demo, url
