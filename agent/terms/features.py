"""Per-clause features for term detection: lexical pattern hits, similarity to each term's
exemplars, the clause's own embedding, and the context it sits in (a restriction list, a duty,
a grant, a definition).

The context matters as much as the words: "(c) military use" means nothing alone; under
"You agree not to use the Model:" it is a prohibition.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np

from corpus.entry import LicenseEntry
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy
from retrieval.clauses import Clause
from retrieval.embed import Embedder, load_embedder
from retrieval.indexer import clauses_for, embedding_text, index_hash
from retrieval.vector_cache import CachedEmbed, IndexSnapshot

from .cues import DEFINITION, DUTY, GRANT, PROHIBITIVE

CONTEXT_FLAGS = ("restrictive", "duty", "grant", "definition", "aup", "heading")
_LABEL = re.compile(r"^(?:(?:section|article|attachment|exhibit|appendix|schedule)\s+)?"
                    r"(?:(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.):]\s+|\d+(?:\.\d+)*\s+)?", re.I)
_ITEM = re.compile(r"^\s*(?:[-*•·–—▪○◦●■]|\(\w{1,4}\))")


# A license file that carries its use policy after the agreement ("Meta Llama 3 Acceptable Use Policy" and
# then "Prohibited Uses"): from that title on, the clauses are the policy's, read as a policy's list is.
_POLICY_TITLE = re.compile(r"^\W*(?:[\w.’'-]+ ){0,6}(?:acceptable use|prohibited use|usage|use) policy\W*$", re.I)
_POLICY_BODY = re.compile(r"\bprohibited uses?\b|you agree (?:that )?(?:you will not|not to) use|not use,? or allow others to "
                          r"use|agree to (?:comply with )?this (?:acceptable use |usage |use )?policy", re.I)
# a bare label line above the title ("EXHIBIT A" then "ACCEPTABLE USE POLICY"): the policy is an exhibit of the licence
_EXHIBIT_LABEL = re.compile(r"^\W*(?:exhibit|attachment|appendix|schedule|annex|addendum)\s+[\w.]{1,4}\W*$", re.I)


def policy_section_start(clauses: list[Clause]) -> int | None:
    """The index of the clause where a use policy carried inside a license's own text begins, if any: a title
    line naming a use policy (alone or as the clause's first line), followed within three clauses by a
    policy's own words. A clause that only points to a policy ("comply with the Acceptable Use Policy at …")
    has no such title line."""
    for i, c in enumerate(clauses):
        lines = c.text.strip().split("\n")
        first = lines[0].strip(" *_#")
        if _EXHIBIT_LABEL.match(first) and len(lines) > 1:
            first = lines[1].strip(" *_#")
        if len(first) <= 80 and _POLICY_TITLE.match(first) and any(
                _POLICY_BODY.search(x.text) for x in clauses[i:i + 4]):
            return i
    return None


def is_heading(text: str) -> bool:
    """A title line ("Limitation of Liability.", "RESEARCH & NON-COMMERCIAL USE LICENSE"): it names a
    subject but states no term, so it is never evidence. A short list item ("(c) military use;") is not one."""
    if _ITEM.match(text):
        return False
    body = _LABEL.sub("", text.strip().strip("*_# "), count=1).strip(" *_#")
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", body)
    if not words or len(words) > 10 or body.endswith((";", ",", ":")) or "\n" in body.strip():
        return False
    long_words = [w for w in words if len(w) > 3] or words
    return sum(w[0].isupper() for w in long_words) / len(long_words) >= 0.6


@dataclass
class ClauseFeatures:
    clause: Clause
    context: str  # lead-in and ancestors' text
    hits: np.ndarray  # bool per term (pattern matched the clause)
    sims: np.ndarray  # max cosine to the term's exemplars
    vector: np.ndarray  # the clause embedding
    flags: dict[str, bool]

    def flag_vector(self) -> np.ndarray:
        return np.array([float(self.flags[f]) for f in CONTEXT_FLAGS], dtype=np.float32)


def term_ids() -> list[str]:
    return list(load_taxonomy())


@lru_cache(maxsize=4)
def exemplar_matrix(embedding_spec: str, cache_path: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, term index per row) for every exemplar phrase of every term. With `cache_path` the
    vectors are kept on disk, so a fresh process does not re-embed the taxonomy (seconds on a CPU)."""
    terms = load_taxonomy()
    rows, owner = [], []
    for i, t in enumerate(terms.values()):
        for phrase in t.examples or (t.description,):
            rows.append(phrase)
            owner.append(i)
    embed = load_embedder(embedding_spec).embed
    if cache_path:
        embed = CachedEmbed(embed, Path(cache_path))
    return np.asarray(embed(rows)), np.array(owner)


def term_similarities(vectors: np.ndarray, embedding_spec: str, cache_path: str | None = None) -> np.ndarray:
    """(n, n_terms): for each vector, the max cosine to each term's exemplars."""
    ex, owner = exemplar_matrix(embedding_spec, cache_path)
    sims = vectors @ ex.T
    out = np.full((len(vectors), len(load_taxonomy())), -1.0, dtype=np.float32)
    for t in np.unique(owner):
        out[:, t] = sims[:, owner == t].max(axis=1)
    return out


def clause_vectors(entry: LicenseEntry, clauses: list[Clause], settings: Settings, store=None,
                   progress=None, embedder: Callable[[], Embedder] | None = None) -> np.ndarray:
    """Embeddings of the clauses: from the index when it has them (its snapshot of this text first, then the
    store; `store` may be a function that opens it, called only when the snapshot does not answer), computed
    otherwise (by `embedder()`, the caller's model, asked for only when something is missing; else the
    settings' model). `progress(done, total)` is called between batches (a long uploaded text shows how far
    it is, and may stop there by raising)."""
    ids, version = [c.id for c in clauses], index_hash(entry, settings)
    snapshot = IndexSnapshot(settings.index_dir, entry.key) if store is not None and clauses else None
    kept = snapshot.read(version) if snapshot is not None else None
    found: dict[str, np.ndarray] = dict(zip(ids, kept[1])) if kept and [c.id for c in kept[0]] == ids else {}
    if snapshot is not None and not found:
        try:
            opened = store() if callable(store) else store
            found = opened.vectors(ids, content_hash=version) if opened is not None else {}
        except Exception:  # the index is optional here: compute instead
            found = {}
        if len(found) == len(ids):  # only the store's whole answer is kept
            snapshot.write(clauses, np.stack([found[i] for i in ids]), version)
    todo = [c for c in clauses if c.id not in found]
    if todo:
        model = embedder() if embedder is not None else load_embedder(settings.embedding, settings.embed_batch_size)
        step = len(todo) if progress is None else max(32, settings.embed_batch_size)
        for i in range(0, len(todo), step):
            if progress is not None:
                progress(i, len(todo))
            part = todo[i:i + step]
            found.update({c.id: v for c, v in zip(part, model.embed([embedding_text(c) for c in part]))})
    return np.stack([found[c.id] for c in clauses]) if clauses else np.zeros((0, 384), dtype=np.float32)


def lead_ins(clauses: list[Clause]) -> list[str]:
    """For each clause, the text of its ancestors and of the lead-in that introduces its list."""
    by_path = {c.path: c for c in clauses}
    out = []
    for i, c in enumerate(clauses):
        parts = []
        path = c.path.split("~")[0]
        segs = path.split(".")
        for k in range(1, len(segs)):
            anc = by_path.get(".".join(segs[:k]))
            if anc is not None:
                parts.append(anc.text[:400])
        parent = ".".join(segs[:-1])
        # The nearest earlier clause ending in ':' that sits beside this clause or an ancestor.
        for j in range(i - 1, max(-1, i - 60), -1):
            q = clauses[j]
            qparent = ".".join(q.path.split("~")[0].split(".")[:-1])
            if q.text.rstrip(" *_").endswith(":") and (parent + ".").startswith(qparent + "." if qparent else ""):
                parts.append(q.text[-400:])
                break
        if c.section:
            parts.append(c.section)
        out.append("\n".join(parts))
    return out


def license_features(entry: LicenseEntry, settings: Settings, store=None,
                     clauses: list[Clause] | None = None, progress=None,
                     embedder: Callable[[], Embedder] | None = None) -> list[ClauseFeatures]:
    # the clauses and vectors the index holds for this version of the text, when its snapshot has them (the
    # same index hash means the same segmentation): no tokenizer to load, no store to open
    kept = IndexSnapshot(settings.index_dir, entry.key).read(index_hash(entry, settings)) \
        if clauses is None and store is not None else None
    if kept is not None:
        clauses, vectors = kept
    else:
        clauses = clauses if clauses is not None else clauses_for(entry, settings)
        if not clauses:
            return []
        vectors = clause_vectors(entry, clauses, settings, store, progress=progress, embedder=embedder)
    terms = list(load_taxonomy().values())
    sims = term_similarities(vectors, settings.embedding, str(settings.index_dir / "term-exemplar-vectors.npz"))
    contexts = lead_ins(clauses)
    policy_from = policy_section_start(clauses) if entry.kind != "aup" else 0
    feats = []
    for i, (c, ctx, vec, sim) in enumerate(zip(clauses, contexts, vectors, sims)):
        hits = np.array([t.matches_clause(c.text) for t in terms], dtype=bool)
        bans, ctx_bans = bool(PROHIBITIVE.search(c.text)), bool(PROHIBITIVE.search(ctx))
        flags = {
            "restrictive": bans or ctx_bans,
            "duty": bool(DUTY.search(c.text)),
            # an item of a grant's list ("a. reproduce and Share the Licensed Material") grants too
            "grant": bool(GRANT.search(c.text)) or (len(c.text) < 800 and not bans and not ctx_bans
                                                    and bool(GRANT.search(ctx))),
            "definition": bool(DEFINITION.match(c.text)) or ".def-" in f".{c.path}",
            "aup": policy_from is not None and i >= policy_from,
            "heading": is_heading(c.text),
        }
        feats.append(ClauseFeatures(c, ctx, hits, sim, vec, flags))
    return feats
