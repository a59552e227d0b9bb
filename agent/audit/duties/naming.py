"""Derivative naming: texts that require a prefix at the beginning of a derived model's name ("Llama")."""
from __future__ import annotations

import re

from ..clauses import prefix_in
from ..context import AuditContext
from ..result import MET, UNMET, Duty, Fix, Gap, Location
from ..rules import duty_spec
from ._common import clauses_for

ID = "derivative_naming"


def model_name(ctx: AuditContext) -> tuple[str, Location | None]:
    """The name the model is published under: the card's model_name, else the repo id's name, else the folder."""
    repo = ctx.repo
    for field_name in ("model_name", "name"):
        if repo.card_meta.get(field_name):
            return str(repo.card_meta[field_name]), ctx.texts.card_field_line(field_name)
    if repo.repo_id:
        return repo.repo_id.split("/", 1)[-1], None
    return (repo.root.name if repo.root else repo.name), None


def check(ctx: AuditContext) -> list[Duty]:
    spec = duty_spec(ID)
    duties, seen = [], set()
    for key, up, dc in clauses_for(ctx, ID):
        prefix = prefix_in(dc.text)
        if not prefix or prefix.lower() in seen:
            continue
        seen.add(prefix.lower())
        name, where = model_name(ctx)
        d = Duty(ID, spec["title"], UNMET, [dc.source(up.model)], detail={"license": key, "prefix": prefix, "name": name})
        if re.match(re.escape(prefix), name.strip(), re.I):
            d.status, d.evidence = MET, where or Location("(repository name)", None, name)
        else:
            d.evidence = where
            d.gaps.append(Gap("name_prefix", model=name, prefix=prefix))
            example = f"{prefix}-{name}" if not name.lower().startswith(prefix.lower()) else name
            d.fix = Fix(ID, prefix=prefix, example=example)
        duties.append(d)
    return duties
