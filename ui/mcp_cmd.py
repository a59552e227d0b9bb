"""`modelterms mcp`: the grounded tools as an MCP server (ui/mcp_server.py), over stdio or streamable HTTP."""
from __future__ import annotations

import socket

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps

from .wiring import pass_deps

HTTP_PATH = "/mcp"
# The SDK turns on its DNS-rebinding protection (Host and Origin checked) for exactly these names.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def listen_socket(host: str, port: int) -> socket.socket:
    """A bound, listening socket on a loopback address; a one-line error for anything else.

    The server has no login, so it is never exposed beyond this machine. Binding here, before the
    models load, turns a busy port into a clear error instead of a server that dies after warming up."""
    if host.strip("[]").lower() not in LOOPBACK_HOSTS:
        raise ModeltermsError(f"refusing to listen on {host}: the MCP server has no login, so it serves this machine "
                              "only; use --host 127.0.0.1 (the default), localhost or ::1")
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(128)
    except OSError as e:
        sock.close()
        raise ModeltermsError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.set_inheritable(True)
    return sock


@click.command("mcp")
@click.option("--http", "http", is_flag=True, help="Serve streamable HTTP on --host:--port instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="With --http: 127.0.0.1, localhost or ::1 (others are refused).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="With --http: the port (0 picks a free one).")
@pass_deps
def mcp(deps: Deps, http: bool, host: str, port: int):
    """Serve modelterms to MCP clients (coding assistants, agent frameworks): tools check, explain,
    search, identify, compare, models (and audit where installed); resources modelterms://license/KEY and modelterms://clause/ID;
    the prompt review_use.

    \b
    modelterms mcp                     # stdio: what Claude Desktop, Cursor and most clients launch
    modelterms mcp --http --port 8765  # streamable HTTP on http://127.0.0.1:8765/mcp

    The corpus, index and embedding model are loaded once per server process.
    """
    from ui.mcp_server import Tools, build_server

    ctx = click.get_current_context()
    if not http and (ctx.get_parameter_source("host").name != "DEFAULT" or ctx.get_parameter_source("port").name != "DEFAULT"):
        raise click.UsageError("--host and --port go with --http (stdio is the default transport)")
    if not http:
        click.echo("modelterms mcp: serving MCP on stdin/stdout (a client starts this; Ctrl-C stops it)", err=True)
        try:
            build_server(deps).run("stdio")
        except KeyboardInterrupt:
            pass
        return
    sock = listen_socket(host, port)
    tools = Tools(deps)
    server = build_server(deps, tools)
    _serve_http(server, tools, sock, host)


def _serve_http(server, tools, sock: socket.socket, host: str) -> None:
    import uvicorn

    bound_port = sock.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host.strip("[]") else host
    app = server.streamable_http_app(streamable_http_path=HTTP_PATH, host=host.strip("[]").lower())
    tools.warm_in_background()
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    click.echo(f"modelterms mcp: streamable HTTP on http://{shown}:{bound_port}{HTTP_PATH} (Ctrl-C stops it)", err=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
