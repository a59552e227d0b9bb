"""The check's rules, one module per family of license concepts.

Each module has `apply(ctx)` and reads one applicable text's profile against the use's frame
(agent/check/context.py). To find why a use was prohibited, read the module named after the
concept in the finding's category: behavioural bans, marking generated content (disclosure), automated
decisions, commercial limits, outputs, distribution, endorsement by name, competing services, litigation, regions,
industries, a grant's purpose scope, similar restrictions, a section's express carve-outs, grants, a duty to obey
the law that reaches a use reading as a crime (obey_the_law), a ban listing characteristics of people that may not be
predicted (listed_characteristics).
"""
from . import (behavioural, carve_outs, commercial, competing_service, decisions, disclosure, distribution, endorsement,
               grants, industries, listed_characteristics, litigation, obey_the_law, outputs, purpose_scope, regional,
               similar)

# Order matters only for which clause is cited first; every rule runs.
RULES = (behavioural, obey_the_law, disclosure, decisions, commercial, outputs, distribution, endorsement, competing_service,
         litigation, regional, industries, listed_characteristics, purpose_scope, similar, carve_outs, grants)
