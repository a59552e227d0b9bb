"""Cases for the license-identification benchmark (and the transforms the tests use).

Variants are made programmatically from the built-in corpus texts, so no license text is
committed: each transform imitates how a license reaches a user (re-wrapped, turned into
markdown or HTML, wrapped in a model card, cut short). Real copies come from
`../shared/external/{licenses,aup}` when that folder exists, with their true corpus key
from `EXTERNAL_TRUTH` (None: the text has no counterpart in the corpus, so `unknown` is right).
"""
from __future__ import annotations

import html
import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

UNKNOWN = None  # expected key of a text that is not in the corpus


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    expected: str | None  # a corpus key, or None: identify must say unknown
    group: str  # "variant" | "external" | "unknown"
    path: str | None = None  # a real file, for matchers that read files


# --- transforms ----------------------------------------------------------------

def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def rewrap(text: str, width: int = 72) -> str:
    """Each paragraph's lines joined and wrapped again at another width."""
    out = []
    for para in _paragraphs(text):
        out.append(textwrap.fill(" ".join(para.split()), width=width))
    return "\n\n".join(out) + "\n"


def retypeset(text: str) -> str:
    """Typographic churn: straight quotes become curly and back, dashes change, spaces double."""
    swaps = {"“": '"', "”": '"', "‘": "'", "’": "'", "—": " - ", "–": "-"}
    if text.count("“") + text.count("’") < text.count('"') + text.count("'"):
        swaps = {'"': "“", "'": "’", " - ": " — ", "--": "—"}
    for a, b in swaps.items():
        text = text.replace(a, b)
    text = re.sub(r"(?m)^(\s*)[•·*]\s+", r"\1- ", text)
    text = re.sub(r"\.  (?=[A-Z])", ". ", text)
    return text.replace(". ", ".  ")


_LIST = re.compile(r"^(\s*)(\(?)([0-9]{1,2}|[a-z]|[ivx]{1,5})([.)])\s+", re.M)


def markdownify(text: str) -> str:
    """A markdown rendering: headings, bold terms, list markers as bullets or escaped numbers, links."""
    lines = []
    for line in text.split("\n"):
        s = line.strip()
        if 3 <= len(s) <= 70 and s.upper() == s and re.search(r"[A-Z]{3}", s):
            line = "## " + s.title()
        elif re.match(r"^(section|article|attachment|exhibit|appendix)\b", s, re.I) and len(s) < 80:
            line = "### " + s
        lines.append(line)
    text = "\n".join(lines)
    text = _LIST.sub(lambda m: f"{m.group(1)}- " if m.group(3).isalpha() else f"{m.group(1)}{m.group(3)}\\. ", text)
    text = re.sub(r"[\"“]([A-Z][^\"”\n]{1,40})[\"”]", r"“**\1**”", text)
    text = re.sub(r"(https?://[^\s)>\]]+[^\s)>\].,;])", r"[\1](\1)", text)
    return text


def htmlify(text: str) -> str:
    """HTML remnants, as from a copied web page: tags, entities, <br> line breaks."""
    out = ["<div class=\"license\">"]
    for para in _paragraphs(text):
        body = html.escape(para.strip(), quote=True).replace("\n", "<br>\n")
        out.append(f"<p>{body}</p>")
    out.append("</div>")
    return "\n".join(out).replace("&#x27;", "&#39;").replace(" ", "&nbsp;", 3)


_HEADER = """---
license: other
license_name: {slug}
tags: [text-generation, {tag}]
---

# {model} Model Card

{model} is a {size} parameter model trained by {org} for research and product use.
This repository contains the weights and an example notebook. Please read the terms below
before downloading; by using the model you agree to them.

Copyright {year} {org}. All rights reserved.

## License

"""

_FOOTER = """

---
Questions about these terms: legal@{domain}. Last reviewed {year}.
"""


def with_header(text: str, seed: int = 0) -> str:
    """The text inside a model card: front matter, a preamble, a copyright line and a footer."""
    rng = random.Random(seed)
    org = rng.choice(["Foo Labs", "Northwind AI", "Quokka Research", "Helios Systems", "Blue Fin Inc."])
    model = rng.choice(["Quill-7B", "Aster 2", "Mako-Instruct", "Tern-13B", "Wren Vision"])
    fields = dict(org=org, model=model, slug=model.lower().replace(" ", "-"), tag=rng.choice(["chat", "vision"]),
                  size=rng.choice(["7 billion", "13 billion", "2 billion"]), year=rng.choice([2023, 2024, 2025]),
                  domain=org.lower().replace(" ", "").replace(".", "") + ".example")
    return _HEADER.format(**fields) + text.strip() + _FOOTER.format(**fields)


def truncate(text: str, fraction: float = 0.4) -> str:
    """The first `fraction` of the text, cut at a word boundary."""
    cut = int(len(text) * fraction)
    space = text.rfind(" ", 0, cut)
    return text[: space if space > cut * 0.8 else cut]


VARIANTS = {
    "exact": lambda t, i: t,
    "rewrapped": lambda t, i: rewrap(t, width=(56, 72, 100)[i % 3]),
    "retypeset": lambda t, i: retypeset(rewrap(t, width=88)),
    "markdown": lambda t, i: markdownify(t),
    "html": lambda t, i: htmlify(t),
    "header": lambda t, i: with_header(t, seed=i),
    "truncated40": lambda t, i: truncate(t, 0.4),
    "truncated30": lambda t, i: truncate(t, 0.3),
    "md-header-truncated50": lambda t, i: with_header(markdownify(truncate(t, 0.5)), seed=i),
}

# Of the open-source part of the built-in set, these stand for the licenses models ship under.
OSS_KEYS = ["apache-2.0", "mit", "bsd-new", "bsd-simplified", "gpl-3.0", "lgpl-3.0", "agpl-3.0", "mpl-2.0",
            "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0", "cc0-1.0",
            "odbl-1.0"]


def variant_cases(corpus, variants: list[str] | None = None) -> list[Case]:
    """Every variant of every built-in AI text and of OSS_KEYS, made from the corpus texts."""
    from corpus.catalog import builtin_spec

    keys = [k for k, v in builtin_spec().items() if v["group"] == "ai"] + OSS_KEYS
    cases = []
    for i, key in enumerate(keys):
        text = corpus.get(key).text
        if not text.strip():
            continue
        for name in variants or VARIANTS:
            cases.append(Case(f"{key}:{name}", VARIANTS[name](text, i), key, "variant"))
    return cases


# --- texts that are not in the corpus ---------------------------------------------

MADE_UP_LICENSE = """PELICAN COMMUNITY WEIGHTS LICENSE
Version 0.3, 14 February 2026

1. Definitions. "Weights" means the numeric parameters published by Pelican Collective.
"You" means the person or organisation exercising the permissions below.

2. Permission. Pelican Collective allows you to run the Weights on hardware you own or rent,
to fine-tune them on your own data, and to publish the fine-tuned parameters, provided every
copy carries this notice and a link to the original release page.

3. Field of use. You may not deploy the Weights in avionics, in systems that grade exams, or in
any product sold to a government agency, unless Pelican Collective agrees in a signed letter.

4. Sharing outputs. Text produced by the Weights may be shared freely, but you may not claim it
was written by a person when asked directly.

5. Ending. These permissions end automatically 30 days after you breach section 3 and stay
ended until Pelican Collective writes to restore them.

6. Liability. Pelican Collective gives the Weights as they are. It owes you nothing if they fail,
and you will cover its costs if your use of them leads to a claim against it.
"""

ESSAY = """On keeping a garden through a dry summer

The first lesson of a dry summer is that the soil remembers. Beds that were mulched in spring hold
their moisture for days after a watering, while bare ground cracks by the afternoon. I learned this
the slow way, by losing a row of beans in July and watching the squash beside them carry on as if
nothing had happened. The difference was a few centimetres of straw.

The second lesson is about timing. Water at dawn and the plants drink before the sun takes it; water
at noon and half of it rises off the leaves. A can carried at six in the morning is worth two at
midday, and the walk is pleasanter. Tomatoes in particular prefer deep, rare soakings to a daily
sprinkle: their roots follow the water down and the fruit splits less.

Finally, choose what you grow. Chard, rosemary and thyme shrug at a drought; lettuce bolts at the
first hot week. A garden planned for the summer you expect, rather than the one you hope for, needs
less rescuing, and leaves the gardener more evenings on the bench, watching the swallows.
"""


def unknown_cases() -> list[Case]:
    return [Case("made-up-license", MADE_UP_LICENSE, UNKNOWN, "unknown"),
            Case("essay", ESSAY, UNKNOWN, "unknown"),
            Case("made-up-license:markdown", markdownify(MADE_UP_LICENSE), UNKNOWN, "unknown")]


# --- real copies from ../shared/external -------------------------------------------

# Path under ../shared/external -> corpus key; UNKNOWN where the corpus has no counterpart
# (established by reading both texts: same document and version, not merely the same family).
# Dates or copyright lines that only instantiate a template for a model (SDXL 1.0's Open
# RAIL++-M) keep the version; a changed clause, name or license date makes another version.
# Not scored: licenses/nvidia/GR00T-WholeBodyControl_LICENSE_dual.txt, an Apache-2.0 notice
# followed by a full NVIDIA Open Model License (Oct 2025): a composite with no one right answer.
EXTERNAL_TRUTH: dict[str, str | None] = {
    # acceptable-use policies: the Llama 2 - 3.3 policies are not in the LicenseDB
    "aup/google/peterblazejewicz_GEMMA_PROHIBITED_USE_POLICY.md": "gemma-pup-2024-02-21",  # + provenance header
    "aup/meta-llama_llama/USE_POLICY.md": UNKNOWN,
    "aup/meta-llama_llama-models/llama2_USE_POLICY.md": UNKNOWN,
    "aup/meta-llama_llama-models/llama3_USE_POLICY.md": UNKNOWN,
    "aup/meta-llama_llama-models/llama3_1_USE_POLICY.md": UNKNOWN,
    "aup/meta-llama_llama-models/llama3_2_USE_POLICY.md": UNKNOWN,  # near the Llama 4 policy
    "aup/meta-llama_llama-models/llama3_3_USE_POLICY.md": UNKNOWN,
    "aup/meta-llama_llama-models/llama4_USE_POLICY.md": "llama-4-license-2025",  # the key is the Llama 4 AUP
    "aup/meta-llama_llama3/USE_POLICY.md": UNKNOWN,
    "aup/openai_gpt-oss_USAGE_POLICY.txt": UNKNOWN,
    # licenses
    "licenses/CompVis_stable-diffusion_CreativeML-OpenRAIL-M_LICENSE.txt": "stable-diffusion-2022-08-22",
    "licenses/apple/ml-depth-pro_LICENSE_ASCL.txt": "apple-excl",  # + copyright and notice lines
    "licenses/apple/ml-fastvlm_LICENSE_ASCL.txt": "apple-excl",
    "licenses/apple/ml-fastvlm_LICENSE_MODEL_AMLR.txt": UNKNOWN,
    "licenses/bfl/flux_LICENSE-FLUX1-dev_v1.0_2024-08.txt": "flux-1-nc",
    "licenses/bfl/flux_LICENSE-FLUX1-dev_v1.1.1.txt": UNKNOWN,  # v1.1.1 (2025) rewrites v1.0
    "licenses/bfl/flux_LICENSE-FLUX1-schnell.txt": "apache-2.0",  # without the appendix
    "licenses/databricks/dbrx_Databricks_Open_Model_License.txt": UNKNOWN,
    "licenses/deepseek/DeepSeek-LLM_LICENSE-MODEL.txt": "deepseek-la-1.0",
    "licenses/deepseek/DeepSeek-V3_LICENSE-MODEL.txt": "deepseek-la-1.0",
    "licenses/google/perpetual-s_Gemi_GEMMA_TERMS_OF_USE.txt": "gemma-tou-2025-03-24",
    "licenses/lg/EXAONE-4.0_EXAONE_AI_Model_License_1.2-NC.txt": UNKNOWN,  # 1.2 changes output ownership
    "licenses/lg/EXAONE-Deep_EXAONE_AI_Model_License_1.1-NC.txt": "exaone-ai-model-1.1-nc",
    "licenses/meta/ModelGo_license_raw_SEER.txt": UNKNOWN,
    "licenses/meta/metaseq_OPT-175B_MODEL_LICENSE.md": UNKNOWN,  # LLaMA 1's license is adapted from it
    "licenses/meta-llama/llama-models_llama2_LICENSE.txt": "llama-2-license-2023",
    "licenses/meta-llama/llama-models_llama3_1_LICENSE.txt": "llama-3.1-license-2024",
    "licenses/meta-llama/llama-models_llama3_2_LICENSE.txt": "llama-3.2-license-2024",
    "licenses/meta-llama/llama-models_llama3_3_LICENSE.txt": "llama-3.3-license-2024",
    "licenses/meta-llama/llama-models_llama3_LICENSE.txt": UNKNOWN,  # Meta Llama 3: not in the LicenseDB
    "licenses/meta-llama/llama-models_llama4_LICENSE.txt": "llama-4-cla-2025",
    "licenses/meta-llama/llama3_repo_LICENSE.txt": UNKNOWN,
    "licenses/meta-llama/llama_repo_llama2_LICENSE.txt": "llama-2-license-2023",
    "licenses/minimax/MiniMax-01_LICENSE-MODEL.txt": UNKNOWN,
    **{f"licenses/modelgo/{name}.txt": UNKNOWN for name in (
        "MG-BY-NC-ND", "MG-BY-NC-OS", "MG-BY-NC-RAI", "MG-BY-NC", "MG-BY-ND", "MG-BY-OS", "MG-BY-RAI", "MG-BY",
        "MG0", "V2_MG-BY-NC-ND", "V2_MG-BY-NC-RAI", "V2_MG-BY-NC", "V2_MG-BY-ND", "V2_MG-BY-RAI", "V2_MG-BY-SA",
        "V2_MG-BY", "V2_MG0", "V2_ModelSheet")},
    "licenses/moonshot/Kimi-K2_Modified_MIT_License.txt": "moonshot-ai-modified-mit-2025",
    "licenses/nvidia/GR00T-WholeBodyControl_NVIDIA_Open_Model_License.txt": UNKNOWN,  # Oct 2025, not Apr 2025
    "licenses/qwen/QwenLM_Qwen_Tongyi_Qianwen_LICENSE_AGREEMENT.txt": "tongyi-qianwen-2023",
    "licenses/qwen/QwenLM_Qwen_Tongyi_Qianwen_RESEARCH_LICENSE_AGREEMENT.txt": UNKNOWN,  # the research variant
    "licenses/rail-variants/Clay_model-license_AI-Pubs-OpenRAIL-M.md": UNKNOWN,
    "licenses/rail-variants/Salmon_LICENSE-Model_Research-Only-RAIL-M.md": UNKNOWN,
    "licenses/stability/generative-models_LICENSE-SDXL-Turbo.txt": UNKNOWN,  # Nov 28 2023 revision, one clause less
    "licenses/stability/generative-models_LICENSE-SDXL0.9.txt": UNKNOWN,
    "licenses/stability/generative-models_LICENSE-SDXL1.0.txt": "bigscience-open-rail-m2",  # dated for SDXL 1.0
    "licenses/stability/generative-models_LICENSE-SV3D.txt": UNKNOWN,  # Mar 18 2024 revision, renamed
    "licenses/stability/generative-models_LICENSE-SVD.txt": UNKNOWN,
    "licenses/stability/stable-fast-3d_Stability_AI_Community_License.md": "stability-ai-community-2024",
    "licenses/stability/stablediffusion_LICENSE-MODEL_OpenRAIL++.txt": "bigscience-open-rail-m2",
    "licenses/tencent/HunyuanVideo_LICENSE.txt": UNKNOWN,  # the Hunyuan 3D 2.0 agreement's sibling
    "licenses/thudm/ChatGLM-6B_MODEL_LICENSE.txt": UNKNOWN,  # quotes the MIT notice and disclaimer
    "licenses/tii/sinotec2_FAQ_falcon180B_TII_License_v1.0_blogcopy.md": UNKNOWN,  # Falcon 180B, not Falcon 2
    "licenses/yi/Yi_MODEL_LICENSE_AGREEMENT_v1.0.txt": UNKNOWN,
    "licenses/yi/Yi_MODEL_LICENSE_AGREEMENT_v2.1.txt": UNKNOWN,
}


def external_cases(shared: Path) -> list[Case]:
    """Real texts whose true key is known; [] when ../shared is absent."""
    root = Path(shared) / "external"
    cases = []
    for rel, key in sorted(EXTERNAL_TRUTH.items()):
        path = root / rel
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        cases.append(Case(f"external:{rel}", text, key, "external", str(path)))
    return cases
