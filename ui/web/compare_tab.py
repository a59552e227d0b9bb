"""Compare tab: a term matrix over licenses, and the clause-level diff of two versions."""
import re

from agent.compare import SYMBOL, compare, diff, with_policies, word_diff
from agent.models import policies_for_license
from agent.present.markdown import table as table_markdown
from corpus.catalog import plain_name
from corpus.display import shorten
from corpus.errors import ModeltermsError
from retrieval.indexer import clauses_for

from .export import export_buttons, export_files, ready
from .guard import in_panel
from .page import Page
from .render import _ATTITUDE_CLASS, _e
from .services import Services

MAX_COMPARE = 8


def compare_html(svc: Services, keys: list[str] | None) -> str:
    """The matrix as HTML: `compare_report` without the export."""
    return compare_report(svc, keys)[0]


def profiles_with_policies(svc: Services, keys: list[str]) -> list:
    """Each license's profile, and after it "license + its policies" where the registry says it incorporates use
    policies that are in the corpus (a Llama license's bans live in its acceptable-use policy)."""
    profiler = svc.checker.profiler
    out = []
    for k in keys:
        prof = profiler.profile(k)
        out.append(prof)
        present, _ = policies_for_license(k, svc.corpus)
        present = [p for p in present if p != k and p not in keys and svc.corpus.exists(p)]
        if present:
            out.append(with_policies(prof, [profiler.profile(p) for p in present]))
    return out


def _cell(svc: Services, a: str, cid: str | None, symbol: str, quotes: dict) -> str:
    """A matrix cell; with evidence it opens onto the clause (its text's name and the quoted words)."""
    cls = _ATTITUDE_CLASS[a]
    if not cid:
        return f'<td class="{cls}">{symbol} {_e(a)}</td>'
    source = cid.split("#", 1)[0]
    name = plain_name(svc.corpus.get(source).name) if svc.corpus.exists(source) else source
    return (f'<td class="{cls}"><details class="mt-cell"><summary>{symbol} {_e(a)}</summary>'
            f'<div class="mt-cellbody"><b>{_e(name)}</b> · <code>{_e(cid)}</code><br>“{_e(shorten(quotes.get(cid, ""), 300))}”'
            "</div></details></td>")


def compare_report(svc: Services, keys: list[str] | None):
    """A colour-coded matrix of terms (rows) by licenses (columns), each license followed by itself read with
    the use policies it incorporates; the overview above it. (html, JSON, Markdown)."""
    keys = list(dict.fromkeys(k.strip() for k in (keys or []) if k and k.strip()))
    if len(keys) < 2:
        raise ModeltermsError("pick at least two licenses to compare")
    if len(keys) > MAX_COMPARE:
        raise ModeltermsError(f"compare at most {MAX_COMPARE} licenses at once")
    with svc.reading():
        for k in keys:
            if not svc.corpus.exists(k):
                raise ModeltermsError(svc.corpus.unknown_key_message(k))
        profiles = profiles_with_policies(svc, keys)
        matrix = compare(profiles)
        quotes = {e.clause_id: e.quote for p in profiles for r in p.terms.values() for e in r.evidence[:1]}
        head = "".join(f'<th title="{_e(n)}">{_e(k.replace("+policies", " + its policies"))}</th>'
                       for k, n in zip(matrix.licenses, matrix.names))
        out = ['<div class="mt-compare">', '<table class="mt-matrix mt-summary"><thead><tr><th>overview</th>' + head
               + "</tr></thead><tbody>"]
        for col, values in matrix.summary:
            out.append(f"<tr><th>{_e(col)}</th>" + "".join(f"<td>{_e(v)}</td>" for v in values) + "</tr>")
        out.append("</tbody></table>")
        out.append('<p class="mt-legend"><span class="mt-cannot">✗ cannot</span> <span class="mt-must">! must</span> '
                   '<span class="mt-can">✓ can</span> <span class="mt-none">· not addressed</span> — open a cell for '
                   "the clause and the text it comes from; a “+ its policies” column reads the license with the use "
                   "policies it incorporates.</p>")
        out.append('<table class="mt-matrix mt-terms"><thead><tr><th>term</th>' + head + "</tr></thead><tbody>")
        for tid, name, atts in matrix.rows:
            cells = [_cell(svc, a, matrix.evidence.get(k, {}).get(tid), SYMBOL[a], quotes)
                     for k, a in zip(matrix.licenses, atts)]
            out.append(f'<tr><th title="{_e(name)}">{_e(name)}</th>' + "".join(cells) + "</tr>")
        out.append("</tbody></table></div>")
    cols = ["term"] + list(matrix.licenses)
    md = ("### Overview\n\n" + table_markdown([[c, *v] for c, v in matrix.summary], ["overview"] + list(matrix.licenses))
          + "\n\n### Terms\n\n" + table_markdown(
              [[name, *[f"{a} ({matrix.evidence.get(k, {}).get(tid) or '-'})" for k, a in zip(matrix.licenses, atts)]]
               for tid, name, atts in matrix.rows], cols))
    return "".join(out), matrix.as_json(), md


_WD = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def _word_diff_html(old: str, new: str) -> str:
    escaped = _e(word_diff(old, new))
    return _WD.sub(lambda m: f"<del>{m.group(1)}</del>" if m.group(1) is not None else f"<ins>{m.group(2)}</ins>",
                   escaped)


def diff_html(svc: Services, old: str | None, new: str | None, limit: int = 200) -> str:
    """Clause-level changes from OLD to NEW, and the terms whose attitude changed."""
    old, new = (old or "").strip(), (new or "").strip()
    if not old or not new:
        raise ModeltermsError("pick the old and the new version")
    if old == new:
        raise ModeltermsError("pick two different texts")
    with svc.reading():
        corpus, profiler = svc.corpus, svc.checker.profiler
        for k in (old, new):
            if not corpus.exists(k):
                raise ModeltermsError(corpus.unknown_key_message(k))
        ea, eb = corpus.get(old), corpus.get(new)
        names = tuple(n for n in (ea.name, eb.name, ea.version, eb.version) if n)
        d = diff(old, clauses_for(ea, svc.settings), new, clauses_for(eb, svc.settings), profiler.profile(old),
                 profiler.profile(new), names=names)
    js = d.as_json()
    out = ['<div class="mt-diff">',
           f'<p><b>{_e(old)} → {_e(new)}</b>: {js["changed"]} changed, {js["added"]} added, {js["removed"]} removed, '
           f'{js["unchanged"]} unchanged clauses</p>']
    if d.terms:
        out.append('<table class="mt-matrix"><thead><tr><th>term whose attitude changed</th><th>old</th><th>new</th>'
                   "</tr></thead><tbody>")
        for t in d.terms:
            out.append(f"<tr><th>{_e(t['name'])}</th><td class=\"{_ATTITUDE_CLASS.get(t['old'], '')}\">{_e(t['old'])}</td>"
                       f"<td class=\"{_ATTITUDE_CLASS.get(t['new'], '')}\">{_e(t['new'])}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>No term changed its attitude.</p>")
    for c in d.changes[:limit]:
        if c.kind == "changed":
            out.append(f'<div class="mt-change mt-changed"><code>~ {_e(c.old_id)} → {_e(c.new_id)}</code>'
                       f"<p>{_word_diff_html(c.old_text, c.new_text)}</p></div>")
        elif c.kind == "added":
            out.append(f'<div class="mt-change mt-added"><code>+ {_e(c.new_id)}</code><p><ins>{_e(shorten(c.new_text, 600))}'
                       "</ins></p></div>")
        else:
            out.append(f'<div class="mt-change mt-removed"><code>- {_e(c.old_id)}</code><p><del>{_e(shorten(c.old_text, 600))}'
                       "</del></p></div>")
    if len(d.changes) > limit:
        out.append(f"<p>… and {len(d.changes) - limit} more changes (the first {limit} are shown).</p>")
    out.append("</div>")
    return "".join(out)


def build(page: Page) -> None:
    import gradio as gr

    svc = page.svc
    with gr.Tab("Compare", id="compare"):
        cmp_keys = gr.Dropdown(page.licenses, multiselect=True, max_choices=MAX_COMPARE, filterable=True,
                               label=f"Licenses to compare (2–{MAX_COMPARE})", elem_id="compare-licenses")
        cmp_btn = gr.Button("Compare", variant="primary", elem_id="compare-run")
        cmp_out = gr.HTML("", elem_id="compare-matrix")
        cmp_json, cmp_md = export_buttons("compare")

        def on_compare(ks):
            html_out, report, md = compare_report(svc, ks)
            return (html_out, *ready(export_files(svc, "compare", report, md)))

        cmp_btn.click(in_panel(on_compare, 3, at=0), cmp_keys, [cmp_out, cmp_json, cmp_md], api_name="compare",
                      concurrency_id="grounded")
        gr.Markdown("### Version diff")
        with gr.Row():
            d_old = gr.Dropdown(page.licenses, value=None, allow_custom_value=True, filterable=True, label="Old",
                                elem_id="diff-old")
            d_new = gr.Dropdown(page.licenses, value=None, allow_custom_value=True, filterable=True, label="New",
                                elem_id="diff-new")
        diff_btn = gr.Button("Diff", elem_id="diff-run")
        diff_out = gr.HTML("", elem_id="diff-out")
        diff_btn.click(in_panel(lambda a, b: diff_html(svc, a, b), 1, at=0), [d_old, d_new], diff_out, api_name="diff",
                       concurrency_id="grounded")
    page.pickers.extend([cmp_keys, d_old, d_new])
