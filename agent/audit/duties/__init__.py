"""One module per duty family; each `check(ctx)` returns the duties of its family the repository owes."""
from . import attribution, conditions, declared, flowdown, license_copy, naming, notice, outputs, policies

FAMILIES = (license_copy, notice, attribution, naming, flowdown, policies, declared, outputs)
__all__ = ["FAMILIES", "conditions", "attribution", "declared", "flowdown", "license_copy", "naming", "notice",
           "outputs", "policies"]
