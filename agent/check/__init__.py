"""The check as its own stage: read the use into a frame, apply each family of rules, decide.

    frame.py       the use frame (who, does what, with what, for whom, under what control)
    facts.py       the frame's lexical facts (commercial, users, revenue, regions, distribution …)
    vocab.py       actor / activity vocabularies (corpus/vocab/)
    categories.py  the category layer (frame implications, precise phrases, a trained head)
    rules/         one module per family of license concepts
    verdict.py     findings → verdict (its words: agent/present)
    checker.py     Checker: resolve the target, read, apply the rules, decide
"""
from .checker import Checker
from .facts import UseFacts, validate_use
from .frame import read_frame
from .result import VERDICTS, CheckResult, Condition, Finding, Missing

__all__ = ["Checker", "CheckResult", "Condition", "Finding", "Missing", "UseFacts", "VERDICTS", "read_frame", "validate_use"]
