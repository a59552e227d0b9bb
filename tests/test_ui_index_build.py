"""`modelterms ui --build-index` (what `make run` does): the page answers checks while the clause index is built
behind it, says how far the build is where the index is needed, and uses the index once it is done. Real embedding
model, real Chroma, real files."""
import pytest

from ui.app import Services, build_app, run_check
from ui.web.index_build import IndexBuild, needs_build

from .conftest import make_settings

pytestmark = pytest.mark.slow


def test_the_page_answers_while_the_index_is_built_behind_it(tmp_path):
    s = make_settings(tmp_path / "home")
    assert needs_build(s), "a fresh data dir has no index"
    svc = Services(s)
    svc.index_build = IndexBuild(svc, only=["mit", "bigscience-open-rail-m"])
    demo = build_app(svc)  # the page is built knowing a build is due: a status line its timer refreshes
    tick = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "tick")
    note, timer = tick()
    assert note.startswith("Building the clause index") and timer.active
    assert svc.building_index and svc.searcher is None
    assert svc._searcher_error.startswith("Building the clause index")
    svc.index_build.start()
    badge, md, *_ = run_check(svc, "license", None, "bigscience-open-rail-m", None, "give medical advice to patients")
    assert "PROHIBITED" in badge, "a check does not wait for the index"
    assert svc.index_build.finished.wait(600), "the build ends"
    assert svc.index_build.error is None and svc.index_build.note() == ""
    assert (svc.index_build.done, svc.index_build.total) != (0, 0), "progress was reported"
    assert not svc.building_index
    note, timer = tick()
    assert note == "" and not timer.active, "the line goes and the timer stops when the build is done"
    searcher = svc.searcher
    assert searcher is not None and {"mit", "bigscience-open-rail-m"} <= set(searcher.licenses)
    assert needs_build(s), "the other built-in texts are still to index"


def test_a_failed_build_says_so_and_checks_go_on(tmp_path):
    s = make_settings(tmp_path / "home")
    svc = Services(s)
    svc.index_build = IndexBuild(svc, only=["no-such-text"]).start()
    assert svc.index_build.finished.wait(120)
    assert svc.index_build.error and "could not be built" in svc.index_build.note()
    badge, *_ = run_check(svc, "license", None, "mit", None, "a customer-support chatbot")
    assert "mt-" in badge
