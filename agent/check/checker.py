"""The grounded check: may this use be made of this model / license? Reproducible, no LLM.

Stages: resolve the target to its applicable texts (the license, use policies it incorporates, base
models' terms); read the use into a frame (frame.py, with the category layer in categories.py);
run every rule family (rules/) over each text's profile; decide the verdict (verdict.py). Each
finding cites a clause with a verbatim quote.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from corpus.errors import ModeltermsError
from corpus.settings import Settings

from .. import language
from ..deps import Deps
from ..models import Resolution, policies_for_license
from .facts import UseFacts
from . import verdict as verdicts
from .context import RuleContext
from .embedding_view import neutral_names
from .frame import read_frame, with_target
from .llm_reader import LLMReader
from .result import CheckResult, Condition, Missing, Reason
from .rules import carve_outs, RULES, grants



class Checker:
    """The check over one Deps (agent/deps.py): its corpus, profiler, resolver and embedder; one per process."""

    def __init__(self, deps: Deps | Settings, llm_reader: LLMReader | None = None):
        self.deps = Deps.of(deps)
        self.settings = self.deps.settings
        self.llm_reader = llm_reader  # LLM-assisted reading (llm_reader.py); None: the grounded reader alone
        self.corpus = self.deps.corpus
        self.profiler = self.deps.profiler
        self.resolver = self.deps.resolver
        self._recent: dict[str, np.ndarray] = {}

    @property
    def store(self):
        """The clause index (None without one), opened on first use: profiles read their vectors from its
        snapshot when they can, so a check often never opens it."""
        return self.deps.store

    @property
    def embedder(self):
        return self.deps.embedder

    def _embed(self, texts: list[str]):
        """The embedder, remembering the last uses: the frame and the rules embed the same use text once."""
        if len(texts) != 1:
            return self.embedder.embed(texts)
        vec = self._recent.get(texts[0])
        if vec is None:
            vec = self.embedder.embed(texts)[0]
            self._recent[texts[0]] = vec
            while len(self._recent) > 32:
                self._recent.pop(next(iter(self._recent)))
        return vec[None, :]

    # --- targets -------------------------------------------------------------
    def resolve(self, license: str | None = None, model: str | None = None, card: str | Path | None = None) -> Resolution:
        given = [x for x in (license, model, card) if x]
        if len(given) != 1:
            raise ModeltermsError("give exactly one of --license, --model or --card")
        if license:
            if not self.corpus.exists(license):
                raise ModeltermsError(self.corpus.unknown_key_message(license))
            res = Resolution(query=license)
            entry = self.corpus.get(license)
            res._add(policies=[license]) if entry.kind == "aup" else res._add(licenses=[license])
        elif model:
            res = self.resolver.resolve_model(model)
        else:
            path = Path(card)
            if not path.exists():
                raise ModeltermsError(f"{path}: no such model card or folder")
            res = self.resolver.resolve_card(path)
        # Policies incorporate further policies (an AUP citing an AI-specific AUP): follow them too.
        seen: set[str] = set()
        while todo := [k for k in res.keys if k not in seen]:
            for key in todo:
                seen.add(key)
                present, missing = policies_for_license(key, self.corpus)
                res._add(policies=present, missing=missing)
        return res

    # --- the check -------------------------------------------------------------
    def read(self, use: str) -> UseFacts:
        """The use's frame: the grounded reader's, with what the LLM reader may add when there is one."""
        frame = read_frame(use, embed=self._embed)
        return self.llm_reader.read(frame) if self.llm_reader is not None else frame

    def check(self, use: str, license: str | None = None, model: str | None = None,
              card: str | Path | None = None) -> CheckResult:
        facts = self.read(use)
        res = self.resolve(license, model, card)
        return self.decide(facts, res)

    def decide(self, facts: UseFacts, res: Resolution) -> CheckResult:
        facts = with_target(facts, res.model or res.query, res.modality)
        keys = res.keys
        result = CheckResult(verdict="allowed", licenses=keys, use=facts, resolution=res)
        result.missing += [Missing("text", name=m.name, unresolved=m, url=m.url or None, key=m.key or None)
                           for m in res.missing]
        result.conditions += [Condition("card_conflict", conflict=c) for c in res.conflicts]
        if facts.vague:
            result.missing.append(Missing("vague"))
        if not keys:
            result.verdict = "unclear"
            return result
        profiles = [self.profiler.profile(k) for k in keys]
        use_vec = self._embed([neutral_names(facts.text)])[0]
        covered = frozenset(t for p in profiles for t in p.terms)
        for prof in profiles:
            ctx = RuleContext(self.profiler, prof, facts, result, use_vec, covered)
            if grants.out_of_scope(ctx):
                continue  # the text leaves the model the use names out of what it licenses: its clauses do not decide
            for rule in RULES:
                rule.apply(ctx)
            self._missing_policies(ctx)
        carve_outs.settle(result)  # an express carve-out answers the same category's "may cover" doubt elsewhere
        result.verdict = verdicts.verdict(facts, result, self.corpus)
        summaries = [p for p in profiles if p.summary_of_several]
        for prof in summaries:
            result.missing.append(Missing("not_one_license", name=prof.name, license=prof.license))
        if summaries and len(summaries) == len(profiles):
            # a sheet of several licences says which terms each has, not which one governs this model
            result.verdict = "unclear"
        written_in = language.detect(facts.text)
        if written_in not in (language.ENGLISH, language.UNKNOWN) and result.verdict in ("allowed", "conditional"):
            # The use reader's vocabularies and embedding model are English: a use described in another language
            # can miss every ban it touches, so only a ban that was found stands.
            result.verdict = "unclear"
            result.missing.append(Missing("language", language=language.name(written_in)))
        if result.verdict == "prohibited" and facts.vague:
            # a ban that covers the use decides it however vaguely the rest is said: asking for more detail
            # next to PROHIBITED would contradict the verdict
            result.missing = [m for m in result.missing if m.kind != "vague"]
        return result

    @staticmethod
    def _missing_policies(ctx: RuleContext):
        """A policy the text incorporates but the corpus lacks: said, and cited where the clause is known."""
        result, prof = ctx.result, ctx.prof
        for ref in prof.references:
            if not ref["in_corpus"] and not any(m.name == ref["policy"] for m in result.missing):
                result.missing.append(Missing("policy", name=ref["policy"], license=prof.license,
                                              url=ref.get("url") or None))
                if ref.get("clause_id"):
                    ctx.add_clause(ref["clause_id"], "aup_by_reference", "must",
                                   Reason("policy_missing", prof.name), "missing")
