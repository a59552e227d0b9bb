"""Reading a metadata dump into one normalised row per repo (DuckDB), and the distinct texts in it.

Input records have the shape of `/api/models?full=true&cardData=true` (`HfApi.list_models(full=True,
cardData=True)`): `id`, `createdAt`, `tags`, `cardData` (the card's front matter), `siblings`, `gated`,
`downloads`…, as JSON lines or Parquet (nested fields as structs or as JSON text). Two optional columns
carry texts: `readme` (the card) and `license_files` (a list of {path, text}). Card fields are read the
way the Hub writes them (corpus/modelrepo.py): `license` a string or a list, `license_name`,
`license_link`, `base_model` a string or a list, `base_model_relation`; when the card has no `license`
or `base_model`, the Hub's own `license:` and `base_model:` tags stand in.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from corpus.errors import ModeltermsError
from corpus.modelrepo import LICENSE_FILE

_JSON_COLUMNS = {"id": "VARCHAR", "modelId": "VARCHAR", "createdAt": "VARCHAR", "lastModified": "VARCHAR",
                 "tags": "VARCHAR[]", "cardData": "JSON", "siblings": "JSON", "gated": "JSON",
                 "downloads": "BIGINT", "likes": "BIGINT", "readme": "VARCHAR", "license_files": "JSON"}


def _list_field(field: str) -> str:
    """A card field that may be a string or a list of strings, as a list (lower-cased ids for licenses)."""
    return (f"CASE json_type(json_extract(cardData, '$.{field}')) "
            f"WHEN 'ARRAY' THEN list_filter(list_transform(from_json(json_extract(cardData, '$.{field}'), '[\"VARCHAR\"]'), lambda x: trim(x)), lambda x: x IS NOT NULL AND x <> '') "
            f"WHEN 'VARCHAR' THEN list_filter([trim(json_extract_string(cardData, '$.{field}'))], lambda x: x <> '') "
            f"ELSE NULL END")


def _first_field(field: str) -> str:
    return (f"nullif(trim(CASE json_type(json_extract(cardData, '$.{field}')) WHEN 'ARRAY' THEN json_extract_string(cardData, '$.{field}[0]') "
            f"WHEN 'VARCHAR' THEN json_extract_string(cardData, '$.{field}') ELSE NULL END), '')")


def open_input(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Creates the view `raw` over the dump with the columns the census reads (absent ones NULL)."""
    path = Path(path)
    if not path.is_file():
        raise ModeltermsError(f"{path}: no such metadata dump")
    p = str(path).replace("'", "''")
    try:
        if path.suffix.lower() == ".parquet":
            cols = {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{p}')").fetchall()}
            sel = []
            for name, typ in _JSON_COLUMNS.items():
                if name not in cols:
                    sel.append(f"NULL::{typ} AS \"{name}\"")
                elif typ == "JSON":
                    sel.append(f"(CASE WHEN typeof(\"{name}\") = 'VARCHAR' THEN \"{name}\"::JSON ELSE to_json(\"{name}\") END) AS \"{name}\""
                               if cols[name] == "VARCHAR" else f"to_json(\"{name}\") AS \"{name}\"")
                elif typ == "VARCHAR[]" and not cols[name].endswith("[]"):
                    sel.append(f"from_json(\"{name}\"::JSON, '[\"VARCHAR\"]') AS \"{name}\"")
                else:
                    sel.append(f"\"{name}\"::{typ} AS \"{name}\"")
            con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT {', '.join(sel)} FROM read_parquet('{p}')")
        else:
            cols = ", ".join(f"'{k}': '{v}'" for k, v in _JSON_COLUMNS.items())
            con.execute(f"CREATE OR REPLACE VIEW raw AS SELECT * FROM read_json('{p}', format='newline_delimited', "
                        f"columns={{{cols}}}, maximum_object_size=67108864)")
        con.execute("SELECT count(*) FROM raw").fetchone()
    except duckdb.Error as e:
        raise ModeltermsError(f"{path}: not a metadata dump this census can read ({str(e).splitlines()[0][:200]})")


def normalise(con: duckdb.DuckDBPyConnection) -> None:
    """Table `repos` (one row per repo id; the last record wins when a dump repeats one) and `texts_in`."""
    license_file_re = "(?i)" + LICENSE_FILE.pattern
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE repos_raw AS
    SELECT coalesce(id, modelId) AS id,
           try_cast(createdAt AS TIMESTAMP) AS created,
           coalesce({_list_field('license')},
                    list_transform(list_filter(tags, lambda t: starts_with(t, 'license:')), lambda t: substr(t, 9))) AS licenses,
           {_first_field('license_name')} AS license_name,
           {_first_field('license_link')} AS license_link,
           coalesce({_list_field('base_model')},
                    list_transform(list_filter(tags, lambda t: starts_with(t, 'base_model:') AND len(string_split(t, ':')) = 2),
                                   lambda t: substr(t, 12))) AS bases,
           coalesce(lower({_first_field('base_model_relation')}),
                    (list_transform(list_filter(tags, lambda t: starts_with(t, 'base_model:') AND len(string_split(t, ':')) = 3),
                                    lambda t: string_split(t, ':')[2]))[1]) AS relation,
           coalesce(gated::VARCHAR NOT IN ('false', 'null'), false) AS gated,
           coalesce(downloads, 0) AS downloads,
           list_transform(from_json(siblings, '[{{"rfilename": "VARCHAR"}}]'), lambda s: s.rfilename) AS siblings,
           readme,
           from_json(license_files, '[{{"path": "VARCHAR", "text": "VARCHAR"}}]') AS license_files,
           row_number() OVER () AS rn
    FROM raw WHERE coalesce(id, modelId) IS NOT NULL
    """)
    con.execute(f"""
    CREATE OR REPLACE TEMP TABLE repos AS
    SELECT id, created, list_transform(coalesce(licenses, []), lambda x: lower(x)) AS licenses, license_name, license_link,
           coalesce(bases, []) AS bases, relation, gated, downloads,
           CASE WHEN siblings IS NULL THEN NULL
                ELSE list_bool_or(list_transform(siblings, lambda s: regexp_matches(s, '{license_file_re}') AND NOT contains(s, '/')))
           END AS has_license_file,
           CASE WHEN readme IS NULL THEN NULL ELSE md5(readme) END AS card_hash,
           list_transform(list_filter(coalesce(license_files, []), lambda f: f.text IS NOT NULL AND trim(f.text) <> ''),
                          lambda f: md5(f.text)) AS license_hashes,
           list_transform(list_filter(coalesce(license_files, []), lambda f: f.text IS NOT NULL AND trim(f.text) <> ''),
                          lambda f: f.path) AS license_paths
    FROM repos_raw QUALIFY row_number() OVER (PARTITION BY id ORDER BY rn DESC) = 1
    """)
    con.execute("""
    CREATE OR REPLACE TEMP TABLE texts_in AS
    SELECT hash, first(kind ORDER BY kind DESC) AS kind, first(text) AS text, count(*) AS repos FROM (
        SELECT md5(f.text) AS hash, 'license' AS kind, f.text AS text
        FROM (SELECT unnest(license_files) AS f FROM repos_raw WHERE license_files IS NOT NULL)
        WHERE f.text IS NOT NULL AND trim(f.text) <> ''
        UNION ALL
        SELECT md5(readme), 'card', readme FROM repos_raw WHERE readme IS NOT NULL AND trim(readme) <> ''
    ) GROUP BY hash ORDER BY hash
    """)
    con.execute("DROP TABLE repos_raw")
