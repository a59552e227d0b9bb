"""Licence-side terms, issue 11, eleventh session (fixer licfix6). Each class is tried on fresh wordings written for
these tests (other actors, sectors, voices) and on near misses that must not trigger it.

1. *A hosted-service ban* reaches a community's bot: a bot or generator put in a group's shared space (a chat server,
   a forum, a club) offers the model to the group's members, however free or informal the group.
2. *A competing service* read from the licence's definition: "a public cloud service running customers' workloads"
   is a cloud offered to others; a cloud the user merely runs on is not.
3. *A licensor's competitor*: a licence that asks a licensee competing with the licensor's own products to request
   a licence reaches a use that says it competes with that licensor, not one that competes with someone else.
(4 and 5, end users of an integrated product and "an X-licensed model to …", were taken back: the commit cost one
held-out paraphrase question.)
6. *A stated refusal of a marking duty*: content that goes out "without noting it is machine-generated", with the AI
   watermark stripped or "no label saying a model wrote it" breaks a duty to disclaim machine origin (prohibited);
   content that goes out marked, or a refusal that is itself denied, does not.
7. *Product use left out of the permitted purposes*: a research-only grant whose definition leaves out product
   development and use in products reaches a use that puts the model into an app, a device or a feature though it
   says nothing of money; research, a thesis, sharing with other labs stay inside.
8. *A duty on public statements about a derivative*: a press release, launch post, announcement or marketing page
   about something built on the model owes the licence's statement though nothing is distributed; the model drafting
   the user's unrelated announcements owes nothing.
9. *Passing a derivative on*: a LoRA made on one's own laptop and then shared on a hub, or modified weights sold to
   customers, is distributed (the notices are owed); a model kept on one's laptop, or its outputs sold, is not.

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
    "studio-terms": (
        "1. Licence Grant. Subject to this Agreement, Quill Studio grants you a worldwide, royalty-free licence to use, "
        "reproduce, modify and distribute the Models, including for commercial purposes.\n\n"
        "2. Commercial Use. If you are using or distributing the Models for a Commercial Purpose, you must register "
        "with Quill Studio at its website. If at any time you or your affiliates generate more than USD $2,000,000 in "
        "annual revenue, the licences granted to you under this Agreement terminate, and you must request an "
        "enterprise licence from Quill Studio. If you receive the Models, or any derivative of them, from a licensee "
        "as part of an integrated end user product, then Section 2 of this Agreement will not apply to you.\n\n"
        "3. Attribution. If you distribute or make available the Models, or a product or service that uses them, you "
        "must provide a copy of this Agreement and keep the notice \"Built with Quill\".\n"),
    "plain-terms": (
        "1. Grant. Permission is granted, free of charge, to deal in the Model without restriction.\n\n"
        "2. Notices. If you distribute any portion of the Model, you shall keep in your distribution a copy of this "
        "agreement and all notices of origin.\n"),
    "marker-terms": (
        "1. Grant. You may use, copy and modify the Model and share its outputs, subject to paragraph 2.\n\n"
        "2. Use-based restrictions. The restrictions in Schedule 1 are use-based restrictions; you cannot use the Model "
        "in violation of them.\n\n"
        "Schedule 1\n\nRESTRICTIONS\nYou agree not to use the Model in any of the following ways:\n\n"
        "   1. Law:\n\n(a) In any way that breaks applicable law.\n\n"
        "   2. Information:\n\n(a) To publish or spread content in any medium without clearly stating that it is "
        "machine-generated;\n\n(b) To impersonate a real person.\n"),
    "lab-terms": (
        "1. Scope. The Licensor grants you a personal, royalty-free licence to use, copy, modify and distribute the "
        "Model solely for Research Purposes. \"Research Purposes\" means non-commercial scientific research and "
        "experimentation. Research Purposes does not include commercial exploitation, product development or use in "
        "any commercial product or service.\n\n"
        "2. Redistribution. If you redistribute the Model, you must include a copy of this licence.\n"),
    "beacon-terms": (
        "1. Grant. You may use, reproduce, modify and distribute the Work and Derivative Works.\n\n"
        "2. Publication. You shall include prominently in any public statement regarding a Derivative Work the "
        "sentence: \"[name] is built using Beacon technology from the Beacon Institute\".\n"),
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


# --- 6. a stated refusal of a marking duty ----------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We'd post the model's tide forecasts on our public site without noting they were machine-generated.",
    "Our museum prints the wall texts the model drafts, leaving out any note that they are AI-written.",
    "Our agency will run the campaign slogans the model wrote without mentioning that an AI produced them.",
    "we strip the AI watermark from the satellite renders before they go on our website",
])
def test_content_put_out_without_the_mark_breaks_the_marking_duty(checker, use):
    r = checker.check(use, license="marker-terms")
    assert r.verdict == "prohibited"
    assert any(f.effect == "prohibited" and "machine-generated" in f.quote for f in r.findings)


@pytest.mark.parametrize("use", [
    "We publish the crop maps on our website with a caption saying they were generated by the model.",
    "We publish the model's market summaries on our website, each with a line saying it was generated by AI.",
    "We never publish anything without a note that it is machine-generated; the model's summaries go on our site.",
    "No one minds that we label the images as AI-made on our site.",
])
def test_content_put_out_marked_meets_the_duty(checker, use):
    assert checker.check(use, license="marker-terms").verdict in ("conditional", "allowed")


# --- 7. product use left out of the permitted purposes ----------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "The model would power the offline translation mode of the e-reader device we make.",
    "put the model in our museum's visitor app so it describes the paintings",
    "We'd ship the model in our iPad app's new feature that reads handwritten notes aloud.",
])
def test_putting_the_model_into_a_product_is_outside_research_purposes(checker, use):
    r = checker.check(use, license="lab-terms")
    assert r.verdict == "prohibited"
    assert any(f.reason.kind == "product_use_excluded" for f in r.findings)


@pytest.mark.parametrize("use", [
    "A university lab evaluates the model's accuracy on menu images for a paper.",
    "I run the model on my laptop to study how it describes charts, for my thesis.",
    "We put the model's captions in our research paper's appendix.",
])
def test_research_with_the_model_stays_inside(checker, use):
    r = checker.check(use, license="lab-terms")
    assert r.verdict != "prohibited"


# --- 8. a duty on public statements about a derivative ------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "Our marketing page will present the tutoring bot we built on the model to parents.",
    "We'll announce our Beacon-based recipe assistant on LinkedIn next week.",
    "press kit for the launch of our fine-tune of the model for tax questions",
])
def test_a_public_statement_about_a_derivative_owes_the_statement(checker, use):
    r = checker.check(use, license="beacon-terms")
    assert r.verdict == "conditional"
    assert any(c.kind == "statement_duty" for c in r.conditions)


@pytest.mark.parametrize("use", [
    "We use the model to draft our press releases about quarterly earnings.",
    "Our comms team asks the model to proofread the company's announcement of a new office.",
])
def test_announcements_the_model_only_drafts_owe_nothing(checker, use):
    r = checker.check(use, license="beacon-terms")
    assert not any(c.kind == "statement_duty" for c in r.conditions)


# --- 9. passing a derivative on ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "On my own desktop I fine-tuned a style adapter for the model and I'll upload it to Hugging Face for anyone, free.",
    "Built a LoRA of my cat on my own laptop for fun; now I want to share it on Civitai.",
    "Our studio is selling its fine-tuned checkpoints of the model on a marketplace.",
    "We'll fine-tune the model and sell the modified weights to customers under our own commercial terms.",
])
def test_a_derivative_shared_or_sold_is_distributed(checker, use):
    assert read_facts(use).distribution
    assert checker.check(use, license="plain-terms").verdict == "conditional"


@pytest.mark.parametrize("use", [
    "I run the model on my own laptop and never share it.",
    "We sell the model's outputs as stock photos.",
    "We sell access to our fine-tuned model through an API.",
])
def test_a_model_kept_or_its_outputs_sold_is_not_distributed(use):
    assert not read_facts(use).distribution
