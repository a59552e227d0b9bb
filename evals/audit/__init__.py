"""The adherence-audit eval set: repository specs and their materialiser."""
