"""A resolved spec rendered into blocks of template wording, and those blocks as Markdown and plain text.
The text is a pure function of (spec, template version)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .spec import DraftSpec
from .wording import load_templates


@dataclass
class Block:
    kind: str  # title | subtitle | heading | para | def | item | lead
    text: str
    number: str = ""
    terms: list[str] = field(default_factory=list)
    custom: int | None = None  # index into spec.custom_restrictions
    key: str = ""  # the template it comes from ("restrictions.illegal"): provenance searches its wording


def artifact_noun(spec: DraftSpec) -> str:
    tpl = load_templates().data
    if len(spec.artifacts) == 1:
        return tpl["artifacts"][spec.artifacts[0]]["noun"]
    return tpl["combined_noun"]


def short_name(spec: DraftSpec) -> str:
    tpl = load_templates().data
    letters = "".join(tpl["artifacts"][a]["letter"] for a in spec.artifacts)
    prefix = tpl["families"][spec.family]["prefix"]
    return f"{prefix}RAIL-{letters}" if prefix == "Open" else f"{prefix}RAIL-{letters}".strip()


def license_name(spec: DraftSpec) -> str:
    return spec.name or f"{spec.licensor} {short_name(spec)} License"


def render(spec: DraftSpec) -> tuple[list[Block], str, str]:
    """(blocks, markdown, plain text) of a resolved spec whose custom restrictions are drafted."""
    T = load_templates()
    t = T.data
    A = artifact_noun(spec)
    name = license_name(spec)
    fam = t["families"][spec.family]
    values = {
        "licensor": spec.licensor, "A": A, "name": name, "version": spec.version,
        "users": f"{spec.user_threshold:,}" if spec.user_threshold else "",
        "revenue": f"{spec.revenue_threshold:,}" if spec.revenue_threshold else "",
        "notice": spec.attribution_notice or "", "prefix": spec.naming_prefix or "",
        "regions": _join_words(spec.geo_exclusions), "jurisdiction": spec.jurisdiction or "",
        "policy_url": spec.policy_url or "",
    }
    values["scope"] = t["scope"]["noncommercial" if spec.noncommercial else "commercial"]
    values["family_blurb"] = fam["blurb"].format(**values)

    def f(s: str, **extra) -> str:
        return s.format(**{**values, **extra})

    blocks: list[Block] = [
        Block("title", name),
        Block("subtitle", f"Version {spec.version} — {fam['long']} ({short_name(spec)} style). "
                          f"Draft for legal review, prepared with modelterms (template {T.version}, spec {spec.spec_hash()})."),
        Block("para", f(t["preamble"]).replace("\n", " ")),
    ]
    sections: list[tuple[str, list[Block]]] = []

    def para(section: str, name: str, term: str) -> Block:
        """The template's paragraph `section.name`, carrying one taxonomy term (the read-back checks it)."""
        return Block("para", f(t[section][name]), terms=[term], key=f"{section}.{name}")

    # 1. Definitions
    d = t["definitions"]
    defs = [Block("def", f(d["license"])), Block("def", f(d["licensor"])), Block("def", f(d["you"]))]
    if len(spec.artifacts) == 1:
        defs.append(Block("def", f(d["artifact_single"], what=t["artifacts"][spec.artifacts[0]]["what"])))
    else:
        parts = _join_words([t["artifacts"][a]["what"] for a in spec.artifacts], "and")
        defs.append(Block("def", f(d["artifact_combined"], parts=parts)))
    defs.append(Block("def", f(d["derivative"], distill=f(d["derivative_distill"]) if spec.distillation_derivative else ""),
                      terms=["distillation_derivative"] if spec.distillation_derivative else [], key="definitions.derivative"))
    defs.append(Block("def", f(d["output"])))
    defs.append(Block("def", f(d["distribution"], hosted=f(d["distribution_hosted"]) if spec.hosted_is_distribution else ""),
                      terms=["hosted_is_distribution"] if spec.hosted_is_distribution else [], key="definitions.distribution"))
    if spec.noncommercial and spec.family != "research-only":
        defs.append(Block("def", f(d["noncommercial"])))
    if spec.family == "research-only":
        defs.append(Block("def", f(d["research"])))
    sections.append(("Definitions", defs))

    # 2. Grant
    g = t["grant"]
    grant: list[Block] = []
    if spec.family == "open-rail":
        key = "open_noncommercial" if spec.noncommercial else "open_commercial"
    elif spec.family == "restricted":
        key = "restricted_noncommercial" if spec.noncommercial else "restricted_commercial"
    else:
        key = "research"
    terms = ["derivatives"] + ([] if spec.family == "restricted" else ["redistribution"])
    terms += [] if spec.noncommercial else ["commercial_use"]
    terms += ["research_only"] if spec.family == "research-only" else []
    grant.append(Block("para", f(g[key]), terms=terms, key=f"grant.{key}"))
    if spec.family == "research-only":
        grant.append(para("grant", "purpose_research", "noncommercial"))
    elif spec.noncommercial:
        grant.append(para("grant", "purpose_noncommercial", "noncommercial"))
    if spec.patent_grant:
        grant.append(para("grant", "patent", "patent_grant"))
    if spec.family == "restricted":
        grant.append(Block("para", f(g["no_sharing"])))
    if spec.geo_exclusions:
        grant.append(para("commercial", "regions", "geo_restriction"))
    sections.append((g["heading"], grant))

    # 3. Conditions
    c = t["conditions"]
    cond: list[Block] = []
    if spec.restrictions or spec.custom_restrictions:
        cond.append(Block("para", f(c["use"])))
    if spec.policy_url:
        cond.append(para("conditions", "policy", "aup_by_reference"))
    if spec.noncommercial and spec.family != "research-only":
        cond.append(para("conditions", "noncommercial", "noncommercial"))
    if spec.family == "research-only":
        cond.append(para("conditions", "research_only", "research_only"))
    if spec.attribution:
        cond.append(para("conditions", "attribution_notice" if spec.attribution_notice else "attribution", "attribution"))
    if spec.naming_prefix:
        cond.append(para("conditions", "naming", "naming"))
    if spec.flowdown:
        cond.append(para("conditions", "flowdown", "flowdown"))
    if spec.hosted_is_distribution:
        cond.append(para("conditions", "hosted_restricted" if spec.family == "restricted" else "hosted",
                         "hosted_is_distribution"))
    if spec.terms_update:
        cond.append(para("conditions", "terms_update", "terms_update"))
    if cond:
        sections.append((c["heading"], cond))

    # 4. Commercial thresholds
    m = t["commercial"]
    com: list[Block] = []
    if spec.registration:
        com.append(para("commercial", "registration", "registration"))
    if spec.user_threshold:
        com.append(para("commercial", "users", "user_threshold"))
    if spec.revenue_threshold:
        com.append(para("commercial", "revenue", "revenue_threshold"))
    if com:
        sections.append((m["heading"], com))

    # 5. Outputs
    o = t["outputs"]
    outs: list[Block] = []
    if spec.output_ownership in ("licensee", "licensor"):
        outs.append(para("outputs", spec.output_ownership, "output_ownership"))
    if spec.output_training_ban:
        outs.append(para("outputs", "training_ban", "output_training_ban"))
    if outs:
        sections.append((o["heading"], outs))

    # 6. Termination
    tm = t["termination"]
    term = [Block("para", f(tm["breach"]))]
    if spec.termination_litigation:
        term.append(para("termination", "litigation", "termination_litigation"))
    if spec.guardrail_termination:
        term.append(para("termination", "guardrails", "guardrail_termination"))
    term.append(Block("para", f(tm["survival"])))
    sections.append((tm["heading"], term))

    # 7. Disclaimer, 8. Law
    ds = t["disclaimer"]
    sections.append((ds["heading"], [para("disclaimer", "warranty", "warranty_disclaimer"),
                                     para("disclaimer", "liability", "warranty_disclaimer")]))
    if spec.jurisdiction:
        sections.append((t["law"]["heading"], [Block("para", f(t["law"]["text"]))]))

    for i, (heading, body) in enumerate(sections, 1):
        blocks.append(Block("heading", heading, number=str(i)))
        for j, b in enumerate(body, 1):
            if b.kind == "para":
                b.number = f"{i}.{j}"
            blocks.append(b)

    # Attachment A
    att = t["attachment"]
    items: list[Block] = []
    for rid in spec.restrictions:
        items.append(Block("item", f(t["restrictions"][rid]), terms=[rid], key=f"restrictions.{rid}"))
    for k, cr in enumerate(spec.custom_restrictions):
        body = cr.clause.rstrip().rstrip(".;")
        items.append(Block("item", f"{body} {att['custom_marker']};", terms=list(cr.terms), custom=k))
    if items:
        blocks.append(Block("heading", att["heading"], number="A"))
        blocks.append(Block("lead", f(att["lead"])))
        for n, b in enumerate(items):
            # letters as licenses use them; numbers past (z), which no reader (or segmenter) takes for a letter
            b.number = _letters(n) if len(items) <= 26 else str(n + 1)
            if n == len(items) - 1:
                b.text = b.text.rstrip(";") + "."
            blocks.append(b)
    return blocks, to_markdown(blocks), to_text(blocks)


def _letters(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def _join_words(items: list[str], conj: str = "or") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def to_markdown(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if b.kind == "title":
            out.append(f"# {b.text}")
        elif b.kind == "subtitle":
            out.append(f"*{b.text}*")
        elif b.kind == "heading":
            out.append(f"## {b.text}" if b.number == "A" else f"## {b.number}. {b.text}")
        elif b.kind in ("para", "def", "lead"):
            out.append(f"{b.number} {b.text}" if b.number else b.text)
        elif b.kind == "item":
            out.append(f"({b.number}) {b.text}")
    return "\n\n".join(out) + "\n"


def to_text(blocks: list[Block], width: int = 0) -> str:
    out = []
    for b in blocks:
        if b.kind == "title":
            out.append(b.text.upper())
        elif b.kind == "subtitle":
            out.append(b.text)
        elif b.kind == "heading":
            out.append(b.text.upper() if b.number == "A" else f"{b.number}. {b.text.upper()}")
        elif b.kind in ("para", "def", "lead"):
            out.append(f"{b.number} {b.text}" if b.number else b.text)
        elif b.kind == "item":
            out.append(f"({b.number}) {b.text}")
    return "\n\n".join(out) + "\n"
