"""A scripted OpenAI-compatible chat server on 127.0.0.1, for testing the agent over real HTTP.

Each POST to /v1/chat/completions takes the next item of the script:

    {"content": "text"}                                   a final answer
    {"tool_calls": [{"name": "check_use", "arguments": {...}}]}   tool calls (arguments may be a raw string)
    {"status": 500} / {"status": 429}                     an HTTP error (retry-after: 0)
    {"sleep": 3, "content": "..."}                       answer late (to hit timeouts)
    {"raw": "not json"}                                   a malformed body
    callable(request_json) -> item                        decide from the request

When the script runs out, `default` answers. Requests (parsed JSON) are kept in `requests`.
Streaming requests (`"stream": true`) get server-sent events with the same content.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeLLM:
    def __init__(self, script=None, default=None, model: str = "fake-model"):
        self.script = list(script or [])
        self.default = default if default is not None else {"content": "No scripted answer left. Verdict: unclear"}
        self.model = model
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def spec(self) -> str:
        return f"openai-compatible:{self.url}#{self.model}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def push(self, *items):
        with self.lock:
            self.script.extend(items)

    def _next(self, request: dict):
        with self.lock:
            self.requests.append(request)
            item = self.script.pop(0) if self.script else self.default
        if callable(item):
            item = item(request)
        return item

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": fake.model, "object": "model"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                try:
                    request = json.loads(body or b"{}")
                except json.JSONDecodeError:
                    request = {"_raw": body.decode("utf-8", "replace")}
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                item = fake._next(request)
                if item.get("sleep"):
                    time.sleep(item["sleep"])
                if item.get("status"):
                    self._json(item["status"], {"error": {"message": item.get("message", "scripted error"),
                                                          "type": "server_error"}}, {"retry-after": "0"})
                    return
                if "raw" in item:
                    data = item["raw"].encode()
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                message = {"role": "assistant", "content": item.get("content")}
                calls = []
                for i, tc in enumerate(item.get("tool_calls") or []):
                    args = tc.get("arguments", {})
                    calls.append({"id": tc.get("id", f"call_{len(fake.requests)}_{i}"), "type": "function",
                                  "function": {"name": tc["name"],
                                               "arguments": args if isinstance(args, str) else json.dumps(args)}})
                if calls:
                    message["tool_calls"] = calls
                finish = "tool_calls" if calls else "stop"
                if request.get("stream"):
                    self._stream(message, finish)
                    return
                self._json(200, {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()),
                                 "model": fake.model,
                                 "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                                 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})

            def _json(self, status, data, headers=None):
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, message, finish):
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("connection", "close")
                self.end_headers()

                def send(delta, reason=None):
                    chunk = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                             "model": fake.model, "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]}
                    self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                    self.wfile.flush()

                send({"role": "assistant", "content": ""})
                text = message.get("content") or ""
                for i in range(0, len(text), 7):
                    send({"content": text[i:i + 7]})
                for i, tc in enumerate(message.get("tool_calls") or []):
                    send({"tool_calls": [{"index": i, **tc}]})
                send({}, finish)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler


def tool_call(name: str, **arguments) -> dict:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def last_user_text(request: dict) -> str:
    msgs = [m for m in request.get("messages", []) if m.get("role") == "user"]
    if not msgs:
        return ""
    c = msgs[-1].get("content")
    return c if isinstance(c, str) else "".join(p.get("text", "") for p in c if isinstance(p, dict))
