"""The ASGI wrapper around Gradio's app: only files under the UI's data folder are served."""
import re
from pathlib import Path


class ServeOnly:
    """ASGI middleware: `/file=` requests are answered only for files under the UI's data folder (uploads,
    drafts): nothing else on the machine, and no URL fetched on a client's behalf."""

    def __init__(self, app, root: str):
        self.app = app
        self.root = Path(root).resolve()

    async def __call__(self, scope, receive, send):
        if scope.get("type") == "http" and "/file=" in scope.get("path", ""):
            target = scope["path"].split("/file=", 1)[1]
            ok = False
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                try:
                    p = Path(target).resolve()
                    ok = p == self.root or self.root in p.parents
                except (OSError, ValueError):
                    ok = False
            if not ok:
                await send({"type": "http.response.start", "status": 403,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b"File not allowed."})
                return
        await self.app(scope, receive, send)
