"""What every duty check reads: the repository, its texts, the inherited texts and their profiles."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

from agent.terms.cues import DEFINITION
from agent.terms.profile import Profiler
from corpus.catalog import Corpus, builtin_spec
from corpus.entry import LicenseEntry, guess_kind
from corpus.modelrepo import ModelRepo
from corpus.taxonomy import load_taxonomy

from .evidence import RepoTexts, shingles
from .inherited import Inherited
from .result import Upstream
from .rules import rules


_DEFINES_DERIVATIVE = re.compile(r"^\W*(\(?[a-z0-9.]+[.)]\s*)?[\"“'‘][^\"”’']*deriv", re.I)


def makes_derivative(profiler: Profiler, key: str) -> bool:
    """The text makes models trained on its outputs its derivatives (Gemma, OpenRAIL): its definition of a
    derivative speaks of distillation or outputs. A ban on training with outputs (FLUX.1 [dev]) does not
    make the trained model a derivative."""
    term = profiler.profile(key).terms.get("distillation_derivative")
    if term is None:
        return False
    return any(DEFINITION.match(e.quote) and _DEFINES_DERIVATIVE.match(e.quote) for e in term.evidence)


@dataclass
class AuditContext:
    repo: ModelRepo
    texts: RepoTexts
    inherited: Inherited
    profiler: Profiler
    corpus: Corpus
    _shingles: dict = field(default_factory=dict)

    @property
    def relation(self) -> str:
        return self.repo.base_model_relation or ("merge" if len(self.repo.base_models) > 1 else "finetune")

    def upstream_texts(self) -> list[tuple[str, Upstream]]:
        return self.inherited.texts()

    def family(self, key: str) -> str:
        entry = self.corpus.get(key) if self.corpus.exists(key) else None
        return builtin_spec().get(key, {}).get("family") or (entry.family if entry else None) or key

    def text_shingles(self, key: str) -> set[int]:
        if key not in self._shingles:
            self._shingles[key] = shingles(self.corpus.get(key).text)
        return self._shingles[key]

    def makes_derivative(self, key: str) -> bool:
        return makes_derivative(self.profiler, key)

    def ships(self, key: str) -> str | None:
        """The repo file that holds `key`'s text (or a same-family text near-identical to it), or None."""
        same = rules()["same_text_containment"]
        if key in self.shipped and self.shipped_score[key] >= same:
            return self.shipped[key]
        ref = self.text_shingles(key)
        for k, path in self.shipped.items():
            if self.family(k) == self.family(key) and self.shipped_score[k] >= same:
                if len(ref & self.text_shingles(k)) / max(len(ref), 1) >= same:
                    return path
        return None

    def resembles(self, key: str) -> tuple[str, float] | None:
        """(file, share of the text's wording) when a repo file is closest to `key` but is not a copy of it:
        another version (Llama 3 for 3.1, FLUX 1.1 for 1.0) or an edited copy, which a person must compare."""
        if key in self.shipped and self.shipped_score[key] < rules()["same_text_containment"]:
            return self.shipped[key], self.shipped_score[key]
        return None

    def use_restrictions(self, key: str) -> int:
        """How many behavioural prohibitions the text states."""
        tax = load_taxonomy()
        prof = self.profiler.profile(key)
        return sum(1 for t in prof.terms.values() if tax[t.term].group == "behavioural" and t.attitude == "cannot")

    def is_restrictive(self, key: str) -> bool:
        prof = self.profiler.profile(key)
        return bool(set(rules()["restrictive_terms"]) & set(prof.terms)) or \
            self.use_restrictions(key) >= rules()["min_use_restrictions"]

    def transient_key(self, t) -> str | None:
        """A repo file that is no corpus text, as a transient corpus entry (for this process only) to profile."""
        if not t.text.strip():
            return None
        digest = hashlib.sha256(t.text.encode("utf-8")).hexdigest()[:12]
        key = f"repo-{re.sub(r'[^a-z0-9.+-]+', '-', t.path.lower())[:60]}-{digest}"
        if not self.corpus.exists(key):
            self.corpus.add_transient(LicenseEntry(key=key, name=f"{t.path} of {self.repo.name}",
                                                   kind=guess_kind(t.path, t.text), text=t.text, source="local",
                                                   family=f"local:{key}"))
        return key

    @cached_property
    def shipped(self) -> dict[str, str]:
        """corpus key → repo file for every corpus text a repo file resembles most (≥ 60 % of the text's 8-word
        shingles, best among the family's versions in the corpus; `shipped_score` keeps the share). A file that
        holds the text plus more (a license with its policy appended) still ships it."""
        found: dict[str, str] = {}
        self.shipped_score: dict[str, float] = {}
        keys = {k for k, _ in self.upstream_texts()} | set(self.inherited.declared)
        candidates = set(keys)
        for k in keys:
            fam = self.family(k)
            candidates |= {s for s, spec in builtin_spec().items() if spec.get("family") == fam and self.corpus.exists(s)}
        for t in self.texts.files():
            best, best_score = None, 0.0
            for k in candidates:
                ref = self.text_shingles(k)
                score = len(ref & t.shingle_set) / max(len(ref), 1)
                if score > best_score:
                    best, best_score = k, score
            if best and best_score >= 0.6 and best_score > self.shipped_score.get(best, 0.0):
                found[best] = t.path
                self.shipped_score[best] = round(best_score, 3)
        return found
