"""Fetching license and policy texts that apply but are not in the corpus — only when asked.

Sources, in order: the local Hugging Face cache, the Hub (through huggingface_hub, corpus/modelrepo.py),
then the publisher's URL from the registry (corpus/models.yaml). Every fetched text records where it
came from (URL, or repo + revision + path), when, and its sha256; it is identified against the corpus
so a known text is not added twice; a changed text under a key that exists is stored as a new version
(`KEY-v2`, `KEY-v3`…), never over the old one.
"""
from __future__ import annotations

import hashlib
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import scancode
from .catalog import Corpus
from .entry import KEY_RE, LicenseEntry, guess_date, guess_kind, text_hash
from .errors import ModeltermsError, UnreachableError
from .modelrepo import ModelRepo, cache_snapshot, hub_file
from .settings import Settings
from .textfile import read_text_file, text_from_bytes
from .yamldata import read_yaml

USER_AGENT = "modelterms (license and use-policy texts; +https://github.com/)"
_VERSION = re.compile(r"^(?P<base>.+)-v(?P<n>\d+)$")


@dataclass
class FetchResult:
    key: str
    status: str          # added | new-version | unchanged | known | failed | note
    message: str         # one line for the user
    entry: LicenseEntry | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    def as_json(self) -> dict:
        return {"key": self.key, "status": self.status, "message": self.message,
                "stored_as": self.entry.key if self.entry is not None else None,
                "fetched": self.entry.fetched if self.entry is not None else None}


# --- the registry's texts ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def registry_texts() -> dict[str, dict]:
    """key → {key, name, kind, url, repo, file}: every text the registry names as applicable."""
    data = read_yaml(resources.files("corpus").joinpath("models.yaml").read_text(encoding="utf-8"))
    out: dict[str, dict] = {}
    for spec in data.get("hf_licenses", {}).values():
        for m in spec.get("missing", []) or []:
            out.setdefault(m["key"], dict(m))
    return out


def missing_keys(corpus: Corpus) -> list[str]:
    """Registry texts that are in neither the LicenseDB nor the user's corpus."""
    return [k for k in registry_texts() if not corpus.exists(k)]


# --- versions ---------------------------------------------------------------------------------

def versions(corpus: Corpus, key: str) -> list[str]:
    """The stored versions of a key, oldest first: KEY, KEY-v2, KEY-v3…"""
    found = [(1, key)] if corpus.exists(key) else []
    for k in corpus.user_keys():
        m = _VERSION.match(k)
        if m and m.group("base") == key:
            found.append((int(m.group("n")), k))
    return [k for _, k in sorted(found)]


def latest_version(corpus: Corpus, key: str) -> str:
    """The newest stored version of a key (the key itself when there is no later one)."""
    vs = versions(corpus, key)
    return vs[-1] if vs else key


# --- reading a URL ----------------------------------------------------------------------------

def fetch_url(url: str, settings: Settings) -> tuple[str, str]:
    """(text, final URL) of a publisher's page; HTML is turned into text by the `corpus add` cleaner."""
    if not re.match(r"^https?://", url, re.I):
        raise ModeltermsError(f"{url}: only http(s) URLs can be fetched")
    limit = settings.max_file_bytes
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain,*/*"})
    try:
        # A fresh opener reads the proxy settings now: urlopen's shared one freezes those of its first call.
        with urllib.request.build_opener().open(req, timeout=settings.fetch_timeout) as r:
            length = r.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise ModeltermsError(_too_large(url, int(length), limit))
            data = r.read(limit + 1)
            if len(data) > limit:
                raise ModeltermsError(f"{url}: too large (over {limit / 1e6:.1f} MB, the limit)")
            ctype = (r.headers.get("Content-Type") or "").lower()
            final = r.geturl()
    except urllib.error.HTTPError as e:
        raise ModeltermsError(f"{url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise UnreachableError(f"{url} ({_reason(e.reason)})") from None
    except (socket.timeout, TimeoutError):
        raise UnreachableError(f"{url} (timed out after {settings.fetch_timeout:g} s)") from None
    except (ConnectionError, OSError) as e:
        raise UnreachableError(f"{url} ({_reason(e)})") from None
    if not data:
        raise ModeltermsError(f"{url}: the page is empty")
    suffix = ".html" if "html" in ctype else ".pdf" if "pdf" in ctype else Path(final.split("?")[0]).suffix.lower()
    text = text_from_bytes(data, suffix if suffix in (".html", ".htm", ".pdf") else "", url)
    require_terms(text, url)
    return text, final


def _too_large(label: str, size: int, limit: int) -> str:
    return f"{label}: too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB)"


def _reason(reason) -> str:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timed out"
    return str(getattr(reason, "strerror", None) or reason)[:120]


@lru_cache(maxsize=1)
def _markers() -> tuple[dict[str, re.Pattern], int, float, set[str]]:
    data = read_yaml(resources.files("corpus").joinpath("terms_markers.yaml").read_text(encoding="utf-8"))
    pats = {name: re.compile(rx, re.I) for name, rx in data["markers"].items()}
    return pats, int(data["min_distinct"]), float(data["min_per_1000_words"]), set(data["directive"])


def terms_wording(text: str) -> tuple[int, float, bool]:
    """(distinct markers, marker hits per 1,000 words, any directive marker): how much it reads like terms."""
    pats, _, _, directive = _markers()
    words = max(1, len(re.findall(r"\w+", text)))
    hits = {name: len(p.findall(text)) for name, p in pats.items()}
    return (sum(1 for n in hits.values() if n), 1000 * sum(hits.values()) / words,
            any(hits[name] for name in directive if name in hits))


def require_terms(text: str, label: str) -> None:
    """Raises when a fetched text does not read like a license or a use policy."""
    _, min_distinct, min_density, _ = _markers()
    distinct, density, directive = terms_wording(text)
    if distinct < min_distinct or density < min_density or not directive:
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")[:60]
        raise ModeltermsError(f"{label}: not a license or use-policy text (the page {first!r} has little terms "
                              f"wording: {distinct} kinds, {density:.0f} per 1,000 words)")


# --- storing ----------------------------------------------------------------------------------

class Fetcher:
    """Fetches texts into the user's corpus. `identifier` (agent/identify.py's) is optional: without it
    only exact copies count as known."""

    def __init__(self, settings: Settings, corpus: Corpus, identifier=None):
        self.settings, self.corpus, self.identifier = settings, corpus, identifier

    def now(self) -> str:
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat()

    # registry keys
    def fetch_key(self, key: str) -> FetchResult:
        spec = registry_texts().get(key)
        if spec is None:
            if self.corpus.exists(key):
                return FetchResult(key, "unchanged", f"{key}: already in the corpus (no source to fetch it from)")
            raise ModeltermsError(f"{key}: not a text the registry knows a source for; give its URL: "
                                  f"`modelterms corpus fetch URL --key {key}`")
        text, source, errors, unreachable = None, None, [], []
        if spec.get("repo") and spec.get("file"):
            text, source = self._from_cache(spec["repo"], spec["file"])
            if text is None:
                try:
                    local, commit = hub_file(spec["repo"], spec["file"], None, self.settings)
                    text = read_text_file(local, self.settings.max_file_bytes)
                    require_terms(text, f"{spec['repo']}/{spec['file']}")
                    source = {"from": "hub", "repo": spec["repo"], "revision": commit, "path": spec["file"],
                              "url": f"{self.settings.hf_endpoint}/{spec['repo']}/blob/{commit}/{spec['file']}"}
                except UnreachableError as e:
                    unreachable.append(str(e))
                except ModeltermsError as e:
                    errors.append(str(e))
        if text is None and spec.get("url"):
            try:
                text, final = fetch_url(spec["url"], self.settings)
                source = {"from": "url", "url": final}
            except UnreachableError as e:
                unreachable.append(str(e))
            except ModeltermsError as e:
                errors.append(str(e))
        if text is None:
            return FetchResult(key, "failed", self._failure(key, spec, errors, unreachable))
        return self.store(key, text, source, name=spec.get("name"), kind=spec.get("kind"))

    def fetch_url_as(self, url: str, key: str, name: str | None = None, kind: str | None = None) -> FetchResult:
        try:
            text, final = fetch_url(url, self.settings)
        except UnreachableError as e:
            return FetchResult(key, "failed", f"{key}: could not reach {e}; download it yourself and add it with "
                                              f"`modelterms corpus add FILE --key {key}`")
        except ModeltermsError as e:
            return FetchResult(key, "failed", str(e))
        return self.store(key, text, {"from": "url", "url": final}, name=name, kind=kind)

    def fetch_repo_file(self, repo: ModelRepo, path: str, key: str) -> FetchResult:
        """A license file of a model repository (already in the cache or on disk)."""
        try:
            text = repo.read_text(path, self.settings.max_file_bytes)
        except ModeltermsError as e:
            return FetchResult(key, "failed", str(e))
        source = {"from": repo.source, "repo": repo.repo_id, "revision": repo.revision, "path": path}
        if repo.repo_id and repo.revision:
            source["url"] = f"{self.settings.hf_endpoint}/{repo.repo_id}/blob/{repo.revision}/{path}"
        return self.store(key, text, source, name=f"{path} of {repo.repo_id or repo.name}")

    def _from_cache(self, repo_id: str, filename: str) -> tuple[str | None, dict | None]:
        found = cache_snapshot(repo_id, self.settings.hf_cache)
        if found is None or not (found[0] / filename).is_file():
            return None, None
        try:
            text = read_text_file(found[0] / filename, self.settings.max_file_bytes)
        except ModeltermsError:
            return None, None
        return text, {"from": "hf-cache", "repo": repo_id, "revision": found[1], "path": filename}

    def _failure(self, key: str, spec: dict, errors: list[str], unreachable: list[str]) -> str:
        where = spec.get("url") or (f"{self.settings.hf_endpoint}/{spec['repo']}" if spec.get("repo") else "its publisher")
        parts = errors + [f"could not reach {u}" for u in unreachable]
        kind = f" --kind {spec['kind']}" if spec.get("kind") else ""
        return (f"{key}: not fetched ({'; '.join(parts) or 'no source known'}); download it from {where} and add "
                f"it with `modelterms corpus add FILE --key {key}{kind}`")

    def known_as(self, text: str, key: str) -> tuple[str, float] | None:
        """The corpus key this text already is (an exact copy, or identified as a copy), if any."""
        h = text_hash(text)
        for k in self.corpus.user_keys():
            e = self.corpus.user.get(k)
            if e is not None and e.content_hash == h:
                return k, 1.0
        if self.identifier is None:
            return None
        ident = self.identifier.identify(text, n=3)
        if ident.unknown or not ident.matches:
            return None
        return ident.matches[0].license, ident.matches[0].score

    def store(self, key: str, text: str, source: dict, name: str | None = None, kind: str | None = None) -> FetchResult:
        if not KEY_RE.match(key):
            raise ModeltermsError(f"invalid key {key!r}: use 2-100 lowercase letters, digits, '.', '_', '+' or '-'")
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        fetched = {**{k: v for k, v in source.items() if v}, "fetched_at": self.now(), "sha256": sha}
        where = source.get("url") or f"{source.get('repo')}@{str(source.get('revision'))[:12]}/{source.get('path')}"
        vs = versions(self.corpus, key)
        h = text_hash(text)
        for v in vs:
            if self.corpus.get(v).content_hash == h:
                return FetchResult(key, "unchanged", f"{key}: unchanged ({v}, sha256 {sha[:12]}, from {where})",
                                   self.corpus.get(v))
        known = self.known_as(text, key)
        if known is not None and known[0] not in vs:
            return FetchResult(key, "known", f"{key}: the text from {where} is {known[0]} (score {known[1]:.2f}), "
                                             f"already in the corpus; not added again")
        if key in set(scancode.all_keys()) and not vs:
            raise ModeltermsError(f"key {key!r} is a built-in LicenseDB key; choose another with --key")
        n = 1
        if vs:
            last = _VERSION.match(vs[-1])
            n = int(last.group("n")) + 1 if last and last.group("base") == key else 2
        new_key = key if n == 1 else f"{key}-v{n}"
        name = name or _title(text) or key
        if n > 1:
            name = f"{name} (version {n}, fetched {fetched['fetched_at'][:10]})"
        entry = LicenseEntry(
            key=new_key, name=name, kind=kind or guess_kind(name, text), text=text, source="user",
            date=guess_date(key, text), version=str(n) if n > 1 else None, family=f"user:{key}",
            urls=(source["url"],) if source.get("url") else (), fetched=fetched,
            note=f"a newer text than {vs[-1]} at the same source" if n > 1 else None,
        )
        self.corpus.user.put(entry)
        self.corpus._cache.pop(new_key, None)  # as Corpus.add_user_text does: the next get reads the stored file
        stored = self.corpus.user.get(new_key)
        if n > 1:
            return FetchResult(key, "new-version", f"{key}: the text at {where} changed; stored as {new_key} "
                                                   f"(version {n}); {vs[-1]} is kept — `modelterms diff {vs[-1]} {new_key}`",
                               stored)
        return FetchResult(key, "added", f"added {new_key} ({stored.kind}, {len(text):,} chars, sha256 {sha[:12]}) "
                                         f"from {where}", stored)


def _title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().strip("#*_ ").strip()
        if len(line) >= 3:
            return line[:120]
    return None


def repo_file_key(repo_id: str, path: str) -> str:
    """The key a repository's own license file is stored under: org-name-file."""
    stem = Path(path).stem or Path(path).name
    key = re.sub(r"[^a-z0-9.+-]+", "-", f"{repo_id.replace('/', '-')}-{stem}".lower()).strip("-.")
    return key[:100]
