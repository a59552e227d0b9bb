"""`modelterms ui`: the web UI (ui/app.py), served by Gradio on 127.0.0.1 unless told otherwise."""
from __future__ import annotations

import ipaddress
import logging

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps

from .wiring import pass_deps


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """USER:PASS → (user, pass); a one-line error for anything else."""
    if value is None:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise ModeltermsError("--auth takes USER:PASS (a user name and a non-empty password, separated by ':')")
    return user.strip(), password


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost: treated as reachable from outside


def check_exposure(host: str, auth: tuple[str, str] | None) -> None:
    """Refuses to serve beyond this machine without a login."""
    if not is_loopback(host) and auth is None:
        raise ModeltermsError(f"refusing to listen on {host} without a login: other machines could reach the UI; "
                              "add --auth USER:PASS (or MODELTERMS_UI_AUTH), or keep the default --host 127.0.0.1")


@click.command("ui")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --auth.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.option("--auth", envvar="MODELTERMS_UI_AUTH", metavar="USER:PASS",
              help="Require this login [env MODELTERMS_UI_AUTH]; required when --host is not loopback.")
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Requests worked on at once; the others wait their turn in the queue.")
@click.option("--build-index", is_flag=True,
              help="Open the page at once and index the built-in texts behind it if the index lacks any "
                   "(progress on the page; what `make run` does). Without it, run `modelterms index` first.")
@pass_deps
def ui(deps: Deps, host, port, auth, concurrency, build_index):
    """Start the web UI: chat with citations, check, explain, compare and diff, draft, corpus, evals.

    \b
    modelterms ui                                  # http://127.0.0.1:7860
    modelterms ui --port 8000
    modelterms ui --host 0.0.0.0 --auth alice:s3cret   # reachable from other machines, with a login

    The models and the index are loaded once, before the page opens. Uploads and drafts stay in
    the data dir ($MODELTERMS_HOME/ui); nothing outside it is served. Ctrl-C stops it.
    """
    settings = deps.settings
    creds = parse_auth(auth)
    check_exposure(host, creds)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from ui.app import Services, launch, prepare_gradio_env

    prepare_gradio_env(settings)
    svc = Services(deps)
    if build_index:
        from ui.web.index_build import IndexBuild, needs_build

        if needs_build(settings):
            svc.index_build = IndexBuild(svc)  # the page is built knowing; it starts once the page is up
    click.echo("modelterms ui: loading the models and the index …", err=True)
    svc.warm()
    if svc.searcher is None and not svc.building_index:
        click.echo(f"note: {svc._searcher_error} — search-based citations and grounding are off", err=True)
    try:
        demo, url = launch(svc, host=host, port=port, auth=creds, concurrency=concurrency, block=False, quiet=True)
    except OSError as e:
        raise ModeltermsError(f"cannot listen on {host}:{port}: {e.strerror or e}")
    click.echo(f"modelterms ui on {url} (Ctrl-C stops it)" + (" — login required" if creds else ""), err=True)
    if svc.index_build is not None:
        click.echo("modelterms ui: building the clause index behind the page (progress is shown on it)", err=True)
        svc.index_build.start()
    import signal

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill PID` closes the server cleanly, like Ctrl-C
    demo.block_thread()  # serves until interrupted, then closes the server
