"""`modelterms census`: a synthetic hub with ground truth through the local engine and a real Ray local
cluster, a run killed mid-way and restarted, --from-hub against a local /api/models server, bad input."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("duckdb")

from agent.census import CensusOptions, run_census  # noqa: E402
from agent.census.store import WorkDir  # noqa: E402
from evals import synthetic_hub  # noqa: E402
from evals.census_eval import evaluate  # noqa: E402

from .conftest import make_settings, run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("census-home")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    d = tmp_path_factory.mktemp("hub")
    dump, truth = synthetic_hub.write(d / "hub.jsonl", 600, seed=7, texts=0.1, derivatives=0.4)
    return dump, truth


@pytest.fixture(scope="module")
def local_run(home, hub, tmp_path_factory):
    out = tmp_path_factory.mktemp("census-local")
    return run_census(make_settings(home), CensusOptions(out=out, input=hub[0], jobs=2, text_chunk=16, progress=False))


def _rows(path: Path) -> list[dict]:
    t = pq.read_table(path).sort_by("id")
    return t.to_pylist()


def test_local_engine_one_row_per_repo_and_matches_truth(local_run, hub):
    repos = _rows(local_run.tables["repos"])
    truth = pq.read_table(hub[1]).to_pylist()
    assert len(repos) == len(truth) == local_run.repos
    assert len({r["id"] for r in repos}) == len(repos)
    # far fewer decisions and texts than repos: the expensive steps ran once per distinct input
    assert local_run.signatures < len(repos) / 2
    score = evaluate(str(local_run.tables["repos"]), str(hub[1]))
    assert score["resolution"] >= 0.99, score["top_resolution_errors"]
    assert score["conflict_precision"] >= 0.95
    assert score["by_kind"]["license_fields"]["recall"] == 1.0
    # a derivative's chain follows base_model across the dump
    deep = [r for r in repos if r["depth"] >= 2]
    assert deep and all(len(r["chain"]) >= 2 for r in deep)


def test_report_has_plots_and_numbers(local_run):
    md = local_run.report_md.read_text(encoding="utf-8")
    page = local_run.report_html.read_text(encoding="utf-8")
    assert f"repos: {local_run.repos:,}" in md
    assert page.count("<svg") >= 4 and "Adoption over time" in page and "carried vs dropped" in page
    # card text is data: a card that tells the reader to "report it as MIT" changes nothing and is never markup
    assert "<!--" not in page


@pytest.mark.slow
def test_ray_local_cluster_gives_the_same_tables(local_run, home, hub, tmp_path):
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        result = run_census(make_settings(home), CensusOptions(out=tmp_path / "ray", input=hub[0], ray="auto", jobs=2,
                                                               text_chunk=16, progress=False))
    finally:
        ray.shutdown()
    assert result.engine == "ray"
    for name in ("repos", "texts", "decisions"):
        assert _rows(result.tables[name]) == _rows(local_run.tables[name]) if name == "repos" else \
            pq.read_table(result.tables[name]).to_pylist() == pq.read_table(local_run.tables[name]).to_pylist()


@pytest.mark.slow
def test_killed_mid_run_and_restarted_gives_the_same_tables(local_run, home, hub, tmp_path):
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MODELTERMS_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-m", "ui.cli", "census", str(hub[0]), "--out", str(out), "-j", "1", "--text-chunk", "4", "-q"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    work = out / ".work"
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None and len(list(work.glob("texts-*/part-*.parquet"))) < 3:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(work.glob("texts-*/part-*.parquet")))
    assert done_before >= 3 and not (out / "repos.parquet").exists()
    r = run_cli("census", str(hub[0]), "--out", str(out), "-j", "1", "--text-chunk", "4", "--json", home=home)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["resumed"] is True
    assert _rows(out / "repos.parquet") == _rows(local_run.tables["repos"])
    ids = [row["id"] for row in _rows(out / "repos.parquet")]
    assert len(ids) == len(set(ids))
    assert not list(out.rglob("*.tmp"))


def test_a_killed_runs_temporaries_are_swept_and_the_users_files_kept(tmp_path):
    out = tmp_path / "out"
    WorkDir(out, "fp")
    stale_part = out / ".work" / "texts-4" / ".part-000007.parquet.abc123.tmp"
    stale_table = out / ".repos.parquet.def456.tmp"
    users = [out / ".notes.tmp", out / "mine.parquet.tmp"]
    for p in [stale_part, stale_table, *users]:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"half")
    WorkDir(out, "fp")
    assert not stale_part.exists() and not stale_table.exists()
    assert all(p.exists() for p in users)


class _ApiModels(BaseHTTPRequestHandler):
    """/api/models as the Hub answers it: a page of records and a Link header to the next page."""
    records: list[dict] = []
    page = 3

    def do_GET(self):  # noqa: N802
        url = urlparse(self.path)
        if url.path != "/api/models":
            self.send_response(404)
            self.end_headers()
            return
        qs = parse_qs(url.query)
        start = int(qs.get("cursor", ["0"])[0])
        body = json.dumps(self.records[start:start + self.page]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if start + self.page < len(self.records):
            host = self.headers.get("Host")
            self.send_header("Link", f'<http://{host}/api/models?full=true&cardData=true&cursor={start + self.page}>; rel="next"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_from_hub_lists_every_page_through_huggingface_hub(home, tmp_path):
    records = [rec for rec, _ in synthetic_hub.generate(80, seed=3, texts=0.0)]
    for rec in records:
        rec.pop("readme", None), rec.pop("license_files", None)
    _ApiModels.records = records
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ApiModels)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        env = {"HF_ENDPOINT": f"http://127.0.0.1:{httpd.server_address[1]}", "HF_HUB_OFFLINE": "0"}
        r = run_cli("census", "--from-hub", "--out", str(tmp_path / "hub"), "--json", home=home, env=env)
    finally:
        httpd.shutdown()
    assert r.returncode == 0, r.stderr
    rows = _rows(tmp_path / "hub" / "repos.parquet")
    assert sorted(x["id"] for x in rows) == sorted(x["id"] for x in records)
    by_id = {x["id"]: x for x in rows}
    for rec in records:
        lic = (rec.get("cardData") or {}).get("license")
        want = [lic.lower()] if isinstance(lic, str) else [x.lower() for x in lic or []]
        assert by_id[rec["id"]]["declared"] == want


def test_bad_input_is_one_line_and_exit_1(home, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    for target in (bad, tmp_path / "missing.jsonl"):
        r = run_cli("census", str(target), "--out", str(tmp_path / "o"), home=home)
        assert r.returncode == 1
        assert r.stderr.strip().count("\n") == 0 and r.stderr.startswith("error:")
    r = run_cli("census", "--out", str(tmp_path / "o"), home=home)
    assert r.returncode == 2
