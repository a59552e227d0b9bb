"""LLM-assisted reading: the LLM fills the same use frame through structured output.

The prompt is prompts/use_frame.md with the frame's JSON schema (this module's `LLMFrame`, a pydantic
model) inserted; `prompt_version()` hashes both. The use text goes to the LLM as a data element
(agent/llm/guard.py `frame`), never as an instruction.

What the LLM reading may change is one-sided, so that neither a misreading nor an injected
instruction can turn a ban into an allowance: it may *add* possible categories (review, never a
prohibition on its own) and facts that bring more rules into play (commercial, outputs used for
training, distribution, hosting, a decision about people, an EU establishment, a multimodal model).
It never removes a category or adds a cure (a person deciding, internal only, non-production,
an end user): those stay the grounded reader's. The rules still decide, and quotes stay verbatim
because they are cut from the clauses by the rules, not written by the LLM.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from corpus.taxonomy import load_taxonomy
from prompts import load

from ..llm.backends import LLMClient, LLMError, client_from_settings
from ..llm.guard import frame as data_element
from .facts import UseFacts


class LLMFrame(BaseModel):
    """The frame as the LLM fills it (validated before use)."""

    actor: str | None = Field(default=None, max_length=120)
    sector: str | None = Field(default=None, max_length=120)
    activity: str | None = Field(default=None, max_length=300)
    categories: list[str] = Field(default_factory=list, max_length=10)
    possible: list[str] = Field(default_factory=list, max_length=10)
    commercial: bool | None = None
    outputs_for_training: bool = False
    distribution: bool = False
    hosting: bool = False
    decision_about_people: bool = False
    established_in_eu: bool = False
    model_modality: Literal["text", "multimodal"] | None = None


def behavioural_ids() -> list[str]:
    return [t.id for t in load_taxonomy().values() if t.group == "behavioural" and t.id != "other_use"]


def schema_json() -> str:
    return json.dumps(LLMFrame.model_json_schema(), sort_keys=True)


def system_prompt() -> str:
    return load("use_frame").replace("{categories}", ", ".join(behavioural_ids())).replace("{schema}", schema_json())


def prompt_version() -> str:
    """The hash of the prompt template and the schema: any edit to either changes it."""
    return hashlib.sha256((load("use_frame") + "\0" + schema_json()).encode()).hexdigest()[:12]


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.I)


def parse_reply(text: str) -> LLMFrame:
    """The LLM's reply as a validated frame; ValueError when it is not one."""
    body = _FENCE.sub("", text.strip())
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        raise ValueError("no JSON object in the reply")
    try:
        return LLMFrame.model_validate_json(body[start:end + 1])
    except ValidationError as e:
        raise ValueError(f"the reply does not match the frame schema ({e.error_count()} errors)") from e


def ask(client: LLMClient, use: str) -> LLMFrame:
    reply = client.complete(data_element("use", use), system=system_prompt())
    return parse_reply(reply)


def merge(grounded: UseFacts, llm: LLMFrame) -> UseFacts:
    """The grounded frame with what the LLM may add (see the module doc): one-sided, toward review."""
    known = set(behavioural_ids())
    added = [c for c in list(llm.categories) + list(llm.possible)
             if c in known and c not in grounded.categories and c not in grounded.possible and c not in grounded.negated]
    return dataclasses.replace(
        grounded,
        possible=list(grounded.possible) + list(dict.fromkeys(added)),
        commercial=True if llm.commercial is True else grounded.commercial,
        outputs_for_training=grounded.outputs_for_training or llm.outputs_for_training,
        distribution=grounded.distribution or llm.distribution,
        hosting=grounded.hosting or llm.hosting,
        decision_support=grounded.decision_support or llm.decision_about_people,
        established=list(grounded.established) or (["European Union"] if llm.established_in_eu else []),
        model_modality=grounded.model_modality or ("multimodal" if llm.model_modality == "multimodal" else None),
        reader=f"llm:{prompt_version()}")


class LLMReader:
    """Reads a use with the LLM on top of the grounded frame; falls back to the grounded frame (with a
    note) when the LLM fails or answers outside the schema."""

    def __init__(self, client: LLMClient):
        self.client = client
        self.notes: list[str] = []

    def read(self, grounded: UseFacts) -> UseFacts:
        try:
            return merge(grounded, ask(self.client, grounded.text))
        except (LLMError, ValueError) as e:
            note = f"LLM reading not used: {getattr(e, 'notice', e)}"
            self.notes.append(note)
            return dataclasses.replace(grounded, reader=f"rules ({note})")


def reader_for(settings) -> LLMReader | None:
    """The LLM reader the settings configure (MODELTERMS_LLM), or None in grounded mode."""
    client = client_from_settings(settings)
    return LLMReader(client) if client is not None else None
