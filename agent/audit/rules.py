"""The audit's rules file (rules.yaml), loaded once and compiled."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def rules() -> dict:
    data = yaml.safe_load(resources.files("agent.audit").joinpath("rules.yaml").read_text(encoding="utf-8"))
    for spec in data["duties"].values():
        if spec.get("clause"):
            spec["clause_re"] = re.compile(spec["clause"], re.I)
    for src in data["output_sources"]:
        src["re"] = re.compile(src["pattern"], re.I)
    data["output_claim_re"] = re.compile(data["output_claim"], re.I)
    data["evidence_files_re"] = re.compile(data["evidence_files"], re.I)
    return data


def duty_spec(duty_id: str) -> dict:
    return rules()["duties"][duty_id]
