"""Outputs used to train other models (synthetic data, distillation, a student or replacement model).

License concepts: an *output-training ban* (its *object*: "any other large language model" reaches
language models, not a classifier trained on the labels) ("you will not use outputs to train or improve any other
model") prohibits it; a license that makes a model trained on its outputs a *derivative* passes its
terms and use restrictions on (a condition). The use frame reads the pipeline (a model writes data,
renders or answers that then train, fine-tune or distil another model) into `outputs_for_training`.
"""
from __future__ import annotations

import re

from ..context import RuleContext
from ..result import Condition

# "to improve any other large language model": the ban's object is a language model, not any model
_LANGUAGE_MODELS_ONLY = re.compile(r"\bother (large )?language models?\b|\bany (other )?(large )?language models?\b", re.I)


def apply(ctx: RuleContext):
    facts, prof, t = ctx.facts, ctx.prof, ctx.terms
    if not facts.outputs_for_training:
        return
    if "output_training_ban" in t:
        ban = t["output_training_ban"]
        if facts.trained_language_model is False and _LANGUAGE_MODELS_ONLY.search(ctx.clauses_of(ban, 2)):
            return  # the ban is scoped to other language models; a classifier or an image model is not one
        ctx.add_term(ban, "outputs may not be used to train or improve other models", "prohibited")
    elif "distillation_derivative" in t:
        ctx.add_term(t["distillation_derivative"], "a model trained on the outputs is a derivative and carries these "
                     "terms", "condition", condition=Condition("derivative", prof.license))
