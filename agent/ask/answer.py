"""The grounded answer to a question: what the question adds (which target it named, a follow-up) around the
text presenter's rendering of the result (agent/present/text.py). No LLM."""
from __future__ import annotations

from corpus.display import shorten

from ..check import CheckResult
from ..models import Resolution
from ..present import text
from .question import Question


def target_line(q: Question, res: Resolution | None) -> str:
    """What the question named → the texts it resolved to."""
    if res is None or not (res.keys or res.missing):
        return ""
    named = ", ".join(t.label for t in q.targets if t.kind != "other") or res.query
    keys = ", ".join(res.keys) or "no text in the corpus"
    return f"{named} → {keys}"


def check_answer(q: Question, result: CheckResult) -> str:
    lines = []
    tl = target_line(q, result.resolution)
    if tl:
        lines.append(tl)
    if q.followup == "target":
        lines.append("(same use as before: " + shorten(q.use, 120) + ")")
    elif q.followup == "use":
        lines.append("(same model/license as before)")
    return "\n".join(lines + text.check_explained(result))


def no_target_answer(q: Question, examples: list[str]) -> str:
    unclear = text.VERDICT_HEAD["unclear"]
    if q.ambiguous:
        which = ", ".join(q.ambiguous)
        return (f"Verdict: {unclear}\nWhich version of {which} do you mean? The versions have different terms "
                f"(e.g. {', '.join(examples[:3])}). Name the version, a model id such as meta-llama/Llama-3.1-8B, "
                "or a license key.")
    return ("Verdict: " + unclear + "\nName the model or license to check, e.g. " + ", ".join(examples[:3])
            + " (a Hugging Face model id, a model name with its version, or a license key from "
            "`modelterms corpus list`).")


def resolve_answer(q: Question, res: Resolution, corpus) -> str:
    return text.resolution_brief(res, corpus, target_line(q, res))


profile_answer = text.profiles_brief
search_answer = text.search_hits
compare_answer = text.comparison_brief
