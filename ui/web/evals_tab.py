"""Evals tab: the saved use-case and retrieval reports, and running them from the page."""
import json
from pathlib import Path

from agent.present import json as present_json
from corpus.errors import ModeltermsError
from corpus.settings import Settings
from evals.data import usecases
from evals.retrieval import evaluate as evaluate_retrieval
from evals.usecase_eval import evaluate as evaluate_usecases
from evals.usecase_eval import write_report

from .guard import in_panel
from .page import Page, session_of, stop_handler
from .render import VERDICTS, escape, rows_to_df
from .services import Services
from .wording import term_name
from .gradio_backend import gradio


def reports_dir(settings: Settings) -> Path:
    return settings.home / "reports"


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise ModeltermsError(f"{path.name}: unreadable report ({type(e).__name__})")


def confusion_html(report: dict) -> str:
    conf = report.get("confusion") or {}
    top = max([v for row in conf.values() for v in row.values()] + [1])
    out = ['<table class="mt-matrix mt-confusion"><thead><tr><th>gold ↓ / predicted →</th>'
           + "".join(f"<th>{escape(v)}</th>" for v in VERDICTS) + "</tr></thead><tbody>"]
    for g in VERDICTS:
        cells = []
        for p in VERDICTS:
            n = conf.get(g, {}).get(p, 0)
            alpha = 0.1 + 0.8 * n / top if n else 0.0
            hue = "34,139,34" if g == p else ("200,30,30" if (g == "prohibited" and p == "allowed") else "230,140,0")
            cells.append(f'<td style="background: rgba({hue},{alpha:.2f})">{n}</td>')
        out.append(f"<tr><th>{escape(g)}</th>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def usecase_views(report: dict | None):
    """(summary markdown, confusion html, per-term F1 frame) of a use-case report."""
    if not report:
        return ("No use-case report yet: press **Run use-case eval**.", "", rows_to_df([], ["term", "f1"]))
    md = (f"**Use-case eval**: {report['questions']} questions over {report['licenses']} licenses — "
          f"verdict accuracy **{report['accuracy']:.3f}**, dangerous misses **{len(report['dangerous_misses'])}**, "
          f"citation accuracy {report['citation_accuracy']:.3f}, term macro-F1 {report['macro_term_f1']:.3f}, "
          f"quote failures {len(report['quote_failures'])}, errors {len(report['errors'])}, "
          f"{report['wall_s']:.1f} s")
    # human names, and a zero F1 drawn as a sliver so the bar is seen (the summary table has the exact value)
    rows = sorted(([term_name(t), max(v["f1"], 0.005)] for t, v in (report.get("per_term") or {}).items()),
                  key=lambda r: r[1])
    return md, confusion_html(report), rows_to_df(rows, ["term", "f1"])


def retrieval_views(report: dict | None):
    if not report:
        return "No retrieval report yet: press **Run retrieval eval**.", rows_to_df([], ["mode", "recall@k"])
    k = report.get("k", 5)
    rows = [[mode, m["recall@k"]] for mode, m in report["modes"].items()]
    md = f"**Retrieval eval**: {report['queries']} queries; " + ", ".join(
        f"{mode}: recall@{k} {m['recall@k']:.3f}, MRR {m['mrr']:.3f}" for mode, m in report["modes"].items())
    return md, rows_to_df(rows, ["mode", "recall@k"])


def open_reports(svc: Services):
    uc = _read_json(reports_dir(svc.settings) / "usecases.json")
    rt = _read_json(reports_dir(svc.settings) / "retrieval.json")
    return (*usecase_views(uc), *retrieval_views(rt))


def run_usecase_eval(svc: Services, progress=None, limit: int | None = None):
    cases = usecases()[:limit] if limit else None
    with svc.reading():
        checker = svc.checker

        def answer(case: dict) -> dict:
            return present_json.check(checker.check(case["use"], license=case.get("license"), model=case.get("model"),
                                                    card=case.get("card")))

        answer.corpus = checker.corpus  # type: ignore[attr-defined]
        report = evaluate_usecases(svc.settings, answer=answer, cases=cases,
                          progress=(lambda i, n: progress((i, n), desc="use cases")) if progress else None)
    write_report(report, reports_dir(svc.settings) / "usecases.json")
    return usecase_views(report)


def run_retrieval_eval(svc: Services):
    with svc.reading():
        searcher = svc.searcher
        if searcher is None:
            raise ModeltermsError(svc._searcher_error or "no index: run `modelterms index` first")  # web_words rewords it
        report = evaluate_retrieval(svc.settings, searcher=searcher)
    write_report(report, reports_dir(svc.settings) / "retrieval.json")
    return retrieval_views(report)


def build(page: Page) -> None:
    gr = gradio()

    svc = page.svc
    with gr.Tab("Evals", id="evals"):
        gr.Markdown("Open the last saved reports, or run an evaluation here (the use-case set takes minutes; "
                    "Stop ends it).")
        with gr.Row():
            e_open = gr.Button("Open last reports", elem_id="evals-open")
            e_run_uc = gr.Button("Run use-case eval", elem_id="evals-run-usecases")
            e_run_rt = gr.Button("Run retrieval eval", elem_id="evals-run-retrieval")
            e_stop = gr.Button("Stop", variant="stop", elem_id="evals-stop", size="sm")
        e_uc_md = gr.Markdown("", elem_id="evals-usecases")
        with gr.Row():
            e_conf = gr.HTML("", elem_id="evals-confusion")
            e_f1 = gr.BarPlot(None, x="term", y="f1", title="Per-term F1", y_lim=[0, 1], sort="y",
                              x_label_angle=-60, height=440, elem_id="evals-f1")
        e_rt_md = gr.Markdown("", elem_id="evals-retrieval")
        e_rt = gr.BarPlot(None, x="mode", y="recall@k", title="Retrieval recall@k", y_lim=[0, 1], height=260,
                          elem_id="evals-recall")

        def run_uc(request: gr.Request, progress=gr.Progress()):
            with svc.jobs.running(session_of(request), "evals", progress) as job:
                # the job's step both reports and stops: the eval calls it after every case
                return run_usecase_eval(svc, progress=lambda pair, desc: job.step(*pair, desc))

        e_open.click(in_panel(lambda: open_reports(svc), 5, at=0), None, [e_uc_md, e_conf, e_f1, e_rt_md, e_rt],
                     api_name="open_reports", concurrency_id="grounded")
        uc = e_run_uc.click(in_panel(run_uc, 3, at=0), None, [e_uc_md, e_conf, e_f1], api_name="run_usecase_eval",
                            concurrency_id="eval", concurrency_limit=1)
        e_run_rt.click(in_panel(lambda: run_retrieval_eval(svc), 2, at=0), None, [e_rt_md, e_rt],
                       api_name="run_retrieval_eval", concurrency_id="eval", concurrency_limit=1)
        e_stop.click(stop_handler(svc, "evals"), None, None, cancels=[uc], queue=False, api_visibility="private")
