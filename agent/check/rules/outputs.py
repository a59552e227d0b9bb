"""Outputs used to train other models (synthetic data, distillation, a student or replacement model).

License concepts: an *output-training ban* ("you will not use outputs to train or improve any other
model") prohibits it; a license that makes a model trained on its outputs a *derivative* passes its
terms and use restrictions on (a condition). The use frame reads the pipeline (a model writes data,
renders or answers that then train, fine-tune or distil another model) into `outputs_for_training`.
"""
from __future__ import annotations

from ..context import RuleContext


def apply(ctx: RuleContext):
    facts, prof, t = ctx.facts, ctx.prof, ctx.terms
    if not facts.outputs_for_training:
        return
    if "output_training_ban" in t:
        ctx.add_term(t["output_training_ban"], "outputs may not be used to train or improve other models", "prohibited")
    elif "distillation_derivative" in t:
        ctx.add_term(t["distillation_derivative"], "a model trained on the outputs is a derivative and carries these "
                     "terms", "condition", condition=f"treat the trained model as a derivative of {prof.license}: its "
                                                     "terms and use restrictions pass on")
