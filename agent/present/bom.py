"""CycloneDX 1.6 ML-BOM of the resolved license chain (cyclonedx-python-lib): the audited model and every
upstream model as machine-learning-model components with their licenses, and base → derivative dependencies."""
from __future__ import annotations

import json

from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.license import DisjunctiveLicense
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.spdx import is_supported_id
from cyclonedx.validation.json import JsonStrictValidator

from corpus.catalog import Corpus

from ..audit.result import AuditResult


def _licenses(keys: list[str], corpus: Corpus) -> list[DisjunctiveLicense]:
    out = []
    for k in keys:
        entry = corpus.get(k) if corpus.exists(k) else None
        spdx = entry.spdx if entry is not None else None
        if spdx and is_supported_id(spdx):
            out.append(DisjunctiveLicense(id=spdx))
        else:
            out.append(DisjunctiveLicense(name=(entry.name if entry else k)))
    return out


def to_cyclonedx(r: AuditResult, corpus: Corpus) -> str:
    """The BOM as CycloneDX 1.6 JSON text."""
    name = r.repo.get("name") or r.target
    root = Component(name=name, type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref="model:" + name,
                     version=r.repo.get("revision") or None,
                     licenses=_licenses(r.declared, corpus) or
                     [DisjunctiveLicense(name=x) for x in (r.repo.get("license") or [])],
                     properties=[Property(name="modelterms:audit:" + k, value=str(v))
                                 for k, v in {**r.counts(), "conflicts": len(r.conflicts)}.items()])
    bom = Bom()
    bom.metadata.component = root
    refs = {}
    for up in r.upstreams:
        ref = f"model:{up.model}"
        if ref in refs or ref == root.bom_ref.value:
            continue
        comp = Component(name=up.model, type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=ref,
                         licenses=_licenses(up.licenses + up.policies, corpus),
                         properties=[Property(name="modelterms:relation", value=up.relation),
                                     Property(name="modelterms:resolved-via", value=up.via or "unknown")])
        refs[ref] = comp
        bom.components.add(comp)
    for comp in refs.values():
        bom.register_dependency(root, [comp])
    return JsonV1Dot6(bom).output_as_string(indent=2)


def validate_cyclonedx(text: str) -> str | None:
    """None when the BOM validates against CycloneDX 1.6 (the library's own strict validator), else the error."""
    err = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return None if err is None else str(err)


def bom_json(r: AuditResult, corpus: Corpus) -> dict:
    return json.loads(to_cyclonedx(r, corpus))


