"""The census report: Markdown and a self-contained HTML page with plots (inline SVG, no plotting library).

Plots: adoption over time (repos created per quarter, by license family), license families, restriction
categories carried vs dropped along lineages, top conflicts. Names from cards are data: escaped, never markup.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from .store import atomic_write_text

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]


def summarise(con) -> dict:
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    total = q("SELECT count(*) FROM census")[0][0]
    s = {"repos": total}
    s["no_license"] = q("SELECT count(*) FROM census WHERE len(declared) = 0")[0][0]
    s["license_other"] = q("SELECT count(*) FROM census WHERE list_contains(declared, 'other')")[0][0]
    s["resolved"] = q("SELECT count(*) FROM census WHERE len(declared_keys) > 0")[0][0]
    s["derivatives"] = q("SELECT count(*) FROM census WHERE len(base_models) > 0")[0][0]
    s["derivatives_known_base"] = q("SELECT count(*) FROM census WHERE len(inherited_keys) > 0")[0][0]
    s["with_conflict"] = q("SELECT count(*) FROM census WHERE len(conflicts) > 0")[0][0]
    s["families"] = q("SELECT family, count(*) n FROM census GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20")
    s["conflicts"] = q("SELECT c, count(*) n FROM (SELECT unnest(conflicts) c FROM census) GROUP BY 1 ORDER BY n DESC, 1")
    s["conflict_pairs"] = q("""SELECT d, lf, c, count(*) n FROM (
                                   SELECT coalesce(declared[1], '(none)') d, coalesce(lineage_family, '-') lf,
                                          unnest(conflicts) c FROM census WHERE len(conflicts) > 0)
                               GROUP BY ALL ORDER BY n DESC, 1, 2, 3 LIMIT 15""")
    s["carried"] = q("""SELECT c, sum(k) carried, sum(d) dropped FROM (
                            SELECT unnest(restrictions_carried) c, 1 k, 0 d FROM census
                            UNION ALL SELECT unnest(restrictions_dropped), 0, 1 FROM census)
                        GROUP BY 1 ORDER BY carried + dropped DESC, 1 LIMIT 15""")
    s["lineage_with_restrictions"] = q("SELECT count(*) FROM census WHERE len(restrictions_inherited) > 0")[0][0]
    s["lineage_dropping"] = q("SELECT count(*) FROM census WHERE len(restrictions_dropped) > 0")[0][0]
    top = [f for f, _ in s["families"][:7]]
    s["top_families"] = top
    s["adoption"] = q(f"""SELECT strftime(date_trunc('quarter', created), '%Y-Q') || (((month(created) - 1) // 3) + 1)::VARCHAR q,
                                 CASE WHEN family IN ({', '.join("'" + f.replace("'", "''") + "'" for f in top) or "''"}) THEN family ELSE 'other families' END f,
                                 count(*) n
                          FROM census WHERE created IS NOT NULL GROUP BY ALL ORDER BY 1, 2""")
    s["duties"] = q("""SELECT x.duty, x.status, count(*) FROM (SELECT unnest(duties) x FROM census) t
                       GROUP BY ALL ORDER BY 1, 2""")
    return s


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "–"


def markdown(s: dict, tables: dict[str, Path]) -> str:
    n = s["repos"]
    lines = ["# License census", "",
             f"- repos: {n:,}",
             f"- no license declared: {s['no_license']:,} ({_pct(s['no_license'], n)})",
             f"- `license: other`: {s['license_other']:,} ({_pct(s['license_other'], n)})",
             f"- declared license resolved to corpus texts: {s['resolved']:,} ({_pct(s['resolved'], n)})",
             f"- derivatives (a `base_model`): {s['derivatives']:,} ({_pct(s['derivatives'], n)}); "
             f"base terms known: {s['derivatives_known_base']:,}",
             f"- repos with a license conflict: {s['with_conflict']:,} ({_pct(s['with_conflict'], n)}; "
             f"{_pct(s['with_conflict'], s['derivatives'])} of derivatives)",
             f"- derivatives that inherit use restrictions: {s['lineage_with_restrictions']:,}; "
             f"dropping at least one: {s['lineage_dropping']:,} ({_pct(s['lineage_dropping'], s['lineage_with_restrictions'])})",
             "", "## License families", "", "| family | repos | share |", "|---|---:|---:|"]
    lines += [f"| {_md(f)} | {c:,} | {_pct(c, n)} |" for f, c in s["families"]]
    lines += ["", "## Conflicts", "", "| kind | repos |", "|---|---:|"]
    lines += [f"| {_md(k)} | {c:,} |" for k, c in s["conflicts"]]
    lines += ["", "Top declared license → lineage family:", "", "| declared | lineage family | conflict | repos |",
              "|---|---|---|---:|"]
    lines += [f"| {_md(d)} | {_md(lf)} | {_md(k)} | {c:,} |" for d, lf, k, c in s["conflict_pairs"]]
    lines += ["", "## Restriction categories along lineages", "", "| category | carried | dropped |", "|---|---:|---:|"]
    lines += [f"| {_md(c)} | {a:,} | {b:,} |" for c, a, b in s["carried"]]
    lines += ["", "## Duties owed (status from metadata)", "", "| duty | status | repos |", "|---|---|---:|"]
    lines += [f"| {_md(d)} | {st} | {c:,} |" for d, st, c in s["duties"]]
    lines += ["", "Tables: " + ", ".join(f"`{p.name}`" for p in tables.values()), ""]
    return "\n".join(lines)


def _md(text) -> str:
    return str(text).replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def _bars(items: list[tuple[str, float]], title: str, width: int = 640) -> str:
    if not items:
        return f"<p>{html.escape(title)}: no data</p>"
    h = 22 * len(items) + 30
    top = max(v for _, v in items) or 1
    out = [f'<svg width="{width}" height="{h}" role="img" aria-label="{html.escape(title)}">']
    for i, (label, v) in enumerate(items):
        w = (width - 260) * v / top
        y = 24 + 22 * i
        out.append(f'<text x="0" y="{y + 13}" font-size="12">{html.escape(str(label))[:34]}</text>'
                   f'<rect x="230" y="{y}" width="{w:.1f}" height="16" fill="{PALETTE[0]}"/>'
                   f'<text x="{234 + w:.1f}" y="{y + 13}" font-size="11">{v:,.0f}</text>')
    out.append(f'<text x="0" y="14" font-weight="bold" font-size="13">{html.escape(title)}</text></svg>')
    return "".join(out)


def _paired(items: list[tuple[str, int, int]], title: str, width: int = 640) -> str:
    if not items:
        return f"<p>{html.escape(title)}: no data</p>"
    h = 34 * len(items) + 40
    top = max(max(a, b) for _, a, b in items) or 1
    out = [f'<svg width="{width}" height="{h}" role="img" aria-label="{html.escape(title)}">',
           f'<text x="0" y="14" font-weight="bold" font-size="13">{html.escape(title)}</text>',
           f'<rect x="400" y="4" width="10" height="10" fill="{PALETTE[4]}"/><text x="414" y="13" font-size="11">carried</text>',
           f'<rect x="480" y="4" width="10" height="10" fill="{PALETTE[2]}"/><text x="494" y="13" font-size="11">dropped</text>']
    for i, (label, a, b) in enumerate(items):
        y = 24 + 34 * i
        for j, (v, col) in enumerate(((a, PALETTE[4]), (b, PALETTE[2]))):
            w = (width - 260) * v / top
            out.append(f'<rect x="230" y="{y + 15 * j}" width="{w:.1f}" height="13" fill="{col}"/>'
                       f'<text x="{234 + w:.1f}" y="{y + 15 * j + 11}" font-size="10">{v:,}</text>')
        out.append(f'<text x="0" y="{y + 18}" font-size="12">{html.escape(str(label))[:34]}</text>')
    out.append("</svg>")
    return "".join(out)


def _stacked(rows: list[tuple[str, str, int]], title: str, width: int = 760, height: int = 300) -> str:
    quarters = sorted({q for q, _, _ in rows if q})
    fams = list(dict.fromkeys(f for _, f, _ in sorted(rows, key=lambda r: -r[2])))
    if not quarters:
        return f"<p>{html.escape(title)}: no data</p>"
    totals = {q: sum(n for qq, _, n in rows if qq == q) for q in quarters}
    top = max(totals.values()) or 1
    bw = (width - 60) / len(quarters)
    out = [f'<svg width="{width}" height="{height + 60 + 16 * ((len(fams) + 3) // 4)}" role="img" aria-label="{html.escape(title)}">',
           f'<text x="0" y="14" font-weight="bold" font-size="13">{html.escape(title)}</text>']
    for i, q in enumerate(quarters):
        y = height + 20
        for f in fams:
            n = next((n for qq, ff, n in rows if qq == q and ff == f), 0)
            hgt = (height - 20) * n / top
            y -= hgt
            out.append(f'<rect x="{50 + i * bw:.1f}" y="{y:.1f}" width="{max(bw - 1, 1):.1f}" height="{hgt:.1f}" '
                       f'fill="{PALETTE[fams.index(f) % len(PALETTE)]}"><title>{html.escape(q)} {html.escape(f)}: {n:,}</title></rect>')
        if i % max(1, len(quarters) // 8) == 0:
            out.append(f'<text x="{50 + i * bw:.1f}" y="{height + 36}" font-size="10">{html.escape(q)}</text>')
    out.append(f'<text x="0" y="30" font-size="10">{top:,}</text>')
    for j, f in enumerate(fams):
        x, y = 50 + (j % 4) * 170, height + 52 + 16 * (j // 4)
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
                   f'<text x="{x + 14}" y="{y}" font-size="11">{html.escape(f)}</text>')
    out.append("</svg>")
    return "".join(out)


def html_page(s: dict, md: str) -> str:
    body = [
        _stacked(s["adoption"], "Adoption over time: repos created per quarter, by license family"),
        _bars([(f, c) for f, c in s["families"]], "License families (repos)"),
        _paired(s["carried"], "Restriction categories along lineages: carried vs dropped (derivatives)"),
        _bars([(k, c) for k, c in s["conflicts"]], "Top conflicts (repos)"),
    ]
    summary = "".join(f"<li>{html.escape(line[2:])}</li>" for line in md.splitlines() if line.startswith("- "))
    tables = []
    for title, head, rows in (("Top declared license → lineage family", ("declared", "lineage family", "conflict", "repos"),
                               s["conflict_pairs"]),
                              ("Duties owed (status from metadata)", ("duty", "status", "repos"), s["duties"])):
        tables.append(f"<h2>{html.escape(title)}</h2><table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>" +
                      "".join("<tr>" + "".join(f"<td>{html.escape(f'{v:,}' if isinstance(v, int) else str(v))}</td>"
                                               for v in r) + "</tr>" for r in rows) + "</table>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>modelterms census</title>"
            "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:980px}svg{display:block;margin:1.5em 0}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px}</style></head><body>"
            f"<h1>License census</h1><ul>{summary}</ul>{''.join(body)}{''.join(tables)}</body></html>")


def write_report(con, out: Path, tables: dict[str, Path]) -> dict:
    s = summarise(con)
    md = markdown(s, tables)
    atomic_write_text(md, out / "report.md")
    atomic_write_text(html_page(s, md), out / "report.html")
    return json.loads(json.dumps({k: v for k, v in s.items()}, default=str))
