"""A stand-in for the Hugging Face Hub and for publishers' policy pages, on 127.0.0.1.

It answers the requests the real `huggingface_hub` client makes, so tests run the real client
against it through HF_ENDPOINT:
- `HfApi.model_info`: GET /api/models/{org}/{name}[/revision/{rev}] → JSON with `id`, `sha`,
  `siblings` (`rfilename`, `size`), `cardData`, `gated`, `tags`;
- `hf_hub_download`: HEAD then GET /{org}/{name}/resolve/{rev}/{path}, with `X-Repo-Commit`, `ETag`
  and `Content-Length` on the HEAD (what `get_hf_file_metadata` reads);
- errors as the Hub sends them: 404 with `X-Error-Code: RepoNotFound` / `EntryNotFound` /
  `RevisionNotFound`, and 403 with `X-Error-Code: GatedRepo` for a gated repo without a token
  that has access.
Plain pages (`pages`) stand in for publishers' sites: a path maps to (status, content type, body);
a body may be a callable (a text that changes between fetches) or an int (that many bytes,
streamed, for size limits).

Every text served here is synthetic, written for these tests.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlparse


@dataclass
class FixtureRepo:
    repo_id: str
    files: dict[str, bytes | int]  # an int: a file of that size (its contents never matter)
    sha: str = ""
    gated: bool = False
    tags: list[str] = field(default_factory=list)

    def __post_init__(self):
        if not self.sha:
            self.sha = hashlib.sha1(self.repo_id.encode()).hexdigest()

    def card_data(self) -> dict | None:
        from corpus.frontmatter import split_front_matter

        card = self.files.get("README.md")
        if card is None:
            return None
        meta, _ = split_front_matter(card.decode("utf-8"))
        return meta


class HubServer:
    def __init__(self, token: str = "hf_fixture_token"):
        self.repos: dict[str, FixtureRepo] = {}
        self.pages: dict[str, tuple[int, str, object]] = {}
        self.token = token
        self.requests: list[tuple[str, str]] = []  # (method, path): what the clients asked for
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add_repo(self, repo: FixtureRepo) -> FixtureRepo:
        self.repos[repo.repo_id.lower()] = repo
        return repo

    def add_page(self, path: str, body, status: int = 200, content_type: str = "text/html; charset=utf-8") -> str:
        self.pages[path] = (status, content_type, body)
        return self.url + path

    def start(self) -> "HubServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(hub: HubServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet test output
            pass

        def do_HEAD(self):
            self._serve(head=True)

        def do_GET(self):
            self._serve(head=False)

        # --- responses ---------------------------------------------------------------------
        def _send(self, status: int, body: bytes = b"", headers: dict | None = None, head: bool = False,
                  content_type: str = "application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _error(self, status: int, code: str, message: str, head: bool):
            self._send(status, json.dumps({"error": message}).encode(),
                       {"X-Error-Code": code, "X-Error-Message": message}, head)

        def _authorised(self, repo: FixtureRepo) -> bool:
            return not repo.gated or self.headers.get("Authorization") == f"Bearer {hub.token}"

        def _serve(self, head: bool):
            path = unquote(urlparse(self.path).path)
            hub.requests.append(("HEAD" if head else "GET", path))
            if path in hub.pages:
                return self._page(path, head)
            parts = path.strip("/").split("/")
            if parts[:2] == ["api", "models"] and len(parts) >= 4:
                return self._model_info(parts[2:], head)
            if len(parts) >= 5 and parts[2] == "resolve":
                return self._resolve(parts, head)
            self._send(404, b"Not Found", head=head, content_type="text/plain")

        def _page(self, path: str, head: bool):
            status, ctype, body = hub.pages[path]
            if callable(body):
                body = body()
            if isinstance(body, int):  # a large file, streamed in chunks
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(body))
                self.end_headers()
                if not head:
                    self._stream(body)
                return
            body = body.encode("utf-8") if isinstance(body, str) else body
            self._send(status, body, head=head, content_type=ctype)

        def _stream(self, size: int):
            chunk = b"a" * 65536
            left = size
            try:
                while left > 0:
                    self.wfile.write(chunk[:min(left, len(chunk))])
                    left -= len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _repo(self, org: str, name: str, head: bool) -> FixtureRepo | None:
            repo = hub.repos.get(f"{org}/{name}".lower())
            if repo is None:
                self._error(404, "RepoNotFound", "Repository not found", head)
                return None
            if not self._authorised(repo):
                self._error(403, "GatedRepo", f"Access to model {repo.repo_id} is restricted. You must have access "
                                              "to it and be authenticated to access it. Please log in.", head)
                return None
            return repo

        def _model_info(self, rest: list[str], head: bool):
            org, name = rest[0], rest[1]
            repo = self._repo(org, name, head)
            if repo is None:
                return
            if len(rest) >= 4 and rest[2] == "revision" and rest[3] not in ("main", repo.sha):
                return self._error(404, "RevisionNotFound", f"Invalid rev id: {rest[3]}", head)
            info = {
                "_id": repo.sha[:24], "id": repo.repo_id, "modelId": repo.repo_id, "sha": repo.sha,
                "private": False, "disabled": False, "gated": "manual" if repo.gated else False,
                "downloads": 0, "likes": 0, "tags": repo.tags, "cardData": repo.card_data(),
                "siblings": [{"rfilename": n, "size": b if isinstance(b, int) else len(b)}
                             for n, b in sorted(repo.files.items())],
                "lastModified": "2026-01-01T00:00:00.000Z", "createdAt": "2025-01-01T00:00:00.000Z",
            }
            self._send(200, json.dumps(info).encode(), head=head)

        def _resolve(self, parts: list[str], head: bool):
            org, name, rev, filename = parts[0], parts[1], parts[3], "/".join(parts[4:])
            repo = self._repo(org, name, head)
            if repo is None:
                return
            if rev not in ("main", repo.sha):
                return self._error(404, "RevisionNotFound", f"Invalid rev id: {rev}", head)
            data = repo.files.get(filename)
            if data is None:
                return self._error(404, "EntryNotFound", f"{filename} does not exist", head)
            if isinstance(data, int):  # a large file: its size only, streamed when asked
                self.send_response(200)
                self.send_header("X-Repo-Commit", repo.sha)
                self.send_header("ETag", f'"big-{data}"')
                self.send_header("Content-Length", str(data))
                self.end_headers()
                if not head:
                    self._stream(data)
                return
            etag = hashlib.sha1(data).hexdigest()
            self._send(200, data, {"X-Repo-Commit": repo.sha, "ETag": f'"{etag}"', "Accept-Ranges": "bytes"},
                       head=head, content_type="text/plain; charset=utf-8")

    return Handler


def write_cache_repo(cache_dir, repo_id: str, files: dict[str, bytes], commit: str | None = None,
                     ref: str = "main") -> "object":
    """A repo in the Hugging Face cache layout, as huggingface_hub writes it: blobs named by hash,
    snapshots/<commit>/<file> as relative symlinks to them, refs/<ref> holding the commit."""
    from pathlib import Path

    commit = commit or hashlib.sha1(("cache:" + repo_id).encode()).hexdigest()
    base = Path(cache_dir) / ("models--" + repo_id.replace("/", "--"))
    snap = base / "snapshots" / commit
    (base / "blobs").mkdir(parents=True, exist_ok=True)
    (base / "refs").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        blob = base / "blobs" / hashlib.sha1(data).hexdigest()
        blob.write_bytes(data)
        target = snap / name
        target.parent.mkdir(parents=True, exist_ok=True)
        depth = len(Path(name).parts) + 1  # up from snapshots/<commit>/<dirs…>/ to the repo folder
        target.symlink_to(Path(*([".."] * depth)) / "blobs" / blob.name)
    (base / "refs" / ref).write_text(commit)
    return snap
