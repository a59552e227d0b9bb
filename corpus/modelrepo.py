"""A model repository as data: its card's metadata as the Hub writes it, and its files.

One reader for every place a repository can be: a local folder (or its README), a snapshot in the
Hugging Face cache (`models--ORG--NAME/snapshots/REV/`), and — through `huggingface_hub` — the Hub
itself (added by the fetch work). `check --card`, `models`, `audit` and the census all read repos
through this type, so card fields are interpreted in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ModeltermsError, UnreachableError
from .frontmatter import split_front_matter
from .textfile import read_text_file

# Files that carry terms: the license, notices, use policies, terms of use.
LICENSE_FILE = re.compile(r"^(licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]?use|responsible[_-]?use|"
                          r"terms|model[_-]?licen[cs]e|llama\d*[_-]?licen[cs]e)", re.I)
TEXT_SUFFIXES = ("", ".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".rst")
CARD_NAMES = ("README.md", "readme.md", "README.MD", "Readme.md")
MAX_CARD_BYTES = 2_000_000
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")


def is_repo_id(text: str) -> bool:
    """ORG/NAME as the Hub spells repo ids (a revision may follow after '@')."""
    return bool(_REPO_ID.match(text.split("@", 1)[0]))


@dataclass(frozen=True)
class RepoFile:
    path: str  # relative to the repo root, '/'-separated
    size: int


@dataclass
class ModelRepo:
    source: str                       # local | hf-cache | hub
    repo_id: str | None = None
    revision: str | None = None
    root: Path | None = None          # folder with the files (a local folder or a cache snapshot)
    card_path: str | None = None      # relative path of the card, e.g. README.md
    card_meta: dict = field(default_factory=dict)
    card_text: str = ""               # the card body, front matter removed
    files: tuple[RepoFile, ...] = ()  # every file (names and sizes; weights are never read)
    notes: list[str] = field(default_factory=list)

    # --- card metadata, read exactly as the Hub writes it ------------------------------------
    def _list(self, key: str) -> list[str]:
        v = self.card_meta.get(key)
        if v is None or v == "":
            return []
        items = v if isinstance(v, list) else [v]
        return [str(x).strip() for x in items if x is not None and str(x).strip()]

    @property
    def licenses(self) -> list[str]:
        return self._list("license")

    @property
    def license_name(self) -> str | None:
        names = self._list("license_name")
        return names[0] if names else None

    @property
    def license_link(self) -> str | None:
        links = self._list("license_link")
        return links[0] if links else None

    @property
    def base_models(self) -> list[str]:
        return self._list("base_model")

    @property
    def base_model_relation(self) -> str | None:
        rel = self._list("base_model_relation")
        return rel[0].lower() if rel else None

    @property
    def tags(self) -> list[str]:
        return self._list("tags")

    @property
    def datasets(self) -> list[str]:
        return self._list("datasets")

    @property
    def gated(self) -> dict:
        """The `extra_gated_*` fields (prompt, fields, heading…): terms a user accepts to download."""
        return {k: v for k, v in self.card_meta.items() if str(k).startswith("extra_gated")}

    @property
    def name(self) -> str:
        for key in ("model_name", "name"):
            if self.card_meta.get(key):
                return str(self.card_meta[key])
        if self.repo_id:
            return self.repo_id
        return self.root.name if self.root else "model"

    # --- files ------------------------------------------------------------------------------
    def license_files(self) -> list[RepoFile]:
        """Top-level files that carry terms (LICENSE, NOTICE, USE_POLICY.md, …), by name."""
        out = []
        for f in self.files:
            name = f.path.rsplit("/", 1)[-1]
            if "/" in f.path or not LICENSE_FILE.match(name):
                continue
            if Path(name).suffix.lower() in TEXT_SUFFIXES:
                out.append(f)
        return sorted(out, key=lambda f: f.path.lower())

    def has_file(self, pattern: str) -> bool:
        rx = re.compile(pattern, re.I)
        return any(rx.search(f.path) for f in self.files)

    def read_text(self, path: str, max_bytes: int) -> str:
        """A file's text, through the same size/encoding/binary checks as `corpus add`."""
        if self.root is None:
            raise ModeltermsError(f"{path}: this repository's files are not on disk")
        target = (self.root / path)
        # Confined to the repo: a card cannot make us read outside its own folder.
        if not _inside(target, self.root):
            raise ModeltermsError(f"{path}: outside the repository")
        return read_text_file(target, max_bytes)


def _inside(path: Path, root: Path) -> bool:
    try:
        # snapshots hold symlinks into ../../blobs: resolve the parent folder, not the link itself
        return path.parent.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def _list_files(root: Path, limit: int = 20_000) -> tuple[RepoFile, ...]:
    out = []
    for p in sorted(root.rglob("*")):
        if len(out) >= limit:
            break
        rel = p.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):  # .git, .cache, editor files
            continue
        try:
            if p.is_file():
                out.append(RepoFile(rel, p.stat().st_size))
        except OSError:
            continue
    return tuple(out)


def _read_card(root: Path, card: Path, repo: ModelRepo, label: str) -> None:
    size = card.stat().st_size
    if size > MAX_CARD_BYTES:
        raise ModeltermsError(f"{label}: model card is too large ({size / 1e6:.1f} MB; the limit is "
                              f"{MAX_CARD_BYTES / 1e6:.1f} MB)")
    text = read_text_file(card, MAX_CARD_BYTES, suffixes=None) if size else ""  # a card, whatever it is called
    repo.card_meta, repo.card_text = split_front_matter(text, label)
    repo.card_path = card.relative_to(root).as_posix() if _inside(card, root) else card.name


def open_local(path: Path) -> ModelRepo:
    """A repository on disk: a folder (its README.md is the card) or a card file."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ModeltermsError(f"{path}: no such folder or model card")
    root = path if path.is_dir() else path.parent
    repo = ModelRepo(source="local", root=root, files=_list_files(root) if path.is_dir() else ())
    card = path if path.is_file() else next((root / n for n in CARD_NAMES if (root / n).is_file()), None)
    if path.is_file():
        repo.files = _list_files(root)
    if card is None:
        repo.notes.append(f"{root}: no README.md model card")
    else:
        _read_card(root, card, repo, str(card))
    return repo


def cache_snapshot(repo_id: str, cache_dir: Path, revision: str | None = None) -> tuple[Path, str] | None:
    """(snapshot folder, commit) of a model in the Hugging Face cache layout, or None."""
    if not is_repo_id(repo_id):
        return None
    base = Path(cache_dir) / ("models--" + repo_id.replace("/", "--"))
    if not base.is_dir():
        return None
    rev = revision or "main"
    ref = base / "refs" / rev
    commit = ref.read_text(encoding="utf-8").strip() if ref.is_file() else rev
    snap = base / "snapshots" / commit
    if snap.is_dir():
        return snap, commit
    if revision is None:
        # No 'main' ref (a download by commit): take the newest snapshot.
        snaps = sorted((p for p in (base / "snapshots").glob("*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
        if snaps:
            return snaps[-1], snaps[-1].name
    return None


def open_cached(repo_id: str, cache_dir: Path, revision: str | None = None) -> ModelRepo | None:
    """The repository as the Hugging Face cache holds it, or None when it is not cached."""
    found = cache_snapshot(repo_id, cache_dir, revision)
    if found is None:
        return None
    snap, commit = found
    repo = ModelRepo(source="hf-cache", repo_id=repo_id, revision=commit, root=snap, files=_list_files(snap))
    card = next((snap / n for n in CARD_NAMES if (snap / n).is_file()), None)
    if card is None:
        repo.notes.append(f"{repo_id}@{commit[:12]}: the cached snapshot has no README.md")
    else:
        _read_card(snap, card, repo, f"{repo_id} model card")
    return repo


# --- the Hub, through huggingface_hub -------------------------------------------------------

def hub_error(e: Exception, repo_id: str, settings, filename: str | None = None) -> ModeltermsError:
    """One line for what went wrong talking to the Hub; UnreachableError when it was not reached at all."""
    from huggingface_hub import errors as hf

    where = settings.hf_endpoint
    what = f"{repo_id}/{filename}" if filename else repo_id
    if isinstance(e, hf.GatedRepoError):
        return ModeltermsError(f"{repo_id} is a gated repository: accept its terms at {where}/{repo_id} and set "
                               f"HF_TOKEN to a token of that account")
    if isinstance(e, hf.RevisionNotFoundError):
        return ModeltermsError(f"{repo_id}: no such revision on {where}")
    if isinstance(e, getattr(hf, "LocalEntryNotFoundError", ())):
        # hf_hub_download's word for "the Hub could not be reached and the file is not cached"
        cause = e.__cause__ or e.__context__
        return UnreachableError(f"{where} ({type(cause).__name__ if cause else 'unreachable'})")
    if isinstance(e, hf.EntryNotFoundError):
        return ModeltermsError(f"{what}: no such file in the repository on {where}")
    if isinstance(e, hf.RepositoryNotFoundError):
        return ModeltermsError(f"{repo_id}: no such model repository on {where} (a private one needs HF_TOKEN)")
    if isinstance(e, hf.OfflineModeIsEnabled):
        return UnreachableError(f"{where} (HF_HUB_OFFLINE is set)")
    if isinstance(e, hf.HfHubHTTPError):
        status = getattr(getattr(e, "response", None), "status_code", "?")
        return ModeltermsError(f"{what}: {where} answered HTTP {status}")
    if isinstance(e, (OSError, TimeoutError)) or "Timeout" in type(e).__name__ or "Connect" in type(e).__name__:
        return UnreachableError(f"{where} ({type(e).__name__})")
    return ModeltermsError(f"{what}: {type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}")


def hub_file(repo_id: str, filename: str, revision: str | None, settings, size: int | None = None) -> tuple[Path, str]:
    """(local path in the HF cache, commit) of one file of a Hub repo, downloaded unless cached.

    The size is checked before anything is downloaded (the HEAD's, else the repo listing's)."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url

    token = settings.hf_token or None
    try:
        # Our own HEAD first, without retries: an unreachable Hub fails in one timeout, not after
        # hf_hub_download's back-off, and the size is known before anything is downloaded.
        url = hf_hub_url(repo_id, filename, revision=revision, endpoint=settings.hf_endpoint)
        head = get_hf_file_metadata(url, token=token, timeout=settings.fetch_timeout, endpoint=settings.hf_endpoint)
        size = head.size if head.size is not None else size
        if size is not None and size > settings.max_file_bytes:
            raise ModeltermsError(f"{repo_id}/{filename}: too large ({size / 1e6:.1f} MB; the limit is "
                                  f"{settings.max_file_bytes / 1e6:.1f} MB)")
        local = hf_hub_download(repo_id, filename, revision=revision, cache_dir=str(settings.hf_cache),
                                endpoint=settings.hf_endpoint, token=token, etag_timeout=settings.fetch_timeout)
    except ModeltermsError:
        raise
    except Exception as e:  # huggingface_hub / httpx errors: one line each
        raise hub_error(e, repo_id, settings, filename) from None
    local = Path(local)
    # .../snapshots/<commit>/<filename>
    commit = local.parents[len(Path(filename).parts) - 1].name
    return local, commit


def open_hub(repo_id: str, revision: str | None, settings) -> ModelRepo:
    """The repository on the Hub: card metadata and file list from `model_info`; the card and the
    license files downloaded into the HF cache (weights never), so later runs find them offline."""
    from huggingface_hub import HfApi

    if not is_repo_id(repo_id):
        raise ModeltermsError(f"{repo_id!r} is not a Hugging Face repo id (ORG/NAME)")
    api = HfApi(endpoint=settings.hf_endpoint, token=settings.hf_token or None)
    try:
        info = api.model_info(repo_id, revision=revision, timeout=settings.fetch_timeout, files_metadata=True)
    except Exception as e:
        err = hub_error(e, repo_id, settings)
        if isinstance(err, UnreachableError):
            raise UnreachableError(f"could not reach {err}: {repo_id} was not read") from None
        raise err from None
    commit = info.sha or revision or "main"
    files = tuple(RepoFile(s.rfilename, int(s.size or 0)) for s in (info.siblings or []))
    repo = ModelRepo(source="hub", repo_id=repo_id, revision=commit, files=files)
    card_name = next((n for n in CARD_NAMES if any(f.path == n for f in files)), None)
    wanted = ([card_name] if card_name else []) + [f.path for f in repo.license_files()]
    sizes = {f.path: f.size for f in files}
    for name in wanted:
        try:
            local, _ = hub_file(repo_id, name, commit, settings, size=sizes.get(name) or None)
        except UnreachableError:
            raise
        except ModeltermsError as e:
            repo.notes.append(f"{e}; not read")
            continue
        repo.root = local.parent if "/" not in name else local.parents[len(Path(name).parts) - 1]
    if card_name and repo.root is not None and (repo.root / card_name).is_file():
        _read_card(repo.root, repo.root / card_name, repo, f"{repo_id} model card")
    else:
        data = getattr(info, "card_data", None)
        repo.card_meta = data.to_dict() if data is not None else {}
        if card_name is None:
            repo.notes.append(f"{repo_id}@{commit[:12]}: the repository has no README.md")
    return repo


def open_repo(target: str, settings, fetch: bool | None = None) -> ModelRepo | None:
    """A repository from wherever it is: a local folder or card, the HF cache, then the Hub when
    fetching is allowed (`fetch`, else settings.fetch). None when it is nowhere we may look."""
    path = Path(target).expanduser()
    if path.exists():
        return open_local(path)
    if not is_repo_id(target):
        raise ModeltermsError(f"{target}: not a folder, a model card or a Hugging Face repo id (ORG/NAME)")
    repo_id, _, rev = target.partition("@")
    cached = open_cached(repo_id, settings.hf_cache, rev or None)
    allowed = settings.fetch if fetch is None else fetch
    # A snapshot without its card (a download of a single file) is not the repository's word on its
    # terms: when fetching is allowed the Hub is asked, and the partial snapshot stays the fallback.
    if cached is not None and (cached.card_path is not None or not allowed):
        return cached
    if allowed:
        try:
            return open_hub(repo_id, rev or None, settings)
        except UnreachableError:
            if cached is not None:
                return cached
            raise
    return None
