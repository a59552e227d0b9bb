"""The census's per-repo decision, made by the audit (agent/audit): once per distinct decision signature.

The census writes no conflict rules of its own. A repo's decision depends only on its card's license
fields, the texts its license files were identified as, its relation to its base and the texts its
upstreams declare; repos that agree on those (most of the hub: thousands of Llama fine-tunes tagged the
same way) share one decision. For each distinct signature a `ModelRepo` is built from the card fields and
the audit's own pieces decide: `card_license_keys` (what the card's ids stand for), `Inherited` (the
upstream texts the census resolved across the hub, lineage.py), and the duty families — `declared.check`
for the declared-license conflicts and `license: other` fields, `clauses_for` for the duties the
inherited texts create. Restriction categories (taxonomy behavioural terms the texts forbid) come from
the same profiles, so "carried" and "dropped" along a lineage mean what the audit's profiles say.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from agent.audit.context import AuditContext
from agent.audit.duties import declared as declared_duties
from agent.audit.duties._common import clauses_for
from agent.audit.evidence import RepoTexts
from agent.audit.inherited import Inherited, card_license_keys
from agent.audit.result import UNMET, Upstream
from agent.audit.rules import rules
from agent.models import ModelResolver, policies_for_license
from agent.present.text import duty_missing
from agent.terms.profile import Profiler
from corpus.catalog import Corpus, builtin_spec
from corpus.modelrepo import ModelRepo
from corpus.taxonomy import load_taxonomy


@dataclass(frozen=True)
class Record:
    """What a repo's decision depends on (its card fields and identified license files)."""
    licenses: tuple[str, ...]
    license_name: str | None
    license_link: str | None
    relation: str | None
    has_base: bool
    identified: tuple[str, ...] = ()        # corpus keys its license files were identified as
    custom_text: bool = False               # a license file that is no corpus text


@dataclass(frozen=True)
class Resolved:
    """The upstream texts the census found for a repo: one tuple of corpus keys per ancestor, nearest first."""
    upstreams: tuple[tuple[str, ...], ...] = ()


@dataclass
class RepoRow:
    """The decided columns of a repo's row in the census table (the rest are the record's own fields)."""
    declared_keys: list[str] = field(default_factory=list)
    declared_unknown: list[str] = field(default_factory=list)
    family: str = "none"
    inherited_keys: list[str] = field(default_factory=list)
    lineage_family: str | None = None
    conflicts: list[str] = field(default_factory=list)
    conflict_detail: str = ""
    license_fields: str | None = None        # met | unmet for `license: other`; None otherwise
    consistency: str | None = None           # the audit's license_consistency status (derivatives)
    duties_owed: list[str] = field(default_factory=list)
    restrictions_inherited: list[str] = field(default_factory=list)
    restrictions_carried: list[str] = field(default_factory=list)
    restrictions_dropped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class Decider:
    """One per process: the corpus, resolver and profiler (profiles cached by content hash) are reused."""

    def __init__(self, corpus: Corpus, profiler: Profiler):
        self.corpus = corpus
        self.profiler = profiler
        self.resolver = ModelResolver(corpus)
        self._restrictions: dict[str, frozenset[str]] = {}
        self._owed: dict[tuple, list[str]] = {}
        self._own: dict[tuple, tuple[list[str], list[str]]] = {}
        self._behavioural = {t.id for t in load_taxonomy().values() if t.group == "behavioural"}

    # --- helpers the lineage stage uses too --------------------------------------------------
    def own_keys(self, licenses: tuple[str, ...], license_name: str | None,
                 identified: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
        """(corpus keys, unknown ids) a card's license fields stand for, plus its identified license files."""
        k = (licenses, license_name, identified)
        if k not in self._own:
            repo = ModelRepo(source="hub", card_path="README.md",
                             card_meta={"license": list(licenses), **({"license_name": license_name} if license_name else {})})
            lic, pol, _missing, unknown = card_license_keys(repo, self.resolver)
            keys = list(dict.fromkeys(lic + pol))
            # The files stand for the license only when the card names none the corpus holds (no license,
            # `other` without a known license_name, an unknown id); a card's own id is what it declares.
            for key in (identified if not keys else ()):  # a license file's text stands for its license and the policies that go with it
                if key not in keys:
                    keys.append(key)
                present, _ = policies_for_license(key, self.corpus)
                keys += [p for p in present if p not in keys]
            if keys:
                unknown = [u for u in unknown if u.lower() != "other"]
            self._own[k] = (keys, unknown)
        return self._own[k]

    def family(self, keys: list[str]) -> str | None:
        for key in keys:
            fam = builtin_spec().get(key, {}).get("family")
            if fam:
                return fam
        return keys[0] if keys else None

    def restrictions(self, key: str) -> frozenset[str]:
        """Behavioural terms the text forbids (its use restrictions), from its profile."""
        if key not in self._restrictions:
            prof = self.profiler.profile(key)
            self._restrictions[key] = frozenset(t.term for t in prof.terms.values()
                                                if t.term in self._behavioural and t.attitude == "cannot")
        return self._restrictions[key]

    # --- the decision ------------------------------------------------------------------------
    def decide(self, record: Record, resolved: Resolved) -> RepoRow:
        keys, unknown = self.own_keys(record.licenses, record.license_name, record.identified)
        meta = {"license": list(record.licenses)}
        if record.license_name:
            meta["license_name"] = record.license_name
        if record.license_link:
            meta["license_link"] = record.license_link
        if record.has_base:
            meta["base_model"] = "upstream-1"
            if record.relation:
                meta["base_model_relation"] = record.relation
        repo = ModelRepo(source="hub", card_path="README.md", card_meta=meta)
        inh = Inherited(declared=keys, declared_ids=list(record.licenses), declared_unknown=unknown)
        for depth, up_keys in enumerate(resolved.upstreams, 1):
            ks = [k for k in up_keys if self.corpus.exists(k)]
            inh.upstreams.append(Upstream(model=f"upstream-{depth}", relation=record.relation or "finetune",
                                          licenses=[k for k in ks if self.corpus.get(k).kind == "license"],
                                          policies=[k for k in ks if self.corpus.get(k).kind != "license"],
                                          via="census"))
        ctx = AuditContext(repo, RepoTexts(repo), inh, self.profiler, self.corpus)
        row = RepoRow(declared_keys=keys, declared_unknown=unknown,
                      family=self.family(keys) or ("custom" if record.custom_text else "none"))
        inherited = [k for k, _ in inh.texts() if k not in keys]
        row.inherited_keys = inherited
        row.lineage_family = self.family([k for ks in reversed(resolved.upstreams) for k in ks]) if resolved.upstreams else None
        details = []
        for d in declared_duties.check(ctx):
            if d.id == "license_fields":
                row.license_fields = d.status
                if d.status == UNMET:
                    row.conflicts.append("license_fields")
                    details.append(duty_missing(d))
            elif d.id == "license_consistency":
                row.consistency = d.status
                if d.conflict:
                    row.conflicts += [c for c in d.conflicts if c not in row.conflicts]
                    details.append(duty_missing(d))
        row.conflict_detail = "; ".join(details)
        # Duties the inherited and declared texts create (their status needs the repo's files: see pipeline).
        # They depend on the upstream texts and the relation only: asked once per such pair.
        owed_key = (tuple((u.relation, tuple(u.licenses)) for u in inh.upstreams),)
        if owed_key not in self._owed:
            self._owed[owed_key] = [duty_id for duty_id, spec in rules()["duties"].items()
                                    if spec.get("term") and clauses_for(ctx, duty_id)]
        row.duties_owed = list(self._owed[owed_key])
        upstream = [k for k, _ in inh.texts()]  # every upstream text, also those the repo declares itself
        if upstream:
            base_r = frozenset().union(*(self.restrictions(k) for k in upstream))
            own_r = frozenset().union(*(self.restrictions(k) for k in keys)) if keys else frozenset()
            row.restrictions_inherited = sorted(base_r)
            row.restrictions_carried = sorted(base_r & own_r)
            row.restrictions_dropped = sorted(base_r - own_r)
        return row


def decide(decider: Decider, record: Record, resolved: Resolved) -> RepoRow:
    """The per-repo decision (the brief's `decide(record, resolved) -> RepoRow`), made by the audit."""
    return decider.decide(record, resolved)
