"""LLM backends, chosen by one setting, and what their failures mean.

`settings.llm` (env `MODELTERMS_LLM`) names the backend:

- `openai:MODEL` — OpenAI's API, key from `OPENAI_API_KEY` (settings.llm_api_key);
- `openai-compatible:BASE_URL#MODEL` — any OpenAI-compatible server: vLLM, Ollama, LM Studio,
  llama.cpp's server (`modelterms serve-llm`), e.g. `openai-compatible:http://127.0.0.1:8080/v1#gemma`;
- `ollama:MODEL` — short for `openai-compatible:http://127.0.0.1:11434/v1#MODEL`;
- empty, `none` or `grounded` — no LLM: grounded mode.

All of them go through `langchain-openai`'s ChatOpenAI, imported only when an LLM is used. This module is
the only one that imports langchain (the chat model, the tool wrapper, the agent loop and its messages), so
its cost and its missing-package error live here.
The client retries 408/409/429/5xx and connection errors with exponential backoff
(settings.llm_retries) and gives each request settings.llm_timeout seconds.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from urllib.parse import urlparse

import httpx

from corpus.errors import ModeltermsError
from corpus.settings import Settings

OLLAMA_URL = "http://127.0.0.1:11434/v1"
_NO_KEY = "not-needed"  # local servers ignore the key, but the client insists on one


class LLMError(ModeltermsError):
    """The LLM could not give a usable answer; `notice` is the one line shown to the user."""

    def __init__(self, notice: str):
        super().__init__(notice)
        self.notice = notice


@dataclass(frozen=True)
class LLMConfig:
    provider: str  # openai | openai-compatible
    model: str
    base_url: str | None = None

    @property
    def name(self) -> str:
        """How the backend is reported in answers (`mode`); never includes a key."""
        if self.provider == "openai":
            return f"openai:{self.model}"
        return f"openai-compatible:{self.base_url}#{self.model}"


def parse_spec(spec: str | None) -> LLMConfig | None:
    """The backend a spec names, None for grounded mode; ModeltermsError for a malformed spec."""
    if spec is None or not spec.strip() or spec.strip().lower() in ("none", "grounded", "off"):
        return None
    spec = spec.strip()
    provider, sep, rest = spec.partition(":")
    provider = provider.lower()
    if not sep or not rest.strip():
        raise ModeltermsError(f"LLM spec {spec!r}: use openai:MODEL, openai-compatible:BASE_URL#MODEL or ollama:MODEL")
    if provider == "openai":
        return LLMConfig("openai", rest.strip())
    if provider == "ollama":
        return LLMConfig("openai-compatible", rest.strip(), OLLAMA_URL)
    if provider in ("openai-compatible", "openai_compatible", "compatible"):
        url, _, model = rest.partition("#")
        url = url.strip().rstrip("/")
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ModeltermsError(f"LLM spec {spec!r}: {url!r} is not an http(s) base URL")
        return LLMConfig("openai-compatible", model.strip() or "default", url)
    raise ModeltermsError(f"LLM spec {spec!r}: unknown provider {provider!r} "
                          "(openai, openai-compatible or ollama)")


def chat_model(config: LLMConfig, settings: Settings, streaming: bool = False):
    """A langchain ChatOpenAI for the backend, with the settings' timeout, retries and answer length."""
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key
    if config.provider == "openai" and not key:
        raise LLMError("no API key for openai: set OPENAI_API_KEY")
    extra = {}
    if config.provider == "openai":
        extra["max_tokens"] = settings.llm_max_tokens  # sent as max_completion_tokens
    else:
        # OpenAI-compatible servers (llama.cpp, older vLLM / Ollama) read max_tokens, not OpenAI's
        # newer max_completion_tokens, and without it a small model may write until its context is full.
        extra["extra_body"] = {"max_tokens": settings.llm_max_tokens}
    # httpx's timeout bounds each read, so a server that trickles a byte at a time would hold a request
    # (and the thread reading it) for ever: the transport also ends every request at the answer's deadline.
    http_client = httpx.Client(transport=DeadlineTransport(settings.llm_deadline),
                               timeout=httpx.Timeout(settings.llm_timeout))
    return ChatOpenAI(model=config.model, base_url=config.base_url, api_key=key or _NO_KEY,
                      timeout=settings.llm_timeout, max_retries=max(0, settings.llm_retries),
                      temperature=0, streaming=streaming, http_client=http_client, **extra)


class DeadlineTransport(httpx.BaseTransport):
    """httpx's transport with a total time per request, response body included."""

    def __init__(self, total_seconds: float):
        self.inner = httpx.HTTPTransport()
        self.total = total_seconds

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = time.monotonic() + self.total
        response = self.inner.handle_request(request)
        return httpx.Response(status_code=response.status_code, headers=response.headers,
                              stream=_DeadlineStream(response.stream, deadline, self.total),
                              extensions=response.extensions, request=request)

    def close(self) -> None:
        self.inner.close()


class _DeadlineStream(httpx.SyncByteStream):
    def __init__(self, inner, deadline: float, total: float):
        self.inner, self.deadline, self.total = inner, deadline, total

    def __iter__(self):
        for chunk in self.inner:
            if time.monotonic() > self.deadline:
                raise httpx.ReadTimeout(f"the LLM's answer did not complete within {self.total:g} s")
            yield chunk

    def close(self) -> None:
        self.inner.close()


def describe_error(exc: BaseException, settings: Settings | None = None) -> str:
    """One line saying what went wrong with the LLM, for the notice under a grounded answer."""
    if isinstance(exc, LLMError):
        return exc.notice
    retries = settings.llm_retries if settings else None
    after = f" after {retries} retries" if retries else ""
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a dependency
        openai = None
    if isinstance(exc, httpx.TimeoutException):
        return "the LLM timed out"
    if isinstance(exc, httpx.TransportError):
        return "the LLM endpoint is unreachable or dropped the connection"
    if openai is not None:
        if isinstance(exc, openai.APITimeoutError):
            return f"the LLM timed out{after}"
        if isinstance(exc, openai.APIConnectionError):
            return f"the LLM endpoint is unreachable{after}"
        if isinstance(exc, openai.RateLimitError):
            return f"the LLM is rate-limited (HTTP 429){after}"
        if isinstance(exc, openai.AuthenticationError):
            return "the LLM rejected the API key (HTTP 401): check OPENAI_API_KEY"
        if isinstance(exc, openai.NotFoundError):
            return "the LLM endpoint does not know this model or path (HTTP 404)"
        if isinstance(exc, openai.APIStatusError):
            code = getattr(exc, "status_code", "?")
            if isinstance(code, int) and code >= 500:
                return f"the LLM server failed (HTTP {code}){after}"
            return f"the LLM rejected the request (HTTP {code})"
        if isinstance(exc, openai.APIResponseValidationError):
            return "the LLM sent a malformed response"
    if isinstance(exc, (json.JSONDecodeError, ValueError, KeyError, TypeError)):
        return f"the LLM sent a malformed response ({type(exc).__name__})"
    name = type(exc).__name__
    if name == "GraphRecursionError":
        return "the LLM kept calling tools without answering"
    return f"the LLM failed ({name})"


class LLMClient:
    """A plain completion interface over a backend: `complete(prompt) -> str` (used by drafting).

    Failures raise LLMError with a one-line notice; callers fall back to their grounded output.
    """

    def __init__(self, config: LLMConfig, settings: Settings):
        self.config = config
        self.settings = settings
        self._model = None

    @property
    def name(self) -> str:
        return self.config.name

    def chat_model(self, streaming: bool = False):
        if streaming:
            return chat_model(self.config, self.settings, streaming=True)
        if self._model is None:
            self._model = chat_model(self.config, self.settings)
        return self._model

    def complete(self, prompt: str, system: str | None = None) -> str:
        messages = ([("system", system)] if system else []) + [("user", prompt)]
        try:
            msg = self.chat_model().invoke(messages)
        except LLMError:
            raise
        except Exception as e:  # every failure of the endpoint becomes one line
            raise LLMError(describe_error(e, self.settings)) from e
        text = msg.content if isinstance(msg.content, str) else "".join(
            p.get("text", "") for p in msg.content if isinstance(p, dict))
        if not text.strip():
            raise LLMError("the LLM gave an empty answer")
        return text


def client_from_settings(settings: Settings) -> LLMClient | None:
    """The configured LLM, or None in grounded mode."""
    config = parse_spec(settings.llm)
    return LLMClient(config, settings) if config else None


# --- the langchain pieces the agent uses, imported on first use ---------------------------------------
def structured_tool(fn, name: str, description: str):
    """A langchain tool for a plain function, its argument schema read from the signature."""
    from langchain_core.tools import StructuredTool

    return StructuredTool.from_function(fn, name=name, description=description, infer_schema=True)


def tool_agent(model, tools: list, system_prompt: str):
    """langchain's tool-calling agent loop over a chat model."""
    from langchain.agents import create_agent

    return create_agent(model, tools=tools, system_prompt=system_prompt)


def chat_messages() -> tuple[type, type]:
    """langchain's (HumanMessage, AIMessage) classes, for a conversation's history."""
    from langchain_core.messages import AIMessage, HumanMessage

    return HumanMessage, AIMessage
