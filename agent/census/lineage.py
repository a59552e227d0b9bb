"""base_model chains across the hub: a recursive join over the dump, with the registry for bases outside it.

Every repo's own texts are resolved once per distinct (license ids, license_name, identified files) —
a few thousand combinations for millions of repos — and every ancestor's are joined in by id, nearest
first, as the audit's InheritanceReader orders them. A cycle stops at the repo already on the path; chains
stop at the audit's MAX_DEPTH.
"""
from __future__ import annotations

import duckdb
import pyarrow as pa

from agent.audit.inherited import MAX_DEPTH
from agent.models import Resolution, registry_lookup

from .decide import Decider


def resolve_own(con: duckdb.DuckDBPyConnection, decider: Decider) -> None:
    """Table `own`: (id_l, own_keys, own_unknown) for every repo, and registry nodes for outside bases."""
    combos = con.execute("""
        SELECT DISTINCT licenses, license_name, identified FROM repos_t
    """).fetchall()
    rows = []
    for licenses, name, identified in combos:
        keys, unknown = decider.own_keys(tuple(licenses or ()), name, tuple(identified or ()))
        rows.append({"licenses": licenses or [], "license_name": name, "identified": identified or [],
                     "own_keys": keys, "own_unknown": unknown})
    con.register("own_combos", pa.Table.from_pylist(rows, schema=pa.schema([
        ("licenses", pa.list_(pa.string())), ("license_name", pa.string()), ("identified", pa.list_(pa.string())),
        ("own_keys", pa.list_(pa.string())), ("own_unknown", pa.list_(pa.string()))])))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE nodes AS
        SELECT lower(r.id) AS id_l, r.id, c.own_keys, c.own_unknown, 'hub' AS via
        FROM repos_t r JOIN own_combos c
          ON r.licenses = c.licenses AND r.license_name IS NOT DISTINCT FROM c.license_name AND r.identified = c.identified
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE edges AS
        SELECT DISTINCT lower(id) AS child, lower(b) AS base, b AS base_id
        FROM (SELECT id, unnest(bases) AS b FROM repos_t) WHERE b IS NOT NULL AND trim(b) <> ''
    """)
    # Bases outside the dump: the registry (and its own base_model links), once per distinct id.
    frontier = [r[0] for r in con.execute(
        "SELECT DISTINCT e.base_id FROM edges e ANTI JOIN nodes n ON e.base = n.id_l").fetchall()]
    seen: set[str] = set()
    extra_nodes, extra_edges = [], []
    while frontier:
        nxt = []
        for base in frontier:
            if base.lower() in seen:
                continue
            seen.add(base.lower())
            entry = registry_lookup(base)
            if entry is None:
                continue
            res = Resolution(query=base)
            decider.resolver.resolve_hf_license(entry["license"], res)
            extra_nodes.append({"id_l": base.lower(), "id": base, "own_keys": res.keys, "own_unknown": [],
                                "via": "registry"})
            if entry.get("base_model"):
                extra_edges.append({"child": base.lower(), "base": entry["base_model"].lower(), "base_id": entry["base_model"]})
                nxt.append(entry["base_model"])
        frontier = nxt
    if extra_nodes:
        con.register("extra_nodes", pa.Table.from_pylist(extra_nodes))
        con.execute("INSERT INTO nodes SELECT id_l, id, own_keys, own_unknown, via FROM extra_nodes")
    if extra_edges:
        con.register("extra_edges", pa.Table.from_pylist(extra_edges))
        con.execute("INSERT INTO edges SELECT child, base, base_id FROM extra_edges")


def ancestors(con: duckdb.DuckDBPyConnection) -> None:
    """Table `lineage`: per repo with a base, its chain (ids, nearest first) and each ancestor's keys."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE up AS
        WITH RECURSIVE walk(child, anc, anc_id, depth, path) AS (
            SELECT child, base, base_id, 1, [child, base] FROM edges WHERE child <> base
            UNION ALL
            SELECT w.child, e.base, e.base_id, w.depth + 1, list_append(w.path, e.base)
            FROM walk w JOIN edges e ON e.child = w.anc
            WHERE w.depth < {MAX_DEPTH} AND NOT list_contains(w.path, e.base)
        )
        SELECT child, anc, anc_id, min(depth) AS depth FROM walk GROUP BY child, anc, anc_id
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE lineage AS
        SELECT u.child AS id_l,
               list(coalesce(n.id, u.anc_id) ORDER BY u.depth, u.anc) AS chain,
               list(coalesce(n.own_keys, []) ORDER BY u.depth, u.anc) AS upstream_keys,
               list(u.anc_id ORDER BY u.depth, u.anc) FILTER (WHERE n.id_l IS NULL) AS unknown_bases,
               max(u.depth) AS depth
        FROM up u LEFT JOIN nodes n ON n.id_l = u.anc
        GROUP BY u.child
    """)
