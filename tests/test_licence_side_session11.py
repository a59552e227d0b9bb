"""Licence-side terms, issue 11, eleventh session (fixer licfix6). Each class is tried on fresh wordings written for
these tests (other actors, sectors, voices) and on near misses that must not trigger it.

1. *A hosted-service ban* reaches a community's bot: a bot or generator put in a group's shared space (a chat server,
   a forum, a club) offers the model to the group's members, however free or informal the group.
2. *A competing service* read from the licence's definition: "a public cloud service running customers' workloads"
   is a cloud offered to others; a cloud the user merely runs on is not.
3. *A licensor's competitor*: a licence that asks a licensee competing with the licensor's own products to request
   a licence reaches a use that says it competes with that licensor, not one that competes with someone else.

Synthetic texts written for these tests (no third-party text); real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.facts import read_facts
from agent.check.rules.competing_service import competes_with, offers_service_to_others

from .conftest import checker_over

TEXTS = {
    "hobby-terms": (
        "1. Grant. Subject to this Agreement, the Licensor grants you a free, limited licence to use, copy and modify "
        "the Model for non-commercial purposes only.\n\n"
        "2. Hosting. You may not use the Model, or anything derived from it, to let third parties use the Model as "
        "part of a hosted service or through an API that you operate, whether or not you charge for it. Sharing the "
        "weights for download without any related service is not a breach of this section.\n"),
    "kiln-terms": (
        "1. Definitions. \"Runtime\" means the Kiln serving runtime. \"Rival Offering\" means any commercially "
        "available software-as-a-service, platform-as-a-service or similar managed cloud services whose primary "
        "purpose is supplying machine-learning infrastructure to third parties. Software built only for your own "
        "internal use is not a Rival Offering.\n\n"
        "2. Grant. You may use the Runtime in your own applications, including commercial ones.\n\n"
        "3. Restrictions. You shall not use the Runtime for any Rival Offering.\n"),
    "orchard-terms": (
        "1. Grant. Orchard Labs grants you a licence to use, modify and distribute the Model.\n\n"
        "2. Additional Terms. If you offer any product or service that is substantially similar to or directly "
        "competes with any product or service provided by Orchard Labs, you must request a licence from Orchard "
        "Labs, and you are not authorised to exercise any rights under this Agreement until Orchard Labs grants it.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("licence-side-s11-home"), TEXTS)


# --- 1. a community's bot is a hosted service for others -----------------------------------------------------------
COMMUNITY_BOTS = [
    "Our book club would like a Slack bot that illustrates scenes from the novels we read, using the model.",
    "A hobby forum plans to give its followers a free sticker generator built on the model.",
    "telegram bot for the fan club where fans send requests and the model makes the art",
    "The chess society's Discord wants an assistant in its channel that answers members' opening questions.",
]


@pytest.mark.parametrize("use", COMMUNITY_BOTS)
def test_a_bot_for_a_communitys_members_is_a_hosted_service(checker, use):
    assert read_facts(use).hosting
    r = checker.check(use, license="hobby-terms")
    assert r.verdict == "prohibited"
    assert any(f.effect == "prohibited" and "hosted service" in f.quote for f in r.findings)


@pytest.mark.parametrize("use", [
    # the user's own use; only its pictures reach the group
    "I generate pictures with the model on my own PC and post a few in our Discord channel.",
    "I make banners for our discord server with the model, just for fun.",
    # the group's own people using it for themselves
    "Our server's two moderators run the model locally to summarise reports for themselves.",
])
def test_outputs_shared_with_a_community_are_not_a_hosted_service(checker, use):
    assert not read_facts(use).hosting
    r = checker.check(use, license="hobby-terms")
    assert r.verdict != "prohibited"


# --- 2. a cloud offered to others vs a cloud one runs on ----------------------------------------------------------
@pytest.mark.parametrize("use", [
    "Our commercial cloud platform will let other businesses run their computer-vision training jobs, built on the "
    "runtime.",
    "a managed cloud offering that serves third-party LLM workloads for a fee, powered by the runtime",
    "We sell a hosted cloud product where clients deploy their own fine-tuned language models; it runs on the "
    "runtime.",
])
def test_a_cloud_service_running_others_workloads_is_the_defined_offering(checker, use):
    assert offers_service_to_others(use)
    r = checker.check(use, license="kiln-terms")
    assert r.verdict == "prohibited"
    assert any("Rival Offering" in f.quote and f.effect == "prohibited" for f in r.findings)


@pytest.mark.parametrize("use", [
    "We deploy our own customer-support chatbot on a public cloud service using the runtime.",
    "We move our users' photo-tagging workloads to a public cloud service and use the runtime for our tagging model.",
    "Our analytics team runs its own training jobs on a commercial cloud platform with the runtime.",
])
def test_a_cloud_one_runs_on_is_no_offering(checker, use):
    assert not offers_service_to_others(use)
    assert checker.check(use, license="kiln-terms").verdict != "prohibited"


# --- 3. the licensor's competitor --------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We're building a grocery-delivery app meant to take market share from Orchard Labs, powered by the model.",
    "Our note-taking startup is a direct rival to Orchard Labs' own assistant; we'd use the model for summaries.",
    "an orchard labs competitor using the model for its chatbot",
])
def test_competing_with_the_licensor_needs_its_licence(checker, use):
    assert competes_with(use, ["Orchard Labs"])
    r = checker.check(use, license="orchard-terms")
    assert r.verdict in ("conditional", "prohibited")
    assert any(c.kind == "competitor_licence" for c in r.conditions)


@pytest.mark.parametrize("use", [
    "We compete with other local bakeries and want the model to write our menu descriptions.",
    "We sell handmade candles through Orchard Labs' marketplace and want the model to write the product listings.",
    "Unlike Orchard Labs, we don't compete in search; we use the model to tag our photo archive.",
])
def test_competing_with_someone_else_is_not_the_licensors_competitor(checker, use):
    r = checker.check(use, license="orchard-terms")
    assert not any(c.kind == "competitor_licence" for c in r.conditions)
