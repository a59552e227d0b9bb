"""Adherence audit: does a model repository meet the terms it inherits? (`modelterms audit`)"""
from .auditor import Auditor
from .result import MET, UNKNOWN, UNMET, AuditResult, Condition, Duty, Fix, Gap, Location, Source, Upstream

__all__ = ["Auditor", "AuditResult", "Condition", "Duty", "Fix", "Gap", "Location", "Source", "Upstream", "MET", "UNMET",
           "UNKNOWN"]
