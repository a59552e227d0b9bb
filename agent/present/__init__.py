"""Presenters: every result type of the analysis (CheckResult, Profile, Resolution, Comparison,
AuditResult) turned into one surface format — `text` (terminal, grounded chat), `markdown` (reports,
the web page's panels), `html` (the web page's citations and badges), `json` (the `--json`, MCP
and eval contract). The results themselves carry no prose; the CLI, the web UI, the MCP server and
the agent's grounded answers all render through here, so one result reads the same everywhere.

This package sits above the stages (agent/check, agent/terms, agent/audit, agent/compare, models)
and below agent/ask and ui/: it imports result types, never a surface.
"""
