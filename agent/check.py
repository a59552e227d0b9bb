"""The grounded check: may this use be made of this model / license? Reproducible, no LLM.

Every text that applies is considered: the license, the use policies it incorporates that are in
the corpus, and the base models' terms. Each finding cites a clause with a verbatim quote.
Verdict order: prohibited > unclear > conditional > allowed — an unresolved possible
prohibition outranks a condition, and "unclear" is preferred to a wrong "allowed".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from corpus.catalog import Corpus
from corpus.errors import ModeltermsError
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy

from .industries import INDUSTRIES, clause_excludes
from .models import ModelResolver, Resolution, policies_for_license
from .money import CLOSE, describe
from .profile import Profile, Profiler, TermResult, best_quote
from .usecase import _EXEMPLAR_THRESHOLD as _CLEAR_CATEGORY  # a pattern hit scores 1.0
from .usecase import UseFacts, parse_use

_CARVE_OUT_EXCEPTION = re.compile(r"\b(does not apply to|not apply to end users|except(ing)? (for )?(end )?users|"
                                  r"with respect to any \w+ models?|unless)\b", re.I)
# Bans every license carries in some form (do not infringe, obey the law): a use that only resembles
# them is not put up for review, or every sale of an image would be; a use that names them still is.
_GENERIC_DUTIES = ("ip_infringement", "illegal")
VERDICTS = ("prohibited", "unclear", "conditional", "allowed")
# Similarity of the use to a clause in a restriction list above which the clause is taken to forbid
# the use even when no category names it, and the band below where it is flagged for review.
_RESTRICT_SIM = 0.62
_REVIEW_SIM = 0.52


@dataclass
class Finding:
    license: str
    clause_id: str
    category: str
    attitude: str
    quote: str
    why: str
    effect: str  # prohibited | condition | grant | review | missing

    def as_json(self) -> dict:
        return {"license": self.license, "clause_id": self.clause_id, "category": self.category,
                "attitude": self.attitude, "quote": self.quote, "why": self.why, "effect": self.effect}


@dataclass
class CheckResult:
    verdict: str
    licenses: list[str]
    findings: list[Finding] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    answer: str = ""
    use: UseFacts | None = None
    resolution: Resolution | None = None

    @property
    def deciding(self) -> list[str]:
        effect = {"prohibited": "prohibited", "conditional": "condition", "allowed": "grant", "unclear": "missing"}[self.verdict]
        ids = [f.clause_id for f in self.findings if f.effect == effect]
        if self.verdict == "unclear":
            ids += [f.clause_id for f in self.findings if f.effect == "review"]
        return ids

    def as_json(self) -> dict:
        out = {"verdict": self.verdict, "licenses": self.licenses, "findings": [f.as_json() for f in self.findings],
               "conditions": self.conditions, "missing": self.missing, "answer": self.answer,
               "deciding": self.deciding}
        if self.use is not None:
            out["facts"] = self.use.as_json()
        if self.resolution is not None:
            out["model"] = self.resolution.model
            out["resolution"] = self.resolution.as_json()
        return out


class Checker:
    """Holds the corpus, profiler and embedder; one per process."""

    def __init__(self, settings: Settings, corpus: Corpus | None = None, store=None, profiler: Profiler | None = None,
                 embedder=None):
        self.settings = settings
        self.corpus = corpus or Corpus(settings)
        if store is None:
            try:
                from retrieval.store import ClauseStore

                store = ClauseStore(settings)
            except ModeltermsError:
                store = None  # no index: clause vectors are computed on the fly
        self.store = store
        self.profiler = profiler or Profiler(settings, self.corpus, store)
        self._embedder = embedder
        self.resolver = ModelResolver(self.corpus)

    @property
    def embedder(self):
        if self._embedder is None:
            from retrieval.embed import load_embedder

            self._embedder = load_embedder(self.settings.embedding, self.settings.embed_batch_size)
        return self._embedder

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
    def check(self, use: str, license: str | None = None, model: str | None = None,
              card: str | Path | None = None) -> CheckResult:
        facts = parse_use(use, embed=self.embedder.embed)
        res = self.resolve(license, model, card)
        return self.decide(facts, res)

    def decide(self, facts: UseFacts, res: Resolution) -> CheckResult:
        keys = res.keys
        result = CheckResult(verdict="allowed", licenses=keys, use=facts, resolution=res)
        profiles = [self.profiler.profile(k) for k in keys]
        for m in res.missing:
            result.missing.append(f"{m['name']}: {m['why']}" + (f" ({m['url']})" if m.get("url") else "")
                                  + (f"; add it with `modelterms corpus add FILE --key {m['key']}`" if m.get("key") else ""))
        if res.conflicts:
            result.conditions.extend(f"model card conflict: {c}" for c in res.conflicts)
        if facts.vague:
            result.missing.append(_VAGUE)
        if not keys:
            result.verdict = "unclear"
            result.answer = self._answer(result)
            return result

        use_vec = self.embedder.embed([facts.text])[0]
        covered = {t for p in profiles for t in p.terms}  # terms some applicable text addresses
        for prof in profiles:
            self._behavioural(prof, facts, use_vec, result, covered)
            self._commercial(prof, facts, result)
            self._structural(prof, facts, result)
            self._excluded_industries(prof, facts, result)
            self._similar_restrictions(prof, facts, use_vec, result)
            self._grants(prof, facts, result)
            for ref in prof.references:
                if not ref["in_corpus"] and not any(ref["policy"] in m for m in result.missing):
                    result.missing.append(f"{ref['policy']} is incorporated by {prof.license} but its text is not in the "
                                          "corpus" + (f" ({ref['url']})" if ref.get("url") else ""))
                    if ref.get("clause_id"):
                        self._add(result, prof, ref["clause_id"], "aup_by_reference", "must",
                                  "this clause incorporates a policy whose text is not in the corpus", "missing")

        result.verdict = self._verdict(facts, result)
        if result.verdict == "prohibited" and facts.vague:
            # a ban that covers the use decides it however vaguely the rest is said: asking for more detail
            # next to PROHIBITED would contradict the verdict
            result.missing = [m for m in result.missing if m != _VAGUE]
        result.answer = self._answer(result)
        return result

    # --- rules over profiles ---------------------------------------------------------
    def _behavioural(self, prof: Profile, facts: UseFacts, use_vec: np.ndarray, result: CheckResult,
                     covered: set[str] | frozenset = frozenset()):
        for cat in facts.categories:
            term = prof.terms.get(cat)
            if term is None:
                continue
            if cat == "automated_decisions" and facts.human_review:
                # a person decides: the use is outside a ban on automated decisions, provided it stays so
                self._person_decides(result, prof, term)
                continue
            if cat == "ai_disclosure" and term.attitude == "must" and not load_taxonomy()[cat].matches_use(facts.text):
                # the use resembles undisclosed AI interaction but does not say the AI is concealed
                self._disclose_ai(result, prof, term)
                continue
            if term.attitude == "cannot":
                self._add_term(result, prof, term, f"{prof.name} forbids this use ({load_taxonomy()[cat].name.lower()})",
                               "prohibited")
            elif cat in ("ai_disclosure", "risk_disclosure") and term.attitude == "must":
                self._add_term(result, prof, term, f"{prof.name} requires this disclosure, which the described use omits",
                               "prohibited")
        decisions = prof.terms.get("automated_decisions")
        if facts.decision_support and decisions is not None and decisions.attitude == "cannot" \
                and "automated_decisions" not in facts.categories:
            if facts.human_review:
                self._person_decides(result, prof, decisions)
            else:
                self._add_term(result, prof, decisions, f"{prof.name} restricts automated decisions of this kind; "
                               "say whether a person makes each final decision", "review", limit=1)
        unlawful = [c for c in facts.categories if load_taxonomy()[c].unlawful and c not in prof.terms]
        illegal = prof.terms.get("illegal")
        if unlawful and illegal is not None and illegal.attitude == "cannot":
            self._add_term(result, prof, illegal, f"{load_taxonomy()[unlawful[0]].name.lower()} as described is unlawful, "
                           f"and {prof.name} forbids unlawful use", "prohibited", limit=1)
        restrictions = [t for t in prof.terms.values()
                        if t.attitude == "cannot" and load_taxonomy()[t.term].group == "behavioural"]
        # only a category the use clearly names (a pattern, or a close example) is worth a review of
        # restrictions that do not name it; one no applicable text names
        unmatched = [c for c in facts.categories if c not in covered and c != "other_use" and c not in _GENERIC_DUTIES
                     and facts.category_scores.get(c, 0.0) >= _CLEAR_CATEGORY]
        if unmatched and len(restrictions) >= 3:
            # A list of restrictions that names none of the use's categories may still cover it in other
            # words: the closest restriction is put up for review rather than the use called allowed.
            best = max(restrictions, key=lambda t: max(
                (float(f.vector @ use_vec) for f in self.profiler.features(prof.license)
                 if f.clause.id in {e.clause_id for e in t.evidence}), default=-1.0))
            self._add_term(result, prof, best, f"the use is {load_taxonomy()[unmatched[0]].name.lower()}; {prof.name} "
                           "lists use restrictions that may cover it: review them", "review", limit=1)
        for cat in facts.possible:
            term = prof.terms.get(cat)
            if cat == "ai_disclosure" and term is not None and term.attitude == "must":
                self._disclose_ai(result, prof, term)
            elif term is not None and term.attitude == "cannot" and cat not in _GENERIC_DUTIES:
                self._add_term(result, prof, term, f"{prof.name} forbids {load_taxonomy()[cat].name.lower()}, which the "
                               "use may involve: review whether it does", "review", limit=1)
        if "safety_circumvention" in facts.categories and "guardrail_termination" in prof.terms:
            self._add_term(result, prof, prof.terms["guardrail_termination"],
                           "bypassing the model's guardrails ends the license", "prohibited")

    def _clauses_of(self, prof: Profile, term: TermResult, n: int) -> str:
        """The whole text of a term's first n evidence clauses (quotes are only a sentence of each)."""
        return " ".join(self.profiler.clause_text(prof.license, e.clause_id) or "" for e in term.evidence[:n])

    def _person_decides(self, result: CheckResult, prof: Profile, term: TermResult):
        self._add_term(result, prof, term, f"{prof.name} restricts automated decisions; a person makes the final "
                       "decision here", "condition", limit=1,
                       condition="keep a person making each final decision, with real authority to overrule the "
                                 f"model, and tell the people affected how AI is used ({prof.license})")

    def _disclose_ai(self, result: CheckResult, prof: Profile, term: TermResult):
        self._add_term(result, prof, term, f"{prof.name} requires telling people they deal with AI", "condition",
                       limit=1, condition=f"disclose to people that they are interacting with AI ({prof.license})")

    def _commercial(self, prof: Profile, facts: UseFacts, result: CheckResult):
        t = prof.terms
        if facts.commercial and "noncommercial" in t:
            self._add_term(result, prof, t["noncommercial"], f"{prof.name} allows non-commercial use only", "prohibited")
        elif facts.commercial_doubt and "noncommercial" in t:
            self._add_term(result, prof, t["noncommercial"], f"{prof.name} allows non-commercial use only; whether "
                           f"{facts.commercial_doubt} makes this use commercial depends on the license's definition: "
                           "review it", "review", limit=1)
        business_only = t.get("business_only")
        if business_only is not None and business_only.attitude == "cannot" and not facts.commercial and \
                load_taxonomy()["business_only"].matches_use(facts.text):
            self._add_term(result, prof, business_only, f"{prof.name} is for businesses and organisations, not "
                           "personal or household use", "prohibited", limit=1)
        if "research_only" in t and (facts.commercial or not facts.research):
            if facts.commercial or facts.hosting or facts.distribution:
                self._add_term(result, prof, t["research_only"], f"{prof.name} allows research use only", "prohibited")
        if "user_threshold" in t:
            limit = t["user_threshold"].params.get("users")
            if facts.users and limit and facts.users > limit:
                self._add_term(result, prof, t["user_threshold"],
                               f"above {limit:,} monthly active users a separate license is needed", "condition",
                               condition=f"request a separate license from the licensor: {facts.users:,} users exceeds "
                                         f"the {limit:,} monthly-active-user threshold of {prof.license}")
        if "revenue_threshold" in t:
            params = t["revenue_threshold"].params
            limit = params.get("revenue_usd")
            if facts.revenue_usd and limit and facts.revenue_usd > limit:
                self._add_term(result, prof, t["revenue_threshold"],
                               f"above {describe(params)} in revenue a separate (enterprise) license is needed",
                               "condition", condition=f"obtain the licensor's separate license: revenue above "
                                                      f"{describe(params)} ({prof.license})")
            if facts.revenue_usd and limit and (params.get("currency") or facts.revenue_converted) and \
                    abs(facts.revenue_usd - limit) <= CLOSE * limit:
                result.missing.append(f"the revenue is close to the threshold of {prof.license} ({describe(params)}) "
                                      "once converted at approximate rates: compare it in the license's own currency")
        registration = t.get("registration")
        if registration and facts.commercial and "noncommercial" not in t and re.search(
                r"commercial", " ".join(e.quote for e in registration.evidence[:2]), re.I):
            if not ("user_threshold" in t and t["registration"].evidence[0].clause_id
                    == t["user_threshold"].evidence[0].clause_id):
                self._add_term(result, prof, registration, "commercial use needs registration or authorisation",
                               "condition", condition=f"register with or get written authorisation from the licensor "
                                                      f"before commercial use ({prof.license})")

    def _structural(self, prof: Profile, facts: UseFacts, result: CheckResult):
        t = prof.terms
        # Serving a model is not distributing it, unless the license says hosting counts as distribution.
        shares = facts.distribution or (facts.hosting and "hosted_is_distribution" in t and (facts.derivative or not re.search(
            r"\bif you (modify|change|alter)", " ".join(e.quote for e in t["hosted_is_distribution"].evidence[:2]), re.I)))
        if facts.outputs_for_training:
            if "output_training_ban" in t:
                self._add_term(result, prof, t["output_training_ban"],
                               "outputs may not be used to train or improve other models", "prohibited")
            elif "distillation_derivative" in t:
                self._add_term(result, prof, t["distillation_derivative"],
                               "a model trained on the outputs is a derivative and carries these terms", "condition",
                               condition=f"treat the trained model as a derivative of {prof.license}: its terms and "
                                         "use restrictions pass on")
        # Attribution duties that also cover "making available" a product or service apply to hosting too.
        # (an attribution duty that only starts above a user or revenue threshold is the threshold's business)
        threshold_clauses = {e.clause_id for k in ("user_threshold", "revenue_threshold") if k in t for e in t[k].evidence}
        makes_available = facts.hosting and "attribution" in t and re.search(
            r"make[s]? available|made available|provid\w* (access|as a service)|service", " ".join(
                e.quote for e in t["attribution"].evidence[:3] if e.clause_id not in threshold_clauses), re.I)
        if (shares or makes_available) and "attribution" in t:
            self._add_term(result, prof, t["attribution"], "sharing the model or a product with it carries notice duties",
                           "condition", condition=f"keep the required notices / attribution ({prof.license})")
        naming_on_change = "naming" in t and re.search(r"\bif (the \w+ is |you )?modif",
                                                       self._clauses_of(prof, t["naming"], 2), re.I)
        if facts.derivative and (shares or naming_on_change) and "naming" in t:
            self._add_term(result, prof, t["naming"], "a derived model must carry the licensor's naming", "condition",
                           condition=f"name the derived model as {prof.license} requires")
        if facts.publication and "attribution" in t and not (shares or makes_available):
            cited = [e for e in t["attribution"].evidence
                     if re.search(r"publication", self.profiler.clause_text(prof.license, e.clause_id) or "", re.I)]
            if cited:
                self._add(result, prof, cited[0].clause_id, "attribution", "must",
                          "publishing results obliges you to acknowledge the model", "condition")
                result.conditions.append(f"acknowledge the model in the publication as {prof.license} asks")
        hosted = t.get("hosted_is_distribution")
        if facts.hosting and not facts.internal and hosted is not None and hosted.attitude == "cannot":
            self._add_term(result, prof, hosted, f"{prof.name} does not allow serving the model to others "
                           "(a hosted service or API)", "prohibited")
        if shares and "flowdown" in t and (facts.distribution or "hosted_is_distribution" in t):
            self._add_term(result, prof, t["flowdown"], "the use restrictions must be passed on to recipients", "condition",
                           condition=f"pass the use restrictions of {prof.license} on to your users or recipients")
        redistribution = t.get("redistribution")
        if redistribution is not None and redistribution.attitude == "cannot" and (facts.distribution or re.search(
                r"\b(resell\w*|sublicens\w*|lease|rent\w*) (\w+ ){0,2}(access|accounts?|the service|our service)", facts.text, re.I)):
            self._add_term(result, prof, redistribution, f"{prof.name} does not allow passing the model or service on",
                           "prohibited")
        if facts.relicense and "share_alike" in t:
            self._add_term(result, prof, t["share_alike"], "copies and derivatives must stay under this license's own "
                           "terms; passing them on under other terms is not allowed", "prohibited")
        elif facts.derivative and facts.distribution and "share_alike" in t:
            self._add_term(result, prof, t["share_alike"], "modified versions must be shared under the same license",
                           "condition", condition=f"release your modifications under {prof.license}")
        if facts.litigation and "termination_litigation" in t:
            if re.search(r"patent\s+licen[cs]es?\s+granted", self._clauses_of(prof, t["termination_litigation"], 2),
                         re.I):
                # only the patent license ends (Apache-2.0 style): the copyright license remains
                self._add_term(result, prof, t["termination_litigation"], "bringing such a claim ends your patent "
                               "license", "condition", condition=f"suing over the model's patents terminates the patent "
                                                                  f"license of {prof.license}")
            else:
                self._add_term(result, prof, t["termination_litigation"], "bringing such a claim ends every license "
                               "granted to you, so the use cannot continue", "prohibited")
        if "geo_restriction" in t and facts.unsupported_region and t["geo_restriction"].attitude == "cannot":
            self._add_term(result, prof, t["geo_restriction"], f"{prof.name} may only be used where it is offered; "
                           "using it from elsewhere (or routing around the restriction) is not allowed", "prohibited")
        if "geo_restriction" in t and facts.regions:
            regions = set(t["geo_restriction"].params.get("regions", []))
            hit = [r for r in facts.regions if r in regions or (r == "European Union" and "EEA" in regions)]
            if hit:
                if _CARVE_OUT_EXCEPTION.search(self._clauses_of(prof, t["geo_restriction"], 3)):
                    # scoped carve-outs ("multimodal models only", "does not apply to end users"): whether
                    # this use falls under it depends on facts the use does not give
                    self._add_term(result, prof, t["geo_restriction"], f"the license carves out {', '.join(hit)}",
                                   "condition", condition=f"check the regional exclusion of {prof.license} for "
                                                          f"{', '.join(hit)}: the rights may not extend there")
                else:
                    self._add_term(result, prof, t["geo_restriction"], f"the license grants no rights in "
                                   f"{', '.join(hit)}", "prohibited")

    def _excluded_industries(self, prof: Profile, facts: UseFacts, result: CheckResult):
        """Restrictions on who the licensee is: a named industry the use's business is in (or tied to)."""
        if not facts.industries:
            return
        for f in self.profiler.features(prof.license):
            if not (f.flags["restrictive"] or f.flags["aup"]) or f.flags["definition"]:
                continue
            for industry, tie in facts.industries.items():
                if clause_excludes(f.clause.text, industry):
                    quote = best_quote(f.clause.text, re.compile(INDUSTRIES[industry][0], re.I))[0]
                    if tie == "direct":
                        why, effect = f"{prof.name} excludes licensees in {industry}", "prohibited"
                    else:
                        why, effect = (f"{prof.name} excludes licensees in {industry} and may reach those tied to them "
                                       "(affiliates, agents): review", "review")
                    if not any(x.clause_id == f.clause.id and x.effect == effect for x in result.findings):
                        result.findings.append(Finding(prof.license, f.clause.id, "other_use", "cannot", quote, why,
                                                       effect))

    def _similar_restrictions(self, prof: Profile, facts: UseFacts, use_vec: np.ndarray, result: CheckResult):
        """Restriction clauses close to the use even when no category names it (other phrasings)."""
        if facts.vague:
            return
        feats = self.profiler.features(prof.license)
        if not feats:
            return
        restrictive = [f for f in feats if (f.flags["restrictive"] or f.flags["aup"]) and not f.flags["definition"]
                       and not f.clause.text.rstrip().endswith(":")]
        if not restrictive:
            return
        sims = np.stack([f.vector for f in restrictive]) @ use_vec
        best = int(np.argmax(sims))
        f, s = restrictive[best], float(sims[best])
        already = {x.clause_id for x in result.findings}
        if f.clause.id in already:
            return
        term_idx = int(np.argmax(f.sims))
        category = list(load_taxonomy())[term_idx] if f.sims[term_idx] > 0.4 else "other_use"
        quote = best_quote(f.clause.text, load_taxonomy()[category].clause_re)[0]
        if s >= _RESTRICT_SIM:
            result.findings.append(Finding(prof.license, f.clause.id, category, "cannot", quote,
                                           f"this restriction of {prof.name} closely matches the described use "
                                           f"(similarity {s:.2f})", "prohibited"))
        elif s >= _REVIEW_SIM and set(facts.categories) - {"other_use"}:
            result.findings.append(Finding(prof.license, f.clause.id, category, "cannot", quote,
                                           f"this restriction may cover the use (similarity {s:.2f}); review it", "review"))

    def _grants(self, prof: Profile, facts: UseFacts, result: CheckResult):
        wanted = ["commercial_use"] if facts.commercial else []
        if facts.derivative:
            wanted.append("derivatives")
        if facts.distribution:
            wanted.append("redistribution")
        wanted = wanted or ["commercial_use", "derivatives", "redistribution"]
        if not any(w in prof.terms for w in wanted) and not ({"noncommercial", "research_only"} & set(prof.terms)):
            # A license that grants rights without limiting them to non-commercial or research use grants
            # them for this use too: cite the grant it has.
            wanted = [w for w in ("commercial_use", "derivatives", "redistribution") if w in prof.terms][:1]
        for w in wanted:
            if w in prof.terms and prof.terms[w].attitude == "can":
                term = prof.terms[w]
                # The grant cited for a use is a clause that grants rights ("grants you a … license to use …"),
                # not the first clause the term was read from (e.g. "you may add your own copyright statement").
                # When this term was read from no such clause, the license's rights grant read under another
                # grant term (the one sentence that grants use, copying, modification and distribution) is it.
                pool = term.evidence + [e for g in ("commercial_use", "derivatives", "redistribution")
                                        if g != w and g in prof.terms and prof.terms[g].attitude == "can"
                                        for e in prof.terms[g].evidence]
                rights = [e for e in pool
                          if _grants_rights(self.profiler.clause_text(prof.license, e.clause_id) or e.quote)]
                if rights and rights[0] is not term.evidence[0]:
                    term = replace(term, evidence=[rights[0]] + [e for e in term.evidence if e is not rights[0]])
                self._add_term(result, prof, term, f"{prof.name} grants this", "grant", limit=1)
                break

    # --- assembling ------------------------------------------------------------------
    def _verdict(self, facts: UseFacts, result: CheckResult) -> str:
        effects = {f.effect for f in result.findings}
        if "prohibited" in effects:
            return "prohibited"
        if facts.vague or not result.licenses:
            return "unclear"
        # a use that may fall under a category, next to a policy whose text is missing, cannot be cleared
        # (an AI-disclosure duty the use only resembles is a condition, not a reason to withhold a verdict)
        behavioural = [c for c in facts.categories if c != "other_use" and not (
            c == "ai_disclosure" and facts.category_scores.get(c, 0.0) < 1.0)] + [
            c for c in facts.possible if c != "other_use" and c not in _GENERIC_DUTIES]
        missing_policy = any(f.effect == "missing" for f in result.findings) or any(
            "not in the corpus" in m for m in result.missing)
        if (behavioural and missing_policy) or "review" in effects:
            return "unclear"
        if "condition" in effects or result.conditions:
            return "conditional"
        grants = "grant" in effects or all(self.corpus.get(k).kind == "aup" for k in result.licenses)
        return "allowed" if grants else "unclear"

    def _add_term(self, result: CheckResult, prof: Profile, term: TermResult, why: str, effect: str,
                  condition: str | None = None, limit: int = 2):
        for ev in term.evidence[:limit]:
            if any(f.clause_id == ev.clause_id and f.effect == effect for f in result.findings):
                continue
            result.findings.append(Finding(prof.license, ev.clause_id, term.term, term.attitude, ev.quote, why, effect))
        if condition and condition not in result.conditions:
            result.conditions.append(condition)

    def _add(self, result, prof, clause_id, category, attitude, why, effect):
        text = self.profiler.clause_text(prof.license, clause_id)
        if text is None or any(f.clause_id == clause_id and f.effect == effect for f in result.findings):
            return
        quote = best_quote(text, load_taxonomy()[category].clause_re)[0]
        result.findings.append(Finding(prof.license, clause_id, category, attitude, quote, why, effect))

    def _answer(self, r: CheckResult) -> str:
        lines = [f"Verdict: {r.verdict.upper()}."]
        decisive = {"prohibited": "prohibited", "conditional": "condition", "allowed": "grant", "unclear": "review"}[r.verdict]
        for f in [f for f in r.findings if f.effect == decisive][:3]:
            lines.append(f"- {f.why} [{f.clause_id}]: \"{_short(f.quote)}\"")
        if r.conditions and r.verdict != "prohibited":
            lines.append("Conditions: " + "; ".join(r.conditions))
        if r.missing:
            lines.append("Missing: " + "; ".join(r.missing))
        if r.verdict == "allowed" and not r.findings:
            lines.append("No clause of the texts at hand restricts this use.")
        return "\n".join(lines)


_VAGUE = ("the use is too vague to check: say what the model will do, for whom, and whether you distribute it, "
          "host it or sell it")
# A clause that grants rights: a grant verb followed, within the sentence, by a right over the work, or "you may"
# directly followed by such a right ("You may use, reproduce, modify …"); "nothing … grants you any rights" is
# the opposite.
RIGHTS_GRANT = re.compile(r"\b(grants?|granted|licen[cs]es? you)\b[^.;]{0,300}?\b(use|reproduce|distribute|modify|"
                          r"sell|copy|create derivative|prepare derivative)|\byou may,? (use|reproduce|copy|modify|"
                          r"distribute|sell)\b", re.I | re.S)
NO_GRANT = re.compile(r"\b(nothing|no|not)\b[^.;]{0,60}\bgrants?\b", re.I)


def _grants_rights(text: str) -> bool:
    return bool(RIGHTS_GRANT.search(text)) and not NO_GRANT.search(text)


def _short(text: str, n: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"
