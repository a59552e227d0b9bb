"""The census pipeline: load → distinct texts (engine) → lineage → decisions (audit) → tables + report.

Stages whose work grows with distinct texts or decision signatures write numbered parts (store.py); the
stages over all repos are single DuckDB statements whose output is renamed into place when complete.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from agent.deps import Deps
from corpus.atomic import SHARED, atomic_output
from corpus.errors import ModeltermsError
from corpus.settings import Settings

from .decide import Decider, Record, RepoRow, Resolved, decide
from .engines import make_engine
from .lineage import ancestors, resolve_own
from .progress import Progress
from .records import normalise, open_input
from .report import write_report
from .store import WorkDir, atomic_write_table, atomic_write_text, fingerprint

TEXT_SCHEMA = pa.schema([("hash", pa.string()), ("key", pa.string()), ("score", pa.float64()), ("unknown", pa.bool_()),
                         ("family", pa.string()), ("restrictions", pa.list_(pa.string())), ("terms", pa.list_(pa.string()))])
DECISION_SCHEMA = pa.schema([("sig", pa.string()), ("declared_keys", pa.list_(pa.string())),
                             ("declared_unknown", pa.list_(pa.string())), ("family", pa.string()),
                             ("inherited_keys", pa.list_(pa.string())), ("lineage_family", pa.string()),
                             ("conflicts", pa.list_(pa.string())), ("conflict_detail", pa.string()),
                             ("license_fields", pa.string()), ("consistency", pa.string()),
                             ("duties_owed", pa.list_(pa.string())), ("restrictions_inherited", pa.list_(pa.string())),
                             ("restrictions_carried", pa.list_(pa.string())),
                             ("restrictions_dropped", pa.list_(pa.string()))])
# What a repo's decision depends on, as SQL over repos_t ⋈ lineage (see decide.Record).
_SIG = ("md5(to_json([to_json(r.licenses), to_json(r.license_name), to_json(r.license_link IS NOT NULL), "
        "to_json(r.relation_eff), to_json(len(r.bases) > 0), to_json(r.identified), to_json(r.custom_text), "
        "to_json(coalesce(l.upstream_keys, []))]))")


@dataclass
class CensusOptions:
    out: Path
    input: Path | None = None
    ray: str | None = None                 # None: the local engine; "auto" or a cluster address: Ray
    jobs: int = 2
    text_chunk: int = 128                  # distinct texts per part
    decision_chunk: int = 256              # decision signatures per part
    profile_unknown: bool = True           # profile license texts that are no corpus text
    progress: bool = True
    memory_limit: str | None = None        # DuckDB's, e.g. "4GB"

    def fingerprint_options(self) -> dict:
        return {"text_chunk": self.text_chunk, "decision_chunk": self.decision_chunk,
                "profile_unknown": self.profile_unknown, "version": 1}


@dataclass
class CensusResult:
    out: Path
    tables: dict[str, Path]
    report_md: Path
    report_html: Path
    repos: int
    distinct_texts: int
    texts_profiled: int
    signatures: int
    seconds: float
    engine: str
    resumed: bool
    stages: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"out": str(self.out), "tables": {k: str(v) for k, v in self.tables.items()},
                "report": {"markdown": str(self.report_md), "html": str(self.report_html)}, "repos": self.repos,
                "distinct_texts": self.distinct_texts, "texts_profiled": self.texts_profiled,
                "signatures": self.signatures, "seconds": round(self.seconds, 2), "engine": self.engine,
                "resumed": self.resumed, "stages": self.stages, "summary": self.summary}


def run_census(deps: Deps | Settings, options: CensusOptions, decider: Decider | None = None) -> CensusResult:
    """`deps` gives the corpus and profiler the decisions use; the text workers (other processes) build
    their own from `deps.settings`."""
    t0 = time.perf_counter()
    deps = Deps.of(deps)
    settings = deps.settings
    out = Path(options.out)
    if options.input is None:
        raise ModeltermsError("census: give a metadata dump (JSON lines or Parquet) or --from-hub")
    out.mkdir(parents=True, exist_ok=True)
    work = WorkDir(out, fingerprint(options.input, options.fingerprint_options()))
    resumed = work.resumed
    con = duckdb.connect()
    con.execute(f"SET threads = {max(1, options.jobs)}")
    con.execute(f"SET temp_directory = '{str(work.root / 'duckdb-tmp')}'")
    if options.memory_limit:
        con.execute(f"SET memory_limit = '{options.memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    progress = Progress(options.progress)
    with progress.session():
        n_repos = _load(con, work, options.input, progress)
        n_texts, n_profiled = _texts(con, work, settings, options, progress)
        if decider is None:
            decider = _decider(deps)
        _join_texts(con, work)
        resolve_own(con, decider)
        ancestors(con)
        n_sigs = _decisions(con, work, decider, progress)
        tables = _write_tables(con, work, out)

    summary = write_report(con, out, tables)
    elapsed = time.perf_counter() - t0
    result = CensusResult(out, tables, out / "report.md", out / "report.html", n_repos, n_texts, n_profiled, n_sigs,
                          elapsed, "ray" if options.ray else "local", resumed, progress.log, summary)
    atomic_write_text(json.dumps(result.as_json(), indent=2), out / "census.json")
    con.close()
    return result


def _decider(deps: Deps) -> Decider:
    return Decider(deps.corpus, deps.profiler)


# --- stages --------------------------------------------------------------------------------------

def _load(con, work: WorkDir, path: Path, progress: Progress) -> int:
    repos_p, texts_p = work.file("repos-in.parquet"), work.file("texts-in.parquet")
    with progress.task("read + normalise", 1, "steps") as advance:
        if not (repos_p.is_file() and texts_p.is_file()):
            open_input(con, path)
            normalise(con)
            _copy(con, "repos", repos_p)
            _copy(con, "texts_in", texts_p)
            con.execute("DROP TABLE repos; DROP TABLE texts_in")
        con.execute(f"CREATE OR REPLACE TEMP VIEW repos AS SELECT * FROM read_parquet('{repos_p}')")
        con.execute(f"CREATE OR REPLACE TEMP VIEW texts_in AS SELECT * FROM read_parquet('{texts_p}')")
        advance(1)
    return con.execute("SELECT count(*) FROM repos").fetchone()[0]


def _copy(con, table_or_query: str, path: Path) -> None:
    """COPY to a temp file, then rename: the table exists whole or not at all."""
    src = table_or_query if " " in table_or_query else f"SELECT * FROM {table_or_query}"
    with atomic_output(path, SHARED) as tmp:
        con.execute(f"COPY ({src}) TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")


def _texts(con, work: WorkDir, settings: Settings, options: CensusOptions, progress: Progress) -> tuple[int, int]:
    n = con.execute("SELECT count(*) FROM texts_in").fetchone()[0]
    # Parts small enough that every worker gets some; the size names the stage, so a rerun with other
    # --jobs starts its own parts instead of misreading these.
    size = max(1, min(options.text_chunk, -(-n // max(1, options.jobs * 2))))
    stage = f"texts-{size}"
    n_chunks = (n + size - 1) // size
    done = work.done_parts(stage)
    pending = [i for i in range(n_chunks) if i not in done]
    if pending:
        con.execute("CREATE OR REPLACE TEMP TABLE texts_num AS "
                    "SELECT row_number() OVER (ORDER BY hash) - 1 AS rn, hash, kind, text FROM texts_in")
        engine = make_engine(settings, options.ray, options.jobs, options.profile_unknown)
        try:
            kept = sum(min(size, n - i * size) for i in done if i < n_chunks)
            with progress.task(f"texts ({engine.name})", n, "texts", already=kept) as advance:
                # chunks fetched at a time: what the engine works on next (Ray: a few waves' worth)
                window = max(options.jobs * 4, 8) if not options.ray else max(8, -(-16384 // size))
                for w in range(0, len(pending), window):
                    chunks = []
                    for i in pending[w:w + window]:
                        t = con.execute("SELECT hash, kind, text FROM texts_num WHERE rn >= ? AND rn < ? ORDER BY rn",
                                        [i * size, (i + 1) * size]).fetchall()
                        chunks.append((i, {c: [r[j] for r in t] for j, c in enumerate(("hash", "kind", "text"))}))
                    for i, cols in engine.run(chunks):
                        atomic_write_table(pa.table(cols, schema=TEXT_SCHEMA), work.part(stage, i))
                        advance(len(cols["hash"]))
        finally:
            engine.close()
        con.execute("DROP TABLE texts_num")
    parts = str(work.stage(stage) / "part-*.parquet")
    if n:
        con.execute(f"CREATE OR REPLACE TEMP TABLE tid AS SELECT * FROM read_parquet('{parts}')")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE tid (hash VARCHAR, key VARCHAR, score DOUBLE, unknown BOOLEAN, "
                    "family VARCHAR, restrictions VARCHAR[], terms VARCHAR[])")
    profiled = con.execute("SELECT count(*) FROM tid WHERE len(terms) > 0").fetchone()[0]
    return n, profiled


def _join_texts(con, work: WorkDir) -> None:
    """repos_t: each repo with the keys its license files and card were identified as."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE repos_t AS
        SELECT r.*, coalesce(x.identified, []::VARCHAR[]) AS identified, coalesce(x.custom, false) AS custom_text,
               c.key AS card_key,
               coalesce(r.relation, CASE WHEN len(r.bases) > 1 THEN 'merge' WHEN len(r.bases) = 1 THEN 'finetune' END)
                 AS relation_eff
        FROM repos r
        LEFT JOIN (
            SELECT u.id, list_sort(list_distinct(list(t.key) FILTER (WHERE t.key IS NOT NULL))) AS identified,
                   bool_or(t.key IS NULL) AS custom
            FROM (SELECT id, unnest(license_hashes) AS h FROM repos) u JOIN tid t ON t.hash = u.h
            GROUP BY u.id
        ) x ON x.id = r.id
        LEFT JOIN tid c ON c.hash = r.card_hash AND NOT c.unknown
    """)


def _decisions(con, work: WorkDir, decider: Decider, progress: Progress) -> int:
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE repo_sig AS
        SELECT r.id, {_SIG} AS sig FROM repos_t r LEFT JOIN lineage l ON l.id_l = lower(r.id)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE sigs AS
        SELECT row_number() OVER (ORDER BY sig) - 1 AS rn, * FROM (
            SELECT DISTINCT ON (s.sig) s.sig, r.licenses, r.license_name, r.license_link, r.relation_eff, len(r.bases) > 0 AS has_base,
                   r.identified, r.custom_text, coalesce(l.upstream_keys, []) AS upstream_keys
            FROM repo_sig s JOIN repos_t r ON r.id = s.id LEFT JOIN lineage l ON l.id_l = lower(r.id)
            ORDER BY s.sig, r.id)
    """)
    n = con.execute("SELECT count(*) FROM sigs").fetchone()[0]
    size = 256
    n_chunks = (n + size - 1) // size
    done = work.done_parts("decisions")
    kept = sum(min(size, n - i * size) for i in done if i < n_chunks)
    with progress.task("decisions (audit)", n, "signatures", already=kept) as advance:
        for i in range(n_chunks):
            if i in done:
                continue
            cur = con.execute("SELECT * FROM sigs WHERE rn >= ? AND rn < ? ORDER BY rn", [i * size, (i + 1) * size])
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r)) for r in cur.fetchall()]
            out = []
            for r in rows:
                record = Record(licenses=tuple(r["licenses"] or ()), license_name=r["license_name"],
                                license_link=r["license_link"], relation=r["relation_eff"], has_base=r["has_base"],
                                identified=tuple(r["identified"] or ()), custom_text=bool(r["custom_text"]))
                resolved = Resolved(tuple(tuple(k or ()) for k in r["upstream_keys"]))
                row: RepoRow = decide(decider, record, resolved)
                out.append({"sig": r["sig"], **row.as_dict()})
            atomic_write_table(pa.Table.from_pylist(out, schema=DECISION_SCHEMA), work.part("decisions", i))
            advance(len(rows))
    parts = str(work.stage("decisions") / "part-*.parquet")
    if n:
        con.execute(f"CREATE OR REPLACE TEMP TABLE decisions AS SELECT * FROM read_parquet('{parts}')")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE decisions AS SELECT * FROM (SELECT NULL::VARCHAR AS sig) WHERE false")
    return n


_DUTIES = """list_transform(coalesce(d.duties_owed, []), lambda x: {'duty': x, 'status':
    CASE WHEN x = 'license_copy' THEN
        CASE WHEN len(list_intersect(r.identified_all, list_concat(d.inherited_keys, d.declared_keys))) > 0 THEN 'met'
             WHEN r.has_license_file = false THEN 'unmet' ELSE 'cannot tell' END
    ELSE 'cannot tell' END})"""


def _write_tables(con, work: WorkDir, out: Path) -> dict[str, Path]:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE file_keys AS
        SELECT u.id, list_sort(list_distinct(list(t.key) FILTER (WHERE t.key IS NOT NULL))) AS identified_all
        FROM (SELECT id, unnest(license_hashes) AS h FROM repos) u JOIN tid t ON t.hash = u.h GROUP BY u.id
    """)
    query = f"""
        SELECT r.id, r.created, r.licenses AS declared, r.license_name, r.license_link,
               d.declared_keys, d.declared_unknown, d.family, r.license_paths AS license_files,
               coalesce(r.identified_all, []::VARCHAR[]) AS license_file_keys, r.card_key, r.has_license_file,
               r.bases AS base_models, r.relation_eff AS relation, coalesce(l.chain, []::VARCHAR[]) AS chain,
               coalesce(l.depth, 0) AS depth, coalesce(l.unknown_bases, []::VARCHAR[]) AS unknown_bases,
               d.inherited_keys, d.lineage_family, d.conflicts, d.conflict_detail, d.license_fields, d.consistency,
               {_DUTIES} AS duties,
               d.restrictions_inherited, d.restrictions_carried, d.restrictions_dropped,
               r.gated, r.downloads, s.sig
        FROM (SELECT t.*, f.identified_all FROM repos_t t LEFT JOIN file_keys f ON f.id = t.id) r
        JOIN repo_sig s ON s.id = r.id
        JOIN decisions d ON d.sig = s.sig
        LEFT JOIN lineage l ON l.id_l = lower(r.id)
        ORDER BY r.id
    """
    tables = {"repos": out / "repos.parquet", "texts": out / "texts.parquet", "decisions": out / "decisions.parquet",
              "lineage": out / "lineage.parquet"}
    _copy(con, query, tables["repos"])
    _copy(con, "SELECT i.hash, i.kind, i.repos, t.key, t.score, t.unknown, t.family, t.restrictions, t.terms "
               "FROM texts_in i JOIN tid t USING (hash) ORDER BY i.hash", tables["texts"])
    _copy(con, "SELECT d.*, c.repos FROM decisions d JOIN (SELECT sig, count(*) AS repos FROM repo_sig GROUP BY sig) c "
               "USING (sig) ORDER BY repos DESC, sig", tables["decisions"])
    _copy(con, "SELECT e.child AS repo, e.base_id AS base FROM edges e ORDER BY 1, 2", tables["lineage"])
    con.execute(f"CREATE OR REPLACE TEMP VIEW census AS SELECT * FROM read_parquet('{tables['repos']}')")
    return tables
