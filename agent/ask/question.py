"""Rule-based reading of a free-form question: what is asked about which model or license.

No LLM: reproducible and fast. A question names its target in one of four ways, tried in this
order of precedence (a more explicit kind wins when a question has several):

1. a corpus key (`llama-3.1-license-2024`) or a path to a model card / model folder;
2. a license by name ("the Apache 2.0 license", "OpenRAIL++", "Gemma Terms of Use", any
   user-added text's name);
3. a Hugging Face model id (`meta-llama/Llama-3.2-11B-Vision`), resolved through the registry;
4. a model named in prose ("Llama 3.2 Vision", "Gemma 2", "SDXL", "Qwen-7B").

What is left once the target mentions are taken out is the use, read by agent/usecase.py.
A follow-up ("and with Llama 3.2 Vision?", "what if we had 900 million users?") reuses what the
previous question said: its use when only the target changes, its target when only the use does.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.catalog import Corpus

from ..models import registry

INTENTS = ("check", "explain", "search", "compare", "resolve")

# --- model names in prose → Hugging Face license ids of corpus/models.yaml -----------------------
# (pattern over lower-cased text, hf license id, label). More specific patterns first; a span
# matched once is not matched again by a later pattern.
_V = r"[\s_-]*"
MODEL_NAMES: list[tuple[str, str, str]] = [
    (rf"\bllama{_V}guard{_V}3\b", "llama3.1", "Llama Guard 3"),
    (rf"\b(?:meta{_V})?llama{_V}3\.1{_V}nemotron\b|\bnemotron\b", "nvidia-open-model-license", "Nemotron"),
    (rf"\bhermes{_V}3\b", "llama3.1", "Hermes 3 (Llama 3.1)"),
    (rf"\b(?:meta{_V})?llama{_V}4\b(?:{_V}(?:scout|maverick|behemoth))?", "llama4", "Llama 4"),
    (rf"\b(?:meta{_V})?llama{_V}3\.3\b", "llama3.3", "Llama 3.3"),
    (rf"\b(?:meta{_V})?llama{_V}3\.2\b", "llama3.2", "Llama 3.2"),
    (rf"\b(?:meta{_V})?llama{_V}3\.1\b", "llama3.1", "Llama 3.1"),
    (rf"\b(?:meta{_V})?llama{_V}3\b(?!\.\d)", "llama3", "Llama 3"),
    (rf"\b(?:meta{_V})?llama{_V}2\b|\bcode{_V}llama\b|\bvicuna\b", "llama2", "Llama 2"),
    (rf"\b(?:original|first{_V}gen(?:eration)?|v1|first|1st)(?:{_V}meta)?{_V}llama\b|\bllama{_V}(?:1|v1)\b"
     rf"|\bllama{_V}(?:7|13|30|33|65)b\b", "llama1", "LLaMA (original)"),
    (rf"\b(?:code|pali|recurrent|shield)?gemma{_V}3n?\b", "gemma", "Gemma 3"),
    (rf"\bgemma{_V}(?:2|1\.1|1)\b|\b(?:code|pali|recurrent){_V}gemma\b|\bgemma{_V}(?:2|7)b\b", "gemma-2024", "Gemma 2"),
    (r"\bgemma\b", "gemma", "Gemma"),
    (rf"\bdeepseek{_V}r1\b|\bdeepseek{_V}v3{_V}0324\b", "mit", "DeepSeek-R1"),
    (rf"\bdeepseek(?:{_V}(?:v2|v2\.5|v3|llm|coder|math|vl|moe))?\b", "deepseek", "DeepSeek"),
    (rf"\bqwen{_V}2(?:\.5)?{_V}72b\b", "qwen", "Qwen2.5-72B"),
    (rf"\bqwen{_V}2\.5{_V}3b\b", "qwen-research", "Qwen2.5-3B"),
    (rf"\bqwen{_V}(?:2\.5|2|3)\b|\bqwq\b", "apache-2.0", "Qwen2/2.5/3"),
    (rf"\btongyi{_V}qianwen\b|\bqwen(?:{_V}1(?:\.5)?)?(?:{_V}(?:1\.8|7|14|72)b)\b|\bqwen{_V}1(?:\.5)?\b",
     "tongyi-qianwen", "Qwen (1st generation, Tongyi Qianwen)"),
    (r"\bqwen\b", "qwen", "Qwen"),
    (rf"\bfalcon{_V}(?:2|11b)\b", "falcon-llm-license", "Falcon 2"),
    (rf"\bfalcon{_V}(?:7|40)b\b", "apache-2.0", "Falcon 7B/40B"),
    (rf"\bsdxl{_V}turbo\b|\bstable{_V}cascade\b", "stabilityai-nc-research-community", "SDXL Turbo / Stable Cascade"),
    (rf"\bstable{_V}diffusion{_V}3(?:\.5)?\b|\bsd{_V}3(?:\.5)?\b|\bstablelm{_V}2\b|\bstablelm\b", "stabilityai-ai-community",
     "Stability AI community models"),
    (rf"\bsdxl\b|\bstable{_V}diffusion{_V}(?:xl|2(?:\.\d)?)\b|\bsd{_V}2(?:\.\d)?\b", "openrail++", "Stable Diffusion XL / 2.x"),
    (rf"\bstable{_V}diffusion(?:{_V}v?1(?:\.\d)?)?\b|\bsd{_V}1\.\d\b", "creativeml-openrail-m", "Stable Diffusion 1.x"),
    (rf"\bflux(?:\.1)?{_V}\[?schnell\]?", "apache-2.0", "FLUX.1 [schnell]"),
    (rf"\bflux(?:\.1)?(?:{_V}\[?dev\]?)?(?![\w])", "flux-1-dev-non-commercial-license", "FLUX.1 [dev]"),
    (r"\bbloomz?\b", "bigscience-bloom-rail-1.0", "BLOOM"),
    (rf"\bstar{_V}coder(?:{_V}?(?:2|base))?\b|\bsanta{_V}coder\b", "bigcode-openrail-m", "StarCoder"),
    (r"\bexaone\b", "exaone", "EXAONE"),
    (rf"\bcosmos\b", "nvidia-open-model-license", "NVIDIA Cosmos"),
    (rf"\bkimi{_V}k2\b", "modified-mit", "Kimi K2"),
    (rf"\bmistral{_V}(?:7b|nemo|small)\b|\bmixtral\b|\bopenhermes\b", "apache-2.0", "Mistral (Apache-2.0 models)"),
    (rf"\bphi{_V}[1-4](?:\.5)?\b", "mit", "Phi"),
    (rf"\bgpt{_V}oss\b", "apache-2.0", "gpt-oss"),
    (r"\bwhisper\b|\bolmo\b", "apache-2.0", "Whisper / OLMo"),
    (rf"\bhunyuan{_V}3d(?:{_V}2(?:\.\d)?)?\b", "tencent-hunyuan-3d-2.0-community", "Hunyuan3D 2"),
    (rf"\bhyper{_V}clova{_V}x?(?:{_V}seed)?\b", "hyperclovax-seed", "HyperCLOVA X SEED"),
    (r"\bchameleon\b", "chameleon-research-license", "Chameleon"),
    (r"\bfastvlm\b", "apple-amlr", "FastVLM"),
]
# Versionless family names: which version is meant cannot be told, so nothing is guessed.
_AMBIGUOUS = [(r"\bllama\b", "Llama"), (r"\bmistral\b", "Mistral"), (r"\bfalcon\b", "Falcon")]

# --- licenses by name → corpus keys ---------------------------------------------------------
LICENSE_NAMES: list[tuple[str, list[str]]] = [
    (rf"\bcreativeml{_V}open{_V}?rail{_V}m\b", ["stable-diffusion-2022-08-22"]),
    (rf"\b(?:creativeml{_V})?open{_V}?rail\+\+(?:{_V}m)?|\brail\+\+(?:{_V}m)?", ["bigscience-open-rail-m2"]),
    (rf"\bbigcode{_V}open{_V}?rail(?:{_V}m)?\b", ["bigcode-open-rail-m-v1"]),
    (rf"\b(?:bigscience{_V})?bloom{_V}rail\b|\bbigscience{_V}rail(?:{_V}(?:license|1\.0))?\b", ["bigscience-rail-1.0"]),
    (rf"\b(?:bigscience{_V})?open{_V}?rail(?:{_V}m)?\b", ["bigscience-open-rail-m"]),
    (rf"\bgemma{_V}(?:prohibited{_V}use{_V}policy|pup)\b", ["gemma-pup-2024-02-21"]),
    (rf"\bllama{_V}4{_V}(?:acceptable{_V}use{_V}policy|aup)\b", ["llama-4-license-2025"]),
    (rf"\bapache(?:{_V}(?:license|licence))?(?:{_V}(?:v(?:ersion)?{_V})?2(?:\.0)?)?\b", ["apache-2.0"]),
    (rf"\bmit{_V}(?:license|licence|licensed)\b|(?<=\bunder\s)(?:the\s+)?mit\b", ["mit"]),
    (rf"\bcc{_V}by{_V}nc{_V}sa\b", ["cc-by-nc-sa-4.0"]),
    (rf"\bcc{_V}by{_V}nc{_V}nd\b", ["cc-by-nc-nd-4.0"]),
    (rf"\bcc{_V}by{_V}nc\b", ["cc-by-nc-4.0"]),
    (rf"\bcc{_V}by{_V}sa\b", ["cc-by-sa-4.0"]),
    (rf"\bcc{_V}by{_V}nd\b", ["cc-by-nd-4.0"]),
    (rf"\bcc{_V}by\b(?:{_V}4(?:\.0)?)?", ["cc-by-4.0"]),
    (rf"\bcc{_V}0\b|\bcc0\b", ["cc0-1.0"]),
    (rf"\bagpl(?:{_V}v?3(?:\.0)?)?\b", ["agpl-3.0"]),
    (rf"\blgpl(?:{_V}v?3(?:\.0)?)?\b", ["lgpl-3.0"]),
    (rf"\bgpl{_V}v?2(?:\.0)?\b|\bgplv2\b", ["gpl-2.0"]),
    (rf"\bgpl(?:{_V}v?3(?:\.0)?)?\b|\bgplv3\b", ["gpl-3.0"]),
    (rf"\bmpl(?:{_V}2(?:\.0)?)?\b|\bmozilla{_V}public{_V}license\b", ["mpl-2.0"]),
    (rf"\bhippocratic(?:{_V}license)?(?:{_V}v?3(?:\.0)?)?\b", ["hippocratic-3.0"]),
    (rf"\bfair{_V}ai{_V}public(?:{_V}license)?\b", ["fair-ai-public-1.0"]),
    (rf"\bresponsible{_V}ai{_V}(?:source{_V})?(?:code{_V})?licen[cs]e{_V}v?1\.0\b", ["responsible-ai-source-1.0"]),
    (rf"\bresponsible{_V}ai{_V}(?:source{_V})?(?:code{_V})?licen[cs]e(?:{_V}v?1\.1)?\b", ["responsible-ai-source-1.1"]),
    (r"\bopenmdw\b", ["openmdw-1.0"]),
]
_LICENSE_SUFFIX = (r"(?:[\s_-]+(?:community|models?|research|non-?commercial|terms of use|terms|use policy|"
                   r"acceptable use policy|licen[cs]ed|licen[cs]es?|agreement|policy)\b)*")
# Words after a model name that still belong to the name: sizes, variants, "license".
_NAME_SUFFIX = (r"(?:[\s_-]*(?:\(?\d+(?:\.\d+)?\s?[bmk]\)?|\d+x\d+b|a\d+b|instruct|chat|base|vision|it|hf|gguf|awq|gptq|"
                r"\d+\.\d+(?:\.\d+)?|\d(?![\s,]*(?:\d|million|billion|thousand|bn\b|k\b|m\b|%|percent|users|mau|customers|"
                r"people|employees|seats|clients))|"
                r"pro|mini|turbo|large|medium|small|coder|scout|maverick|distill|preview|v\d[\w.]*|\d{4}|"
                r"community|model|models|weights|checkpoints?|terms of use|(?:acceptable )?use policy|"
                r"licen[cs]e(?: agreement)?)\b)*")
_HF_ID = re.compile(r"(?<![\w./-])(?:https?://huggingface\.co/)?([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*[\w])(?![\w/-])")
_OUTBOUND = re.compile(r"\b(releas|publish|shar|distribut|licens|relicens|offer|ship|upload|open-?sourc|mak\w* (it|them) "
                       r"available|put (it|them) out)\w*\b[^.?!;]{0,80}\bunder\s+(?:the\s+|an?\s+|our\s+)?$", re.I)
_PATH = re.compile(r"(?<![\w])((?:~|\.{1,2})?/[^\s'\"`]+|[\w.-]+/[\w./-]*(?:README\.md|\.md))")

# --- intents ------------------------------------------------------------------------------
_RESOLVE = re.compile(r"\b(what|which)\s+(?:is\s+the\s+)?(licen[cs]e|terms)\b|\bunder\s+(what|which)\s+(licen[cs]e|terms)\b|"
                      r"\blicen[cs]ed\s+under\s+what\b|\bwhat\s+licen[cs]e\s+(?:is|does|applies)\b", re.I)
# "explain / summarise / tell me about" count when they act on the license ("summarise the Llama 3.1
# license"), not on the user's data ("summarise claim files"): they open the question, or the model
# or license mention follows them closely.
_EXPLAIN_VERB = re.compile(r"\b(explain|summari[sz]e|give me (a|an) (summary|overview) of|summary of|overview of|"
                           r"walk me through|tell me about|what are the key terms of)\b", re.I)
_EXPLAIN = re.compile(r"\b(what does\b.{0,80}\b(say|allow|permit|require|forbid|prohibit|cover|mean)|"
                      r"what are the\b.{0,40}\b(terms|restrictions|conditions|obligations|rules|duties|requirements)|"
                      r"key terms|main terms)\b", re.I)
_SEARCH = re.compile(r"\b((which|what) (clause|section|part|paragraph)s?|where does\b|show me the (clause|text|section)|"
                     r"quote the|find the clause)", re.I)
_COMPARE = re.compile(r"\b(compare|comparison|difference|differences|differ|versus|vs\.?)\b", re.I)
_PERMISSION = re.compile(r"\b(can|may|could|am|are|is|allowed|permitted|ok(ay)?|legal|fine|able)\b", re.I)

# --- follow-ups ----------------------------------------------------------------------------
_FOLLOW_FACTS = re.compile(r"^\W*(and |but |so )?(what|how)? ?(if|about if|when)\b|^\W*(and|also|plus|but)\b", re.I)
_FILLER = re.compile(r"\b(and|but|so|also|plus|now|then|instead|what|how|about|with|for|under|using|use|the|a|an|same|"
                     r"question|thing|ok|okay|if|we|i|it|model|license|licence|one|case|that|this|there|do|does|is|"
                     r"can|could|would|about)\b|[^\w\s]", re.I)


@dataclass
class Target:
    kind: str  # key | card | license | model_id | model_name | ambiguous
    value: str  # corpus key, path, hf license id or model id
    label: str  # as shown to the user
    span: tuple[int, int] = (0, 0)
    keys: list[str] = field(default_factory=list)
    family: str = ""
    generic: bool = False  # a versionless family name ("Gemma")
    mention: str = ""  # for kind "other": what kind of mention it was

    def as_json(self) -> dict:
        return {"kind": self.kind, "value": self.value, "label": self.label}


@dataclass
class Question:
    text: str
    intent: str
    targets: list[Target] = field(default_factory=list)
    use: str = ""
    topic: str = ""
    followup: str | None = None  # None | "target" (reused the use) | "use" (reused the target)
    rest: str = ""  # the question less every target mention
    ambiguous: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"intent": self.intent, "targets": [t.as_json() for t in self.targets], "use": self.use,
                "topic": self.topic, "followup": self.followup, "ambiguous": self.ambiguous}


class QuestionParser:
    """One per corpus: knows the corpus keys and names (built-in and user-added)."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self._keys = sorted(set(corpus.builtin_keys()) | set(corpus.user_keys()), key=len, reverse=True)
        self._names = self._name_patterns()

    def _name_patterns(self) -> list[tuple[re.Pattern, str]]:
        out = []
        for key in self._keys:
            try:
                name = self.corpus.get(key).name
            except Exception:  # an unreadable entry is simply not matched by name
                continue
            for variant in _name_variants(name):
                if len(variant) >= 6:
                    out.append((re.compile(r"(?<![\w-])(?:the\s+)?" + _loose(variant) + r"(?![\w-])", re.I), key))
        out.sort(key=lambda p: -len(p[0].pattern))
        return out

    # --- public ---------------------------------------------------------------------------
    def parse(self, text: str, previous: Question | None = None) -> Question:
        text = " ".join((text or "").split())
        targets, ambiguous = self.find_targets(text)
        rest = _remove_spans(text, [t.span for t in targets])
        intent = _intent(text, targets)
        q = Question(text=text, intent=intent, targets=targets, ambiguous=ambiguous)
        # The use keeps the model names as the user wrote them ("run Llama 3.1 8B on my laptop"), as
        # `check --use` would get them; license names, keys and paths go: they are not the use, and a
        # name like "Non-Commercial Research License" would read as facts about it.
        strip = [t.span for t in targets if (t.mention or t.kind) in ("key", "card", "license")]
        q.use = _clean_use(_remove_spans(text, strip))
        q.rest = _clean_use(rest)
        if intent in ("explain", "search"):
            q.topic = _topic(rest)
        if previous is not None:
            self._follow(q, previous)
        return q

    def find_targets(self, text: str) -> tuple[list[Target], list[str]]:
        low = text.lower()
        taken: list[tuple[int, int]] = []
        found: dict[str, list[Target]] = {"key": [], "card": [], "license": [], "model_id": [], "model_name": []}

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        # 1. corpus keys and paths
        for key in self._keys:
            if not re.search(r"[-.\d]", key):
                continue  # "mit", "isc": ordinary words; their license names are matched below
            for m in re.finditer(r"(?<![\w.-])" + re.escape(key.lower()) + r"(?![\w-]|\.\w)", low):
                if free(*m.span()):
                    s, e = _extend(low, m.start(), m.end(), _LICENSE_SUFFIX)
                    s = _the_before(low, s)
                    taken.append((s, e))
                    found["key"].append(Target("key", key, key, (s, e), [key]))
        for m in _PATH.finditer(text):
            p = Path(m.group(1).rstrip(".,;:?!)")).expanduser()
            if free(*m.span()) and p.exists():
                taken.append(m.span())
                found["card"].append(Target("card", str(p), str(p), m.span()))
        # 2. licenses by name: the corpus' own names, then common aliases
        for pat, key in self._names:
            for m in pat.finditer(text):
                if free(*m.span()) and self.corpus.exists(key):
                    s, e = _extend(low, m.start(), m.end(), _LICENSE_SUFFIX)
                    s = _the_before(low, s)
                    taken.append((s, e))
                    found["license"].append(Target("license", key, self.corpus.get(key).name, (s, e), [key]))
        for pat, keys in LICENSE_NAMES:
            for m in re.finditer(pat, low):
                if free(*m.span()) and all(self.corpus.exists(k) for k in keys):
                    s, e = _extend(low, m.start(), m.end(), _LICENSE_SUFFIX)
                    s = _the_before(low, s)
                    taken.append((s, e))
                    found["license"].append(Target("license", keys[0], self.corpus.get(keys[0]).name, (s, e), list(keys)))
        # 3. Hugging Face model ids known to the registry
        for m in _HF_ID.finditer(text):
            mid = m.group(1)
            if free(*m.span()) and (_registry_has(mid) or _id_like(mid)):
                taken.append(m.span())
                found["model_id"].append(Target("model_id", mid, mid, m.span()))
        # 4. model names in prose
        for pat, hf, label in MODEL_NAMES:
            for m in re.finditer(pat, low):
                if free(*m.span()):
                    s, e = _extend(low, m.start(), m.end(), _NAME_SUFFIX)
                    s = _the_before(low, s)
                    taken.append((s, e))
                    t = Target("model_name", hf, _label(text[m.start():m.end()], label), (s, e))
                    t.family = re.match(r"[a-z]+", label.lower()).group(0)
                    t.generic = bool(re.fullmatch(r"[A-Za-z]+", label))
                    found["model_name"].append(t)
        ambiguous = []
        for pat, label in _AMBIGUOUS:
            for m in re.finditer(pat, low):
                if free(*m.span()):
                    s, e = _extend(low, m.start(), m.end(), _NAME_SUFFIX)
                    ambiguous.append(label)
                    taken.append((_the_before(low, s), e))
                    found.setdefault("ambiguous", []).append(Target("ambiguous", label, label, (_the_before(low, s), e)))
        # "release our fine-tune under Apache 2.0": the license the user would ship under, not the target.
        for kind in ("key", "license"):
            for t in list(found[kind]):
                if _OUTBOUND.search(low[max(0, t.span[0] - 100):t.span[0]]):
                    found[kind].remove(t)
                    t.kind = "outbound"
                    found.setdefault("outbound", []).append(t)
        # A family name without a version ("Gemma") next to a versioned one ("Gemma 2") adds nothing.
        names = found["model_name"]
        found["model_name"] = [t for t in names if not (t.generic and any(
            o is not t and not o.generic and o.family == t.family for o in names))]
        found.setdefault("generic", []).extend(t for t in names if t not in found["model_name"])
        # The most explicit kind of mention wins; within a kind, all mentions count (used together).
        for kind in ("key", "card", "license", "model_id", "model_name"):
            if found[kind]:
                chosen = sorted(_dedupe(found[kind]), key=lambda t: t.span)
                # mentions of other kinds still leave the use text
                others = [t for k, ts in found.items() if k != kind for t in ts]
                others += [t for t in found[kind] if not any(t is c for c in chosen)]  # repeated mentions
                return chosen + [Target("other", t.value, t.label, t.span, mention=t.kind) for t in others], \
                    list(dict.fromkeys(ambiguous))
        return [Target("other", t.value, t.label, t.span, mention=t.kind) for t in found.get("ambiguous", [])], \
            list(dict.fromkeys(ambiguous))

    # --- follow-ups -------------------------------------------------------------------------
    def _follow(self, q: Question, prev: Question) -> None:
        real = [t for t in q.targets if t.kind != "other"]
        substantive = _substantive(q.rest)
        if real and not substantive and prev.use and q.intent == "check":
            # "and with Llama 3.2 Vision?": the previous use, the new target
            q.use, q.followup = prev.rest or prev.use, "target"  # without the previous model's name
            q.rest = q.use
            if prev.intent in ("explain", "search"):
                q.intent, q.topic = prev.intent, prev.topic
        elif not real and prev.targets and not q.ambiguous:
            # "what if we had 900 million users?" / "what about military use?": the previous target
            q.targets = [t for t in prev.targets if t.kind != "other"] + q.targets
            q.followup = "use"
            if _FOLLOW_FACTS.match(q.text) and prev.use and q.intent == "check":
                q.use = (q.use + ". " + prev.use) if q.use else prev.use  # new facts first: they win
                q.rest = (q.rest + ". " + prev.rest) if q.rest else prev.rest
            elif not substantive and prev.use:
                q.use, q.rest = prev.use, prev.rest
            if q.intent == "check" and prev.intent in ("explain", "search") and not _PERMISSION.search(q.text):
                q.intent, q.topic = prev.intent, _topic(q.use) or prev.topic


# --- helpers ---------------------------------------------------------------------------------

def _registry_has(model_id: str) -> bool:
    mid = model_id.strip().lower()
    return any(fnmatch.fnmatchcase(mid, e["id"]) for e in registry()["models"])


def _id_like(model_id: str) -> bool:
    """An unregistered org/name that still looks like a model id (not "and/or", "24/7", "TCP/IP")."""
    org, _, name = model_id.partition("/")
    return bool(re.search(r"[a-z]", org, re.I) and re.search(r"[a-z]", name, re.I) and re.search(r"[-\d_.]", name)
                and len(name) >= 3)


def _name_variants(name: str) -> list[str]:
    base = " ".join(name.split())
    out = {base}
    no_date = re.sub(r"\s*(?:\d{4}(?:-\d{2}){0,2}|\d{8})$", "", base).strip()
    out.add(no_date)
    for v in list(out):
        out.add(re.sub(r"\s+agreement\b", "", v, flags=re.I).strip())
    return sorted(out, key=len, reverse=True)


def _loose(text: str) -> str:
    """A regex for a name that tolerates spaces / hyphens / underscores between words."""
    parts = [re.escape(p) for p in re.split(r"[\s_-]+", text) if p]
    return r"[\s_-]*".join(parts)


def _extend(low: str, s: int, e: int, suffix: str) -> tuple[int, int]:
    m = re.compile(suffix, re.I).match(low, e)
    return s, (m.end() if m else e)


def _the_before(low: str, s: int) -> int:
    m = re.search(r"(?:\bthe\s+|\bmeta'?s\s+|\bgoogle'?s\s+)$", low[:s])
    return m.start() if m else s


def _label(found: str, label: str) -> str:
    return found.strip() if len(found.strip()) > 3 else label


def _dedupe(targets: list[Target]) -> list[Target]:
    seen, out = set(), []
    for t in targets:
        if (t.kind, t.value) not in seen:
            seen.add((t.kind, t.value))
            out.append(t)
    return out


def _remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            s = pos
        out.append(text[pos:s])
        out.append(" the model ")
        pos = max(pos, e)
    out.append(text[pos:])
    result = "".join(out)
    result = re.sub(r"\bthe model(\s+(?:and|or|,)\s+the model)+", "the models", result)
    result = re.sub(r"\b(?:an?|the)\s+the model\b", "the model", result, flags=re.I)
    return " ".join(result.split())


_FRAMES = [
    re.compile(r"^\W*(?:question|q|asking)\s+(?:about|on|re)\b[^:?]{0,80}:\s*", re.I),
    re.compile(r"\b(?:can|may|could)\s+(?:i|we)\s+use\s+[^?!]{0,60}?\s+for\s+(?:this|that)\s*(?:[?!]|\.(?=\s|$))", re.I),
    re.compile(r"\b(?:is|would)\s+(?:that|this|it)\s+(?:be\s+)?(?:allowed|ok(?:ay)?|permitted|fine|legal|acceptable)"
               r"(?:\s+(?:with|under|by|for|per)\s+[^?!]{0,80}?)?\s*(?:[?!]|\.(?=\s|$))", re.I),
    re.compile(r"\b(?:the\s+)?model\s+is\s+(?:the\s+models?|[\w-]+/[\w.-]+?)\s*[.!]?$", re.I),
]


def _clean_use(rest: str) -> str:
    """The use description: the question less its target mentions and its frame ("Is that allowed
    with X?", "Question about X:", "The model is X.") when a description of the use remains."""
    use = rest.strip()
    for pat in _FRAMES:
        stripped = " ".join(pat.sub(" ", use).split())
        if len(re.findall(r"\w+", stripped)) >= 3:
            use = stripped
    use = re.sub(r"^\W*(?:hi|hello|hey)\b[\s,:!.-]*", "", use, flags=re.I)
    use = re.sub(r"\s*\(\s*(?:the model\s*)?\)", "", use)
    use = re.sub(r"\b(?:under|per|according to)\s+the model[\s,:]*", "", use, flags=re.I)
    return " ".join(use.split()).strip(" ,;:-")


def _substantive(use: str) -> bool:
    words = [w for w in _FILLER.sub(" ", use or "").split() if len(w) > 1]
    return len(words) >= 1


def _topic(rest: str) -> str:
    t = re.sub(r"\b(explain|summari[sz]e|summary of|overview of|tell me about|walk me through|what does|say|says|"
               r"about|what are|which|what|clause|clauses|section|sections|where does|show me|quote|find|the model|"
               r"does|do|the|is|are|in|of|on|regarding|concerning)\b", " ", rest, flags=re.I)
    return " ".join(re.sub(r"[?!.]", " ", t).split()).strip(" ,;:-")


def _intent(text: str, targets: list[Target]) -> str:
    real = [t for t in targets if t.kind != "other"]
    if _COMPARE.search(text) and len(real) >= 2:
        return "compare"
    if _RESOLVE.search(text) and not _EXPLAIN.search(text):
        return "resolve"
    if _SEARCH.search(text):
        return "search"
    permission = re.search(r"\b(can|may|could) (i|we|they|you|one|my|our)\b|\b(allowed|permitted)\b", text, re.I)
    if not permission and (_EXPLAIN.search(text) or _explain_verb_on_target(text, real)):
        return "explain"
    return "check"


def _explain_verb_on_target(text: str, targets: list[Target]) -> bool:
    for m in _EXPLAIN_VERB.finditer(text):
        if m.start() <= 12 or any(0 <= t.span[0] - m.end() <= 12 for t in targets):
            return True
    return False
