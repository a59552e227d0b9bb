"""`census --from-hub`: the Hub's model list through huggingface_hub (`list_models(full=True, cardData=True)`,
paginated by the Hub's Link headers), written as the JSON-lines dump the census reads."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from corpus.atomic import SHARED, atomic_output
from corpus.errors import ModeltermsError



def _record(m) -> dict:
    card = getattr(m, "card_data", None)
    card = card.to_dict() if hasattr(card, "to_dict") else card
    gated = getattr(m, "gated", None)
    return {"id": m.id, "author": getattr(m, "author", None),
            "createdAt": _iso(getattr(m, "created_at", None)), "lastModified": _iso(getattr(m, "last_modified", None)),
            "gated": gated if gated is not None else False, "downloads": getattr(m, "downloads", None),
            "likes": getattr(m, "likes", None), "tags": list(getattr(m, "tags", None) or []),
            "pipeline_tag": getattr(m, "pipeline_tag", None), "cardData": card or None,
            "siblings": [{"rfilename": s.rfilename} for s in (getattr(m, "siblings", None) or [])]}


def _iso(value) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z") if isinstance(value, datetime) else value


def list_hub(out: Path, endpoint: str | None, token: str | None = None, limit: int | None = None,
             author: str | None = None) -> int:
    """Lists the Hub's models into `out` (JSON lines; written whole or not at all). Returns the count."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint, token=token or None)
    n = 0
    try:
        with atomic_output(out, SHARED) as tmp, open(tmp, "w", encoding="utf-8") as f:
            for m in api.list_models(full=True, cardData=True, limit=limit, author=author):
                f.write(json.dumps(_record(m), default=str) + "\n")
                n += 1
    except ModeltermsError:
        raise
    except Exception as e:  # noqa: BLE001 - any failure of the listing is one line
        raise ModeltermsError(f"could not list models from {endpoint or 'the Hub'}: {str(e).splitlines()[0][:200]}")
    return n
