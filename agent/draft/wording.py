"""modelterms' own license wording (templates/*.yaml) and what it offers: the restrictions a draft can choose."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from corpus.taxonomy import load_taxonomy
from corpus.yamldata import read_yaml

TEMPLATE_FILE = "v1.yaml"


@dataclass(frozen=True)
class Templates:
    data: dict
    version: str  # "<series>+<content hash>": any edit to the file changes it


@lru_cache(maxsize=4)
def load_templates(name: str = TEMPLATE_FILE) -> Templates:
    raw = resources.files("agent.draft").joinpath("templates", name).read_bytes()
    data = read_yaml(raw.decode("utf-8"))
    return Templates(data, f"{data['series']}+{hashlib.sha256(raw).hexdigest()[:12]}")


def restriction_ids() -> list[str]:
    """Taxonomy ids a draft can choose as use restrictions (the behavioural terms with a template)."""
    tpl = load_templates().data["restrictions"]
    return [t.id for t in load_taxonomy().values() if t.group == "behavioural" and t.id in tpl]
