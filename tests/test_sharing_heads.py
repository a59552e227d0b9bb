"""Whether a use puts the model in other people's hands (issue 11, fourteenth session: a use triggers a licence's
sharing duties), said in sentences written here, not copied from any eval case or from the heads' banks:

1. *Distribution*: the model, its weights, a derivative, or a product that carries them reaches people outside the
   user's organisation as a copy (sold, licensed, flashed onto devices, handed over to a client, a paid download)
   -> the fact holds, read by the distribution fact head where the phrases say nothing.
2. *Hosting*: the model is offered to outside people as a service (a subscriber dashboard, a website guide bot,
   a billed REST interface, a marketplace chat) -> the fact holds, read by the hosting fact head.
3. Near misses that share the words and stay inside (staff on the intranet, a demo to one's own team, only the images
   published, a paper, a private evaluation, someone else's hosted service, a company whose trade is shipping) and
   an explicit "we will not share it" / "internal only": neither fact.
4. Under a licence whose notice duty is owed on distributing the model or making it available as a service, the
   positives are conditional and the near misses allowed.

Synthetic licence text written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.categories import model
from agent.check.frame import read_frame
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder

from .conftest import checker_over

TEXTS = {
    "notice-on-sharing-terms": (
        "1. Grant. You may use, copy, modify and distribute the Model for any lawful purpose, including commercial "
        "purposes.\n\n"
        "2. Attribution. If you distribute the Model or a derivative of it, or make it available to third parties as "
        "a service, you must include a copy of this Agreement and display the notice \"Built on the Model\".\n"),
}

DISTRIBUTED = [
    # a device maker, third person, the model flashed onto the units it sells
    "A drone maker flashes the vision model onto every unit that leaves its factory.",
    # licensing a tuned version to another company, first person
    "We are going to license our tuned version of the model to a shipping company for their own servers.",
    # consumer hardware, terse lower case
    "a translation-earbud company puts the speech model in the buds it sells",
    # a consultancy's hand-over at the end of a contract
    "The consultancy will hand over the adapted model to the ministry when the contract ends.",
    # leased terminals with the model preloaded
    "Our kiosk vendor preloads the model on the self-service terminals we lease to pharmacies.",
]

# a fresh distribution sentence the head reads below its review level (0.73 against 0.78 on 2026-12-07) and the
# phrases leave alone ("sell it" is as often a hosted product): kept as the measure of what the head still misses
DISTRIBUTED_MISSED = [
    "We white-label our fine-tuned model and sell it to regional insurers to run in their data centres.",
]

HOSTED = [
    "A tax-advice startup lets its subscribers ask the model questions through its web dashboard.",
    "We expose the fine-tuned model to partner developers through our REST interface, billed per call.",
    "my shop: the model replies to buyers in the marketplace chat",
]

INSIDE = [
    "I demo the model to my own team in a Friday meeting.",
    "We write a paper about the model's reasoning and present it at a workshop.",
    "Our analysts evaluate the model privately on last year's data.",
    "We sell furniture and use the model to write product descriptions for our shop.",
    "A shipping company uses the model to plan container loads in-house.",
    "Our staff use the model on the intranet to search HR policies; nothing leaves the company.",
]

NEGATED = [
    "The engineering team fine-tunes the model and keeps it on our private cluster; we will not share it.",
    "We adapt the model for our call-centre supervisors, internal use only, nobody outside gets it.",
]


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("sharing-heads-home"), TEXTS)


def _why(r):
    return r.verdict, [(f.reason.kind, f.effect) for f in r.findings]


# --- the heads ship ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fact", ["distribution", "hosting"])
def test_the_head_ships(fact):
    head = model()
    assert head is not None and fact in head.fact_ids
    i = head.fact_ids.index(fact)
    assert head.fact_p[i] <= head.fact_t[i] < 1.0


# --- 1, 2. the facts, read where the phrases say nothing -----------------------------------------------------------
@pytest.mark.parametrize("use", DISTRIBUTED)
def test_a_copy_put_in_others_hands_is_distribution(embed, use):
    assert read_frame(use, embed).distribution


@pytest.mark.xfail(strict=False, reason="a fresh wording the head reads below its review level (reported recall)")
@pytest.mark.parametrize("use", DISTRIBUTED_MISSED)
def test_a_copy_the_head_still_misses(embed, use):
    assert read_frame(use, embed).distribution


@pytest.mark.parametrize("use", HOSTED)
def test_a_service_offered_to_outsiders_is_hosting(embed, use):
    f = read_frame(use, embed)
    assert f.hosting or f.distribution


# --- 3. near misses and explicit negations ----------------------------------------------------------------------
@pytest.mark.parametrize("use", INSIDE + NEGATED)
def test_inside_uses_pass_nothing_on(embed, use):
    f = read_frame(use, embed)
    assert not f.distribution and not f.hosting


# --- 4. the duty follows ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", DISTRIBUTED[:3] + HOSTED[:2])
def test_sharing_owes_the_notice(checker, use):
    r = checker.check(use, license="notice-on-sharing-terms")
    assert r.verdict == "conditional", _why(r)


@pytest.mark.parametrize("use", INSIDE[:4] + NEGATED)
def test_inside_uses_owe_nothing(checker, use):
    r = checker.check(use, license="notice-on-sharing-terms")
    assert r.verdict == "allowed", _why(r)


@pytest.mark.parametrize("use", [
    # the head alone, with no one outside named, puts nothing in others' hands (lead, fourteenth session): a unit of an
    # organisation ("units" is no outside party); a public body's own servers for its staff (open, see the mark)
    pytest.param("the county tax office wants the model on its own servers to help clerks check returns",
                 marks=pytest.mark.xfail(strict=True, reason="the hosting head reads a public body's own servers as "
                                         "hosting at its clear level (devt dt087); asking for a named outsider at that "
                                         "level too fixed it but cost a held-out question, so it is not done")),
    "our logistics units plan depot rotations with the model",
])
def test_the_head_alone_names_no_one_outside(embed, use):
    f = read_frame(use, embed=embed)
    assert not f.distribution and not f.hosting
