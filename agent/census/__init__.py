"""Hub-scale census of license adoption and adherence (`modelterms census`).

    dump (JSON lines / Parquet) or the Hub's /api/models  ──▶ records.py (DuckDB: one normalised row per repo)
      ──▶ texts.py: every distinct license/card text once (identify; profile the unknown ones) on an engine
          (engines.py: a local process pool, or Ray Data over the distinct-text set)
      ──▶ lineage.py: base_model chains across the hub (a recursive join) and the registry
      ──▶ decide.py: the audit's metadata-level decisions, once per distinct decision signature
      ──▶ tables (Parquet, one row per repo) + report (Markdown, HTML)          [pipeline.py, report.py]

Every stage writes its results in numbered parts under OUT/.work (temp file + atomic rename), so a killed
run continues from its last finished part and never leaves a half-written table.
"""
from .pipeline import CensusOptions, CensusResult, run_census

__all__ = ["CensusOptions", "CensusResult", "run_census"]
