"""Loading and validating the hand-made evaluation data: annotated licenses and use-case questions.

The use-case questions come in splits, each loaded by `load_split`:

- `dev`: evals/usecases/dev/*.yaml — the set the check is tuned on.
- `test`: evals/usecases/test/*.yaml — frozen, written before the issue-11 redesign; never tuned on.
- `paraphrase`: evals/usecases/paraphrases/*.yaml — dev cases said again in other voices (`of: <dev id>`);
  each inherits the dev case's license/model, gold verdict and deciding clauses.
- `external`: ../shared/evals/external-usecases.jsonl (written outside this project); its `external:` texts
  live in ../shared/external and are read at run time, never copied into the repository.
- `devx`: evals/usecases/devx/*.yaml — a second dev (tunable) split written blind to the checker in the style
  of the hidden sets: most cases name `external:` texts under ../shared/external (read at run time); those
  cases are left out when ../shared is absent, the ones on built-in keys always run. Not part of `all`.
- `devx-paraphrase`: evals/usecases/devx-paraphrases/*.yaml — devx cases said again in the three voices
  (`of: <devx id>`), tunable like devx; each inherits the devx case's license, gold and accept, and is left
  out with it when its external text is absent. Not part of `all`.
- `devy`: evals/usecases/devy/*.yaml — a third blind dev split (tunable), same format and loader as devx (ids `dy…`),
  on external texts neither devx nor the external set uses. Not part of `all`.
- `devm`: evals/usecases/devm/*.yaml — a fourth blind dev split (tunable, ids `dm…`) of model-id questions: each
  case names `model: <Hugging Face id>` instead of `license:` and is checked like `check --model ID`, on the
  texts the registry resolves for that id. Not part of `all`.

devx, devy, devm, devz, devw, devv, devu, devt, devs, devr and devq are "blind splits" (`BLIND_SPLITS`: folder = split name, id prefix): one loader (`blind_cases`)
and one validator (`validate_blind`) serve them all.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from corpus.errors import ModeltermsError
from corpus.taxonomy import ATTITUDES, load_taxonomy


def _folder(name: str) -> Path:
    return Path(str(resources.files("evals"))) / name


@lru_cache(maxsize=1)
def annotations() -> dict[str, dict]:
    """license key -> annotation (terms: {term: {attitude, evidence, params}})."""
    out = {}
    for f in sorted(_folder("annotations").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        data["terms"] = data.get("terms") or {}
        data["_file"] = f.name
        out[data["license"]] = data
    return out


SPLITS = ("dev", "test", "paraphrase", "external")  # what `--split all` scores
EXTRA_SPLITS = ("devx", "devx-paraphrase", "devy", "devm")  # scored only when asked for by name, always reported on their own
# blind dev splits written in the style of the hidden sets: split name (= folder under evals/usecases) -> id prefix
BLIND_SPLITS = {"devx": "dx", "devy": "dy", "devm": "dm", "devz": "dz", "devw": "dw", "devv": "dv", "devu": "du", "devt": "dt", "devs": "ds", "devr": "dr", "devq": "dq"}
KINDS = ("direct", "indirect", "near-miss", "threshold", "region", "outputs", "definition")
VERDICTS = ("prohibited", "conditional", "allowed", "unclear")
VOICES = ("actor", "activity", "casual")  # paraphrase voices: who not what; what not the category word; casual
EXTERNAL_PREFIX = "external:"
# ../shared relative to the repository root (where CI puts it next to the clone)
DEFAULT_EXTERNAL = Path(__file__).resolve().parent.parent.parent / "shared" / "evals" / "external-usecases.jsonl"
DEFAULT_EXTERNAL_TEXTS = DEFAULT_EXTERNAL.parent.parent / "external"


@lru_cache(maxsize=4)
def usecases(split: str = "dev") -> list[dict]:
    """The hand-written questions of one folder split (`dev` or `test`); each carries `_file` and `_split`."""
    if split not in ("dev", "test"):
        raise ValueError(f"usecases() reads the dev or test folder, not {split!r}")
    return _read_folder(split)


def _read_folder(split: str) -> list[dict]:
    """The cases of evals/usecases/<split>/*.yaml as written, each with `_file` and `_split`."""
    out = []
    for f in sorted((_folder("usecases") / split).glob("*.yaml")):
        for q in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            q["_file"] = f"{split}/{f.name}"
            q["_split"] = split
            out.append(q)
    return out


@lru_cache(maxsize=1)
def paraphrase_entries() -> list[dict]:
    """The paraphrase files as written: `of`, `voice`, `use` (and `_file`)."""
    out = []
    for f in sorted((_folder("usecases") / "paraphrases").glob("*.yaml")):
        for p in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            p["_file"] = f"paraphrases/{f.name}"
            out.append(p)
    return out


def paraphrases() -> list[dict]:
    """Each paraphrase as a full case: id `<dev id>~<voice>`, its own `use`, everything else from the dev case."""
    dev = {c["id"]: c for c in usecases("dev")}
    out = []
    for p in paraphrase_entries():
        base = dev.get(p.get("of"))
        if base is None:
            continue  # validate() reports it
        case = {k: v for k, v in base.items() if not k.startswith("_") and k != "use"}
        case.update(id=f"{p['of']}~{p['voice']}", of=p["of"], voice=p["voice"], use=p["use"],
                    _file=p["_file"], _split="paraphrase")
        out.append(case)
    return out


def external_cases(path: Path | None = None) -> list[dict] | None:
    """The external set as cases (`verdict` = its `gold`; `accept` the other defensible verdicts), or None
    when the file is absent. An `external:` license names a file under the `external` folder next to the
    set's folder; `_text_path` points at it for the caller to add as a transient corpus entry."""
    path = Path(path) if path else DEFAULT_EXTERNAL
    if not path.is_file():
        return None
    texts = path.resolve().parent.parent / "external"
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            case = {"id": row["id"], "license": row["license"], "use": row["use"], "verdict": row["gold"]}
        except (ValueError, KeyError, TypeError) as e:
            raise ModeltermsError(f"{path}:{n}: not a case with id, license, use and gold ({type(e).__name__})")
        if case["verdict"] not in VERDICTS:
            raise ModeltermsError(f"{path}:{n}: gold {case['verdict']!r} is not one of {', '.join(VERDICTS)}")
        case.update({"accept": list(row.get("accept") or []), "kind": row.get("kind") or "direct",
                     "evidence": row.get("evidence", ""), "deciding": [], "_file": f"{path.name}:{n}",
                     "_split": "external"})
        if row["license"].startswith(EXTERNAL_PREFIX):
            case["_text_path"] = str(texts / row["license"][len(EXTERNAL_PREFIX):])
        out.append(case)
    return out


@lru_cache(maxsize=len(BLIND_SPLITS))
def blind_entries(split: str) -> list[dict]:
    """The files of one blind split (devx, devy) as written (each case with `_file` and `_split`), external
    texts unresolved."""
    if split not in BLIND_SPLITS:
        raise ValueError(f"{split!r} is not a blind split; one of {', '.join(BLIND_SPLITS)}")
    return _read_folder(split)


def devx_entries() -> list[dict]:
    """The devx files as written (see `blind_entries`)."""
    return blind_entries("devx")


def devy_entries() -> list[dict]:
    """The devy files as written (see `blind_entries`)."""
    return blind_entries("devy")


def devm_entries() -> list[dict]:
    """The devm files as written (see `blind_entries`): model-id questions, `model:` instead of `license:`."""
    return blind_entries("devm")


def _entries_of(split: str) -> list[dict]:
    """A blind split's entries through its module-level function, so that a test can substitute one split's rows."""
    return {"devx": devx_entries, "devy": devy_entries, "devm": devm_entries}.get(split, lambda: blind_entries(split))()


def texts_next_to(external: Path | None) -> Path:
    """The external texts folder that goes with an external set file (../shared/evals/x.jsonl ->
    ../shared/external), or the default one."""
    return Path(external).resolve().parent.parent / "external" if external else DEFAULT_EXTERNAL_TEXTS


def blind_cases(split: str, texts: Path | None = None) -> tuple[list[dict], list[str]]:
    """The cases of a blind split (devx, devy) that can run, and the ids left out because their `external:`
    text is not under `texts` (../shared/external by default). A runnable external case carries `_text_path`."""
    texts = Path(texts) if texts else DEFAULT_EXTERNAL_TEXTS
    run, missing = [], []
    for q in _entries_of(split):
        case = dict(q)
        case.setdefault("accept", [])
        lic = case.get("license") or ""
        if lic.startswith(EXTERNAL_PREFIX):
            path = texts / lic[len(EXTERNAL_PREFIX):]
            if not path.is_file():
                missing.append(case["id"])
                continue
            case["_text_path"] = str(path)
        run.append(case)
    return run, missing


def devx_cases(texts: Path | None = None) -> tuple[list[dict], list[str]]:
    """The devx cases that can run and the ids left out (see `blind_cases`)."""
    return blind_cases("devx", texts)


def devy_cases(texts: Path | None = None) -> tuple[list[dict], list[str]]:
    """The devy cases that can run and the ids left out (see `blind_cases`)."""
    return blind_cases("devy", texts)


def devm_cases(texts: Path | None = None) -> tuple[list[dict], list[str]]:
    """The devm cases (all run: a model id needs no external text) and the ids left out (none)."""
    return blind_cases("devm", texts)


@lru_cache(maxsize=1)
def devx_paraphrase_entries() -> list[dict]:
    """The devx-paraphrase files as written: `of`, `voice`, `use` (and `_file`)."""
    out = []
    for f in sorted((_folder("usecases") / "devx-paraphrases").glob("*.yaml")):
        for p in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            p["_file"] = f"devx-paraphrases/{f.name}"
            out.append(p)
    return out


def devx_paraphrases(texts: Path | None = None) -> tuple[list[dict], list[str]]:
    """Each devx paraphrase that can run as a full case (id `<devx id>~<voice>`, its own `use`, everything
    else from the devx case, `_text_path` included), and the ids left out with their devx case."""
    run, missing = devx_cases(texts)
    base = {c["id"]: c for c in run}
    out, left = [], []
    for p in devx_paraphrase_entries():
        pid = f"{p.get('of')}~{p.get('voice')}"
        if p.get("of") in missing:
            left.append(pid)
            continue
        if p.get("of") not in base:
            continue  # validate_devx_paraphrases() reports it
        case = {k: v for k, v in base[p["of"]].items() if k not in ("use", "_file", "_split")}
        case.update(id=pid, of=p["of"], voice=p["voice"], use=p["use"], _file=p["_file"], _split="devx-paraphrase")
        out.append(case)
    return out, left


def validate_devx_paraphrases() -> list[str]:
    """Problems in the devx-paraphrase files: `of` names a devx case, a known voice, a use, no duplicate."""
    return validate_paraphrases(devx_paraphrase_entries(), {q.get("id") for q in devx_entries()}, "devx")


def validate_paraphrases(entries: list[dict], of_ids: set, of_split: str) -> list[str]:
    """Problems in paraphrase entries: `of` names a case of `of_split`, a known voice, a use, no duplicate."""
    problems, pairs = [], set()
    for p in entries:
        where = f"{p['_file']}: {p.get('of')}~{p.get('voice')}"
        if p.get("of") not in of_ids:
            problems.append(f"{where}: `of` must name a {of_split} case")
        if p.get("voice") not in VOICES:
            problems.append(f"{where}: voice must be one of {', '.join(VOICES)}")
        if not (p.get("use") or "").strip():
            problems.append(f"{where}: empty use")
        if (p.get("of"), p.get("voice")) in pairs:
            problems.append(f"{where}: duplicate paraphrase")
        pairs.add((p.get("of"), p.get("voice")))
    return problems


def load_split(split: str, external: Path | None = None) -> list[dict] | None:
    """One loader for every split; None only for `external` when its file is absent. For the blind splits
    (devx, devy), the cases whose external text is absent are left out (see `blind_cases`)."""
    if split in ("dev", "test"):
        return list(usecases(split))
    if split in BLIND_SPLITS:
        return blind_cases(split, texts_next_to(external))[0]
    if split == "devx-paraphrase":
        return devx_paraphrases(texts_next_to(external))[0]
    if split == "paraphrase":
        return paraphrases()
    if split == "external":
        return external_cases(external)
    raise ValueError(f"unknown split {split!r}; one of {', '.join(SPLITS + EXTRA_SPLITS)}")


def validate(clause_ids: dict[str, set[str]]) -> list[str]:
    """Problems in the data given each license's clause ids; an empty list when all is sound."""
    problems = []
    terms = load_taxonomy()
    for key, ann in annotations().items():
        if ann["_file"] != f"{key}.yaml":
            problems.append(f"{ann['_file']}: license {key!r} does not match the file name")
        if key not in clause_ids:
            problems.append(f"{ann['_file']}: unknown license {key!r}")
            continue
        for tid, t in ann["terms"].items():
            if tid not in terms:
                problems.append(f"{key}: unknown term {tid!r}")
            if t.get("attitude") not in ATTITUDES:
                problems.append(f"{key}.{tid}: bad attitude {t.get('attitude')!r}")
            if not t.get("evidence"):
                problems.append(f"{key}.{tid}: no evidence")
            for cid in t.get("evidence") or []:
                if cid not in clause_ids[key]:
                    problems.append(f"{key}.{tid}: evidence {cid!r} is not a clause of {key}")
    seen = set()
    all_ids = set().union(*clause_ids.values()) if clause_ids else set()
    for q in usecases("dev") + usecases("test"):
        qid = q.get("id")
        if qid in seen:
            problems.append(f"{q['_file']}: duplicate id {qid}")
        seen.add(qid)
        if q.get("verdict") not in VERDICTS:
            problems.append(f"{qid}: bad verdict {q.get('verdict')!r}")
        if not q.get("use") or not (q.get("license") or q.get("model") or q.get("card")):
            problems.append(f"{qid}: needs `use` and one of license/model/card")
        if q.get("license") and q["license"] not in clause_ids:
            problems.append(f"{qid}: unknown license {q['license']!r}")
        for cid in q.get("deciding") or []:
            if cid not in all_ids:
                problems.append(f"{qid}: deciding clause {cid!r} does not exist")
    for split in BLIND_SPLITS:  # ids unique across dev, test and every blind split
        problems += validate_blind(split, set(clause_ids), seen)
        seen |= {q.get("id") for q in _entries_of(split)}
    problems += validate_devx_paraphrases()
    problems += validate_paraphrases(paraphrase_entries(), {q["id"] for q in usecases("dev")}, "dev")
    return problems


def validate_devx(builtin_keys: set[str], other_ids: set[str] = frozenset(), texts: Path | None = None) -> list[str]:
    """Problems in the devx files (see `validate_blind`)."""
    return validate_blind("devx", builtin_keys, other_ids, texts)


def validate_devy(builtin_keys: set[str], other_ids: set[str] = frozenset(), texts: Path | None = None) -> list[str]:
    """Problems in the devy files (see `validate_blind`)."""
    return validate_blind("devy", builtin_keys, other_ids, texts)


def validate_devm(builtin_keys: set[str], other_ids: set[str] = frozenset(), texts: Path | None = None) -> list[str]:
    """Problems in the devm files (see `validate_blind`)."""
    return validate_blind("devm", builtin_keys, other_ids, texts)


def validate_blind(split: str, builtin_keys: set[str], other_ids: set[str] = frozenset(),
                   texts: Path | None = None) -> list[str]:
    """Problems in a blind split's files: fields, verdict/kind vocabularies, ids unique (also against
    `other_ids`: dev, test, the other blind splits) and carrying the split's prefix, built-in keys that exist,
    and `external:` paths that exist when the external texts are present. A case names its subject by exactly one
    of `license` (a built-in key or an `external:` text) and `model` (a Hugging Face id, owner/name)."""
    texts = Path(texts) if texts else DEFAULT_EXTERNAL_TEXTS
    prefix = BLIND_SPLITS[split]
    problems, seen = [], set(other_ids)
    for q in _entries_of(split):
        qid = q.get("id")
        where = f"{q['_file']}: {qid}"
        if not qid or qid in seen:
            problems.append(f"{where}: missing or duplicate id")
        elif not str(qid).startswith(prefix):
            problems.append(f"{where}: a {split} id starts with {prefix!r}")
        seen.add(qid)
        for field in ("use", "verdict", "kind", "note"):
            if not (str(q.get(field) or "")).strip():
                problems.append(f"{where}: needs `{field}`")
        subjects = [f for f in ("license", "model") if str(q.get(f) or "").strip()]
        if len(subjects) != 1:
            problems.append(f"{where}: needs exactly one of `license` and `model`")
        model = str(q.get("model") or "")
        if model and (model.count("/") != 1 or not all(part.strip() for part in model.split("/"))):
            problems.append(f"{where}: a model is a Hugging Face id owner/name, not {model!r}")
        if q.get("verdict") not in VERDICTS:
            problems.append(f"{where}: bad verdict {q.get('verdict')!r}")
        if q.get("kind") not in KINDS:
            problems.append(f"{where}: kind must be one of {', '.join(KINDS)}")
        accept = q.get("accept") or []
        if not isinstance(accept, list) or any(a not in VERDICTS or a == q.get("verdict") for a in accept):
            problems.append(f"{where}: accept must list other verdicts")
        lic = q.get("license") or ""
        if lic.startswith(EXTERNAL_PREFIX):
            rel = lic[len(EXTERNAL_PREFIX):]
            if not rel.startswith(("licenses/", "aup/")) or ".." in Path(rel).parts:
                problems.append(f"{where}: an external license is external:licenses/... or external:aup/...")
            elif texts.is_dir() and not (texts / rel).is_file():
                problems.append(f"{where}: {texts / rel} does not exist")
        elif lic and lic not in builtin_keys:
            problems.append(f"{where}: unknown built-in license {lic!r}")
    problems += _rewording_problems(_entries_of(split))
    return problems


# what a rewording (`of`) shares with its base case: the question's subject and its gold
_SHARED_WITH_BASE = ("license", "model", "verdict", "accept", "kind")


def _rewording_problems(entries: list[dict]) -> list[str]:
    """A rewording inside a blind split names its base case in `of`; it must exist, be a base case itself, and
    carry the same subject and gold (else the group's consistency would compare different questions)."""
    by_id = {q.get("id"): q for q in entries}
    problems = []
    for q in entries:
        if not q.get("of"):
            continue
        where = f"{q['_file']}: {q.get('id')}"
        base = by_id.get(q["of"])
        if base is None or base.get("of"):
            problems.append(f"{where}: `of` names no base case of this split ({q['of']!r})")
            continue
        differ = [f for f in _SHARED_WITH_BASE if (q.get(f) or None) != (base.get(f) or None)]
        if differ:
            problems.append(f"{where}: a rewording keeps its base case's {', '.join(differ)}")
    return problems
