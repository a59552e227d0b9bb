"""The package's own YAML data files (taxonomy, vocabularies, model tables, wording rules) as Python data.

Parsed with libyaml (PyYAML's C parser) when PyYAML was built with it: a check reads some 65 of these files
at start, and the pure-Python parser spent about half a second of a cold `modelterms check` on them. The
values are the same as `yaml.safe_load`'s (the same safe constructor builds them; tests/test_yamldata.py
compares every data file); without libyaml the pure-Python loader is used.
"""
from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str):
    """The data in `text` (safe tags only, as `yaml.safe_load`)."""
    return yaml.load(text, Loader=_LOADER)
