"""The audit's rules file (rules.yaml), loaded once and compiled."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from corpus.yamldata import read_yaml


@lru_cache(maxsize=1)
def rules() -> dict:
    data = read_yaml(resources.files("agent.audit").joinpath("rules.yaml").read_text(encoding="utf-8"))
    for spec in data["duties"].values():
        for name in ("clause", "clause_without_term", "clause_fallback"):
            if spec.get(name):
                # license texts wrap lines anywhere: a space in a pattern matches any run of whitespace
                spec[name + "_re"] = re.compile(spec[name].replace(" ", r"\s+"), re.I)
    for src in data["output_sources"]:
        src["re"] = re.compile(src["pattern"], re.I)
    data["creation_only_re"] = re.compile(data["creation_only"], re.I)
    data["outputs_clause_re"] = re.compile(data["outputs_clause"], re.I)
    data["output_claim_re"] = re.compile(data["output_claim"], re.I)
    data["evidence_files_re"] = re.compile(data["evidence_files"], re.I)
    return data


def duty_spec(duty_id: str) -> dict:
    return rules()["duties"][duty_id]
