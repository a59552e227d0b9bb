"""Drafting custom responsible-AI license terms from a spec.

A draft is made of modelterms' own template wording (templates/, read by wording.py), chosen and
filled by a `DraftSpec` (spec.py). The text is a pure function of (spec, template version)
(render.py): the spec JSON that `modelterms draft` writes carries both, plus the spec hash and the
text hash, so the exact text can be regenerated and checked. Grounding is separate from the text
(grounding.py): every clause that carries a taxonomy term is shown with the corpus clauses that
say something similar, and free-text custom restrictions are set into the shape of their nearest
corpus clauses or drafted by an LLM (custom.py), always marked for legal review. drafter.py puts
these together; consistency.py warns of choices that defeat each other; notes.py writes the
drafting notes; verify.py reads the draft back with the profiler; upstream.py checks a draft
against the licenses of the models it builds on.
"""
