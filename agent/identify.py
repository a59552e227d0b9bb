"""License identification: which corpus license is this text?

Texts are normalised to word tokens (markup, list markers, quotes, dashes and line breaks
do not count), cut into overlapping word 5-gram shingles and hashed to 64 bits. An
inverted index (shingle hash -> licenses) over the whole LicenseDB picks candidates by
the number of shared shingles; each candidate is then scored on the query's positions:

- the *license region* of the query is the maximal run where the best candidates' shingles
  dominate (a max-sum segment), so a model-card preamble or a footer does not dilute it;
- `containment` = the share of the region's shingles found in the candidate: near-identical
  versions (Llama 3.1 / 3.2 / 3.3) differ here by their few distinguishing shingles;
- `coverage` = the share of the candidate's shingles found in the query, a tie-breaker that
  prefers the license that is contained whole over a longer one that also contains the text,
  and evidence for a truncated or embedded copy;
- `alignment` = the same question from the candidate's side: along the candidate's own text,
  the maximal run where the query's shingles dominate (so a truncated copy is judged on the
  part it kept), and the share of that run present in the query. Text that another version
  dropped shows here, where containment cannot see it.

score = containment x alignment x (1 - 0.1 x (best coverage - coverage)) x min(1, 2 x evidence),
in [0, 1], where best coverage is that of the best-covered candidate about as contained, and
evidence is the larger of the share of the query the candidate explains and its coverage
(discounted for licenses of a few words). A copy of a corpus text, however
reformatted, scores 0.97 - 1; another version of it (a changed date, a clause added or
dropped) scores lower. A text is `unknown` when the best score is under `UNKNOWN_BELOW`;
its matches are then its nearest neighbours.

The LicenseDB index is built once (~2,600 texts) and cached under `settings.home/identify`,
keyed by a fingerprint of the LicenseDB keys and file contents, written atomically. User
texts are few and are shingled when the Identifier is made.
"""
from __future__ import annotations

import hashlib
import html
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import scancode
from corpus.atomic import atomic_write
from corpus.catalog import Corpus, builtin_spec
from corpus.errors import ModeltermsError
from corpus.settings import Settings

ALGO_VERSION = 2
SHINGLE = 5  # words per shingle
# Best score under this: nothing in the corpus matches well. Reformatted, re-headed or
# truncated copies score >= 0.97 on evals/identify_cases.py; other versions of a corpus
# text (Llama 3.x use policies vs Llama 4's, NVIDIA's Oct 2025 terms vs Apr 2025) 0.8 - 0.95.
UNKNOWN_BELOW = 0.95
MIN_DOC_SHINGLES = 40  # coverage of a license shorter than this counts for proportionally less
CANDIDATES_BY_COUNT = 24
CANDIDATES_BY_COVERAGE = 12
CANDIDATES_CURATED = 6
UNION_OF = 8  # candidates whose matches mark the query's license region
CURATED_PRIOR = 0.1  # see Identifier.identify
COVERAGE_WEIGHT = 0.1  # see Identifier.identify: coverage as a tie-breaker between nested texts
TIE_MARGIN = 0.05  # candidates within this containment of the best compete on coverage
SCOPES = ("all", "builtin")

_M64 = (1 << 64) - 1
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


# --- results -----------------------------------------------------------------

@dataclass
class Match:
    license: str
    score: float
    name: str

    def as_json(self) -> dict:
        return {"license": self.license, "score": round(self.score, 4), "name": self.name}


@dataclass
class Identification:
    matches: list[Match]  # best first, up to n
    unknown: bool  # True when nothing matches well; matches are then the nearest neighbours

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def as_json(self) -> dict:
        return {"matches": [m.as_json() for m in self.matches], "unknown": self.unknown}


# --- normalisation -----------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,500})?/?>")
_MD_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*\)")  # "[text](url)" -> "[text]"
_MD_ESCAPE = re.compile(r"\\(?=[^\w\s])")  # markdown's "2\." keeps a list number literal
_MARKUP = re.compile(r"[*_`#>|~=\\\[\]{}]")
_BULLETS = "-+•·–—▪○◦●■□➢►◆◇▶▸‣⁃"
_LINE_MARKER = re.compile(
    r"^\s*(?:[" + re.escape(_BULLETS) + r"]\s*|"  # bullets
    r"\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,6})[.):](?=\s|$)\s*|"  # 1. 1.2.3 a) (iv) ...
    r"\((?:\d{1,3}|[a-z]|[ivx]{1,6})\)\s*)+", re.I)
_PAREN_MARKER = re.compile(r"\(\s*(?:\d{1,3}|[a-z]|[ivx]{1,6})\s*\)", re.I)
# "2." / "3)" inside a line is a list number that re-wrapping moved off the line start
_INLINE_NUMBER = re.compile(r"(?<![\w.,])\d{1,2}[.)](?=\s|$)")
# CJK scripts have no spaces between words: each character is a token.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*|[" + _CJK + "]")
# Hyphens inside words go, so that a word hyphenated at a line end (PDF, justified text:
# "distri-\nbution"), a compound broken at its hyphen by re-wrapping ("cross-\nclaim") and
# the unbroken word ("cross-claim", "crossclaim") all read the same, and so do lines joined
# again with a space ("non- transferable").
_HYPHENATED = re.compile(r"(?<=[a-z])[-\u2010\u2011][ \t]*(?:\n[ \t]*)?(?=[a-z])")
# Page furniture on a line of its own: "12", "3 of 12", "- 4 -", "Confidential | Page 3 of 12"
_PAGE_LINE = re.compile(r"(?m)^[ \t]*(?:\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?|"
                        r"[-–—][ \t]*\d{1,4}[ \t]*[-–—])[ \t]*$|"
                        r"^[^\n]{0,40}\bpage[ \t]+\d{1,4}(?:[ \t]*(?:of|/)[ \t]*\d{1,4})?[^\n]{0,20}$")
_ROMAN = re.compile(r"^(?=[ivx]+$)x{0,3}(?:ix|iv|v?i{0,3})$")


def normalize(text: str) -> list[str]:
    """Word tokens of a text, blind to layout: markup, HTML remnants, list markers and
    bullets, quotes, dashes, case and line wrapping do not change them."""
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = _PAGE_LINE.sub("", text)
    text = _HYPHENATED.sub("", text)
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = _MD_LINK_TARGET.sub("] ", text)
    text = _MD_ESCAPE.sub("", text)
    text = _MARKUP.sub(" ", text)
    text = "\n".join(_LINE_MARKER.sub("", line) for line in text.split("\n"))
    text = _PAREN_MARKER.sub(" ", text)
    text = _INLINE_NUMBER.sub(" ", text)
    tokens = []
    for tok in _TOKEN.findall(text):
        tok = tok.replace("'", "")
        # Single letters and roman numerals are mostly list markers, which reformatting moves.
        if (len(tok) == 1 and tok.isascii() and not tok.isdigit()) or _ROMAN.match(tok):
            continue
        tokens.append(tok)
    return tokens


_token_cache: dict[str, int] = {}


def _token_hashes(tokens: list[str]) -> np.ndarray:
    cache = _token_cache
    if len(cache) > 500_000:
        cache.clear()
    out = np.empty(len(tokens), dtype=np.uint64)
    for i, tok in enumerate(tokens):
        h = cache.get(tok)
        if h is None:
            h = int.from_bytes(hashlib.blake2b(tok.encode("utf-8"), digest_size=8).digest(), "little")
            cache[tok] = h
        out[i] = h
    return out


def shingles(tokens: list[str], n: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of the word n-grams, in text order (a text shorter than n is one shingle)."""
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    t = _token_hashes(tokens)
    width = min(n, len(t))
    m = len(t) - width + 1
    h = np.full(m, _FNV_OFFSET, dtype=np.uint64)
    for j in range(width):
        h ^= t[j:j + m]
        h *= _FNV_PRIME
    h ^= np.uint64(width)  # a short text's single shingle never equals a full n-gram
    return h


def text_shingles(text: str) -> np.ndarray:
    return shingles(normalize(text))


# --- the LicenseDB index -----------------------------------------------------

@dataclass
class _Index:
    keys: list[str]
    names: list[str]
    deprecated: np.ndarray  # bool per doc
    doc_off: np.ndarray  # int64, len(keys)+1: doc i's sorted unique shingles are doc_hashes[off[i]:off[i+1]]
    doc_hashes: np.ndarray  # uint64
    seq_off: np.ndarray  # int64, len(keys)+1: doc i's shingles in text order are seq_hashes[off[i]:off[i+1]]
    seq_hashes: np.ndarray  # uint64
    post_hash: np.ndarray  # uint64 sorted unique shingle hashes
    post_off: np.ndarray  # int64, len(post_hash)+1
    post_doc: np.ndarray  # int32 doc ids


def licensedb_fingerprint(keys: list[str]) -> str:
    """Changes when a LicenseDB key, a data file's content, or the algorithm changes."""
    d = scancode.licenses_dir()
    h = hashlib.sha256(f"identify-v{ALGO_VERSION}-n{SHINGLE}\n".encode())
    h.update(Path(__file__).read_bytes())  # the normalisation and hashing code the index was built with
    for key in keys:
        h.update(key.encode("utf-8") + b"\0")
        h.update(hashlib.sha256((d / f"{key}.LICENSE").read_bytes()).digest())
    return h.hexdigest()[:24]


def _build_index(keys: list[str]) -> _Index:
    d = scancode.licenses_dir()
    kept, names, deprecated, docs, seqs = [], [], [], [], []
    for key in keys:
        meta, text = scancode.split_front_matter((d / f"{key}.LICENSE").read_text(encoding="utf-8"))
        seq = text_shingles(text) if text.strip() else np.empty(0, dtype=np.uint64)
        if not len(seq):  # empty-text entries (e.g. generic references) identify nothing
            continue
        kept.append(key)
        names.append(str(meta.get("name") or meta.get("short_name") or key))
        deprecated.append(bool(meta.get("is_deprecated")))
        docs.append(np.unique(seq))
        seqs.append(seq)
    sizes = np.array([len(s) for s in docs], dtype=np.int64)
    doc_off = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    doc_hashes = np.concatenate(docs) if docs else np.empty(0, dtype=np.uint64)
    doc_ids = np.repeat(np.arange(len(docs), dtype=np.int32), sizes)
    order = np.argsort(doc_hashes, kind="stable")
    sorted_hashes, post_doc = doc_hashes[order], doc_ids[order]
    post_hash, starts = np.unique(sorted_hashes, return_index=True)
    post_off = np.concatenate([starts, [len(sorted_hashes)]]).astype(np.int64)
    seq_off = np.concatenate([[0], np.cumsum([len(s) for s in seqs])]).astype(np.int64)
    seq_hashes = np.concatenate(seqs) if seqs else np.empty(0, dtype=np.uint64)
    return _Index(kept, names, np.array(deprecated, dtype=bool), doc_off, doc_hashes, seq_off, seq_hashes,
                  post_hash, post_off, post_doc.astype(np.int32))


def _save(index: _Index, path: Path, fingerprint: str) -> None:
    atomic_write(path, lambda f: np.savez(
        f, keys=np.array(index.keys, dtype=str), names=np.array(index.names, dtype=str),
        deprecated=index.deprecated, doc_off=index.doc_off, doc_hashes=index.doc_hashes,
        seq_off=index.seq_off, seq_hashes=index.seq_hashes, post_hash=index.post_hash,
        post_off=index.post_off, post_doc=index.post_doc, fingerprint=np.array(fingerprint)))
    for old in path.parent.glob("licensedb-*.npz"):  # earlier corpora's indexes
        if old != path:
            old.unlink(missing_ok=True)


def _load(path: Path, fingerprint: str) -> _Index | None:
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["fingerprint"]) != fingerprint:
                return None
            return _Index(keys=z["keys"].tolist(), names=z["names"].tolist(), deprecated=z["deprecated"],
                          doc_off=z["doc_off"], doc_hashes=z["doc_hashes"], seq_off=z["seq_off"],
                          seq_hashes=z["seq_hashes"], post_hash=z["post_hash"],
                          post_off=z["post_off"], post_doc=z["post_doc"])
    except (OSError, ValueError, KeyError, EOFError):  # missing or damaged: rebuild
        return None


def load_licensedb_index(settings: Settings, keys: list[str]) -> tuple[_Index, bool]:
    """The cached LicenseDB index, built and cached on first use. Returns (index, built_now)."""
    fingerprint = licensedb_fingerprint(keys)
    path = settings.home / "identify" / f"licensedb-{fingerprint}.npz"
    index = _load(path, fingerprint) if path.is_file() else None
    if index is not None:
        return index, False
    index = _build_index(keys)
    _save(index, path, fingerprint)
    return index, True


# --- identification ----------------------------------------------------------

def _max_segment(hit: np.ndarray) -> tuple[int, int]:
    """[start, end) of the run that maximises (#hit - #miss): the query's license region."""
    if not len(hit):
        return 0, 0
    w = np.where(hit, 1, -1).astype(np.int64)
    prefix = np.concatenate([[0], np.cumsum(w)])
    run_min = np.minimum.accumulate(prefix)
    gain = prefix[1:] - run_min[:-1]
    end = int(np.argmax(gain)) + 1
    if gain[end - 1] <= 0:
        return 0, 0
    head = prefix[:end]
    start = end - 1 - int(np.argmax(head[::-1] == run_min[end - 1]))  # the tightest such run
    return start, end


class Identifier:
    """Identifies texts against the corpus. scope "all": every LicenseDB key and the user's
    texts; "builtin": the curated built-in set and the user's texts."""

    def __init__(self, settings: Settings, corpus: Corpus, scope: str = "all"):
        if scope not in SCOPES:
            raise ModeltermsError(f"invalid scope {scope!r}: use {' or '.join(SCOPES)}")
        t0 = time.perf_counter()
        self.settings, self.corpus, self.scope = settings, corpus, scope
        self._db, self.built_index = load_licensedb_index(settings, corpus.licensedb_keys())
        n_db = len(self._db.keys)
        builtin = set(builtin_spec())
        allowed = np.ones(n_db, dtype=bool) if scope == "all" else \
            np.array([k in builtin for k in self._db.keys], dtype=bool)
        # User texts: shingled now; they are few and short next to the LicenseDB.
        self._user_keys, self._user_names, self._user_docs, self._user_seqs = [], [], [], []
        for key in corpus.user_keys():
            entry = corpus.user.get(key)
            seq = text_shingles(entry.text) if entry is not None else np.empty(0, dtype=np.uint64)
            if len(seq):
                self._user_keys.append(key)
                self._user_names.append(entry.name)
                self._user_docs.append(np.unique(seq))
                self._user_seqs.append(seq)
        self.keys = self._db.keys + self._user_keys
        self.names = self._db.names + self._user_names
        self._allowed = np.concatenate([allowed, np.ones(len(self._user_keys), dtype=bool)])
        db_sizes = np.diff(self._db.doc_off)
        self._sizes = np.concatenate([db_sizes, [len(s) for s in self._user_docs]]).astype(np.int64)
        # Ties (identical texts) go to the curated set, then the user's texts, then live keys.
        pref = [0 if k in builtin else (2 + int(dep)) for k, dep in zip(self._db.keys, self._db.deprecated)]
        self._pref = np.array(pref + [1] * len(self._user_keys), dtype=np.int64)
        self.load_seconds = time.perf_counter() - t0

    def __len__(self) -> int:
        return int(self._allowed.sum())

    def _doc(self, i: int) -> np.ndarray:
        n_db = len(self._db.keys)
        if i < n_db:
            return self._db.doc_hashes[self._db.doc_off[i]:self._db.doc_off[i + 1]]
        return self._user_docs[i - n_db]

    def _seq(self, i: int) -> np.ndarray:
        """Document i's shingles in text order."""
        n_db = len(self._db.keys)
        if i < n_db:
            return self._db.seq_hashes[self._db.seq_off[i]:self._db.seq_off[i + 1]]
        return self._user_seqs[i - n_db]

    def _alignment(self, i: int, q_unique: np.ndarray, q_counts: np.ndarray) -> float:
        """Share of the candidate's aligned run (where the query's shingles dominate, along the
        candidate's text) that the query holds: what another version added or dropped."""
        seq = self._seq(i)
        pos = np.minimum(np.searchsorted(q_unique, seq), len(q_unique) - 1)
        available = np.where(q_unique[pos] == seq, q_counts[pos], 0)
        # The k-th occurrence of a shingle in the candidate is held only if the query has it
        # k times: a passage the candidate repeats does not count twice for a truncated copy.
        order = np.argsort(seq, kind="stable")
        ordered = seq[order]
        first = np.concatenate([[0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1])
        group_start = np.repeat(first, np.diff(np.concatenate([first, [len(seq)]])))
        occurrence = np.empty(len(seq), dtype=np.int64)
        occurrence[order] = np.arange(len(seq)) - group_start
        hit = occurrence < available
        start, end = _max_segment(hit)
        return float(hit[start:end].sum()) / (end - start) if end > start else 0.0

    def _shared_counts(self, q_unique: np.ndarray) -> np.ndarray:
        """Number of the query's distinct shingles each document holds."""
        db = self._db
        counts = np.zeros(len(self.keys), dtype=np.int64)
        if len(db.post_hash):
            idx = np.searchsorted(db.post_hash, q_unique)
            idx_c = np.minimum(idx, len(db.post_hash) - 1)
            idx = idx_c[db.post_hash[idx_c] == q_unique]
            starts, ends = db.post_off[idx], db.post_off[idx + 1]
            lengths = ends - starts
            total = int(lengths.sum())
            if total:
                # positions starts[i]..ends[i]-1 of every hit, without a Python loop
                first = np.cumsum(lengths) - lengths
                positions = np.arange(total) + np.repeat(starts - first, lengths)
                counts[:len(db.keys)] = np.bincount(db.post_doc[positions], minlength=len(db.keys))
        n_db = len(db.keys)
        for j, doc in enumerate(self._user_docs):
            counts[n_db + j] = int(np.isin(doc, q_unique, assume_unique=True).sum())
        return counts

    def identify(self, text: str, n: int = 5) -> Identification:
        q = text_shingles(text)
        if not len(q) or n <= 0:
            return Identification([], True)
        q_unique, q_counts = np.unique(q, return_counts=True)
        counts = self._shared_counts(q_unique)
        counts[~self._allowed] = 0
        if not counts.any():
            # nothing shared: the nearest neighbours are undefined; report none
            return Identification([], True)
        # Candidates: most shared shingles, best covered, and the curated texts among them
        # (ties in a large family, e.g. the BSD variants, go to the curated key first).
        by_count = np.lexsort((self._pref, -counts))
        cover = counts / np.maximum(self._sizes, 1)
        by_cover = np.lexsort((self._pref, -cover))[:CANDIDATES_BY_COVERAGE]
        curated = by_count[self._pref[by_count] <= 1][:CANDIDATES_CURATED]
        picked = np.concatenate([by_count[:CANDIDATES_BY_COUNT], by_cover, curated]).tolist()
        cands = [int(i) for i in dict.fromkeys(picked) if counts[i] > 0]

        hits = {}
        for i in cands:
            doc = self._doc(i)
            pos = np.minimum(np.searchsorted(doc, q), len(doc) - 1)
            hits[i] = doc[pos] == q
        union = np.zeros(len(q), dtype=bool)
        for i in sorted(cands, key=lambda i: -counts[i])[:UNION_OF]:
            union |= hits[i]
        start, end = _max_segment(union)
        seg_len = max(end - start, 1)

        measures = []
        for i in cands:
            in_seg = int(hits[i][start:end].sum())
            containment = in_seg / seg_len
            coverage = counts[i] / max(self._sizes[i], 1)
            explained = in_seg / len(q)
            evidence = max(explained, coverage * min(1.0, self._sizes[i] / MIN_DOC_SHINGLES))
            measures.append((i, containment, coverage, min(1.0, 2.0 * evidence)))
        # Coverage breaks ties between texts that explain the query about equally well (a
        # license and a longer one that contains it): it counts relative to the best-covered
        # of them, so a truncated copy is not marked down for being truncated.
        best_containment = max(m[1] for m in measures)
        ref_coverage = max(m[2] for m in measures if m[1] >= best_containment - TIE_MARGIN)
        rows = [(i, containment, coverage,
                 containment * (1.0 - COVERAGE_WEIGHT * max(0.0, ref_coverage - coverage)) * evidence)
                for i, containment, coverage, evidence in measures]
        # A fragment (the best match covers only part of its license) fits many relatives
        # equally; the curated and the user's texts are then the likelier: a small prior.
        # It orders the matches but never raises the best reported score above the best
        # score without it, so it cannot turn an unknown text into a match.
        partial = 1.0 - max(rows, key=lambda r: r[3])[2]

        def prior(i: int, containment: float, align: float) -> float:
            return CURATED_PRIOR * partial * containment * align if self._pref[i] <= 1 else 0.0

        # The alignment factor is <= 1, so a candidate's score without it bounds its final
        # score: align candidates best bound first, until no bound can reach the top n.
        rows.sort(key=lambda r: (-(r[3] + prior(r[0], r[1], 1.0)), int(self._pref[r[0]]), self.keys[r[0]]))
        done: list[tuple] = []
        best_raw = 0.0
        for i, containment, _, score in rows:
            bound = score + prior(i, containment, 1.0)
            if len(done) >= n and bound < -sorted(done)[n - 1][0] and score <= best_raw:
                break
            align = self._alignment(i, q_unique, q_counts)
            raw = score * align
            best_raw = max(best_raw, raw)
            ranked = raw + prior(i, containment, align)
            done.append((-ranked, int(self._pref[i]), self.keys[i], i, ranked))
        done.sort()
        # Reported scores keep the ranking's proportions, the best one scaled to the best
        # score without the prior. A candidate with nothing in the license region is no neighbour.
        scale = best_raw / done[0][4] if done[0][4] > 0 else 0.0
        matches = [Match(self.keys[i], float(min(1.0, s * scale)), self.names[i])
                   for _, _, _, i, s in done[:n] if s > 0]
        if not matches:
            return Identification([], True)
        return Identification(matches, unknown=matches[0].score < UNKNOWN_BELOW)
