"""Notice file: texts that require a "Notice" text file with a given wording (Llama, Gemma, Qwen, Stability, FLUX)."""
from __future__ import annotations

from ..clauses import quoted_after
from ..context import AuditContext
from ..result import MET, UNMET, Duty, Fix, Gap
from ..rules import duty_spec
from ._common import clauses_for

ID = "notice_file"


def check(ctx: AuditContext) -> list[Duty]:
    spec = duty_spec(ID)
    duties = []
    for key, up, dc in clauses_for(ctx, ID):
        text = ctx.corpus.get(key).text
        # the wording follows the clause's "following notice:" — possibly in the next clause (an indented block)
        wording = quoted_after(text, dc.start + dc.match_end, min_len=30)
        if not wording:
            continue  # a notice duty without a wording of its own (Apache's upstream NOTICE) is not checkable here
        d = Duty(ID, spec["title"], UNMET, [dc.source(up.model)], detail={"license": key, "wording": wording})
        loc = ctx.texts.find([wording], where="files", skip=set(ctx.shipped.values()))
        if loc is not None:
            d.status, d.evidence = MET, loc
        else:
            notices = [t.path for t in ctx.texts.files() if t.path.lower().startswith("notice")]
            d.gaps.append(Gap("notice_lacks_wording", file=notices[0]) if notices else Gap("no_notice"))
            d.fix = Fix(ID, wording=wording)
        duties.append(d)
    return duties
