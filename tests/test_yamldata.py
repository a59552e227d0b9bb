"""The package's YAML data files read the same through corpus/yamldata.py (libyaml's parser) as through
PyYAML's pure-Python safe loader, which they were written and reviewed against."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpus.yamldata import read_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA_FILES = sorted(p for room in ("corpus", "agent", "ui", "prompts") for p in (ROOT / room).rglob("*.yaml"))


def test_there_are_data_files_to_compare():
    assert len(DATA_FILES) >= 30
    assert ROOT / "corpus" / "taxonomy.yaml" in DATA_FILES


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_data_file_reads_as_the_pure_python_safe_loader_reads_it(path):
    text = path.read_text(encoding="utf-8")
    assert read_yaml(text) == yaml.load(text, Loader=yaml.SafeLoader)


def test_only_safe_tags_and_the_same_errors():
    with pytest.raises(yaml.YAMLError):
        read_yaml("!!python/object/apply:os.system ['true']")
    with pytest.raises(yaml.YAMLError):
        read_yaml("a: [1, 2\nb: 3")

