"""Licence-specific terms outside the usual use categories (issue 11, tenth session, models class 2): a ban on a
*defined* competing-service activity read through the licence's own definition and its exceptions, a licensor's
approval duty for custom hardware, and a litigation termination with its "unless you were sued first" exception.

Synthetic texts written for these tests (no third-party text); real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.rules.competing_service import offers_service_to_others

from .conftest import checker_over

TEXTS = {
    "toolkit-terms": (
        "1. Definitions. \"Toolkit\" means the Northwind inference toolkit and its documentation. "
        "\"Excluded Purpose\" means offering to third parties any hosted, managed or cloud service "
        "(software-as-a-service, platform-as-a-service or infrastructure-as-a-service) whose main function is "
        "running, training or serving machine-learning models. Building and operating tools solely for your own "
        "organisation's internal use is not an Excluded Purpose.\n\n"
        "2. Grant. Subject to these terms, Northwind grants you a free licence to use the Toolkit in your own "
        "programs and to distribute those programs, including commercially.\n\n"
        "3. Restrictions. You may not use the Toolkit, or any program built with it, for an Excluded Purpose.\n\n"
        "4. Hardware. Programs built with the Toolkit may run only on processors listed as supported in the "
        "documentation. To run them on a processor you design or manufacture yourself, you must first obtain "
        "written approval from Northwind.\n"),
    "suit-terms": (
        "1. Grant. You may use, copy, modify and share the Model for any purpose.\n\n"
        "2. Termination. If you file a lawsuit or other proceeding alleging that the Model infringes a patent, "
        "every right granted to you under this License ends on the date the proceeding is filed, unless that "
        "proceeding is a counterclaim answering a patent claim first brought against you.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("licence-terms-home"), TEXTS)


# --- competing service, read from the licence's definition --------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We plan to rent out our H100 cluster as a managed inference API; tenants upload their own checkpoints and are "
    "billed per request, with the toolkit doing the serving.",
    "Our company will sell serverless fine-tuning and hosting of customers' models, powered by this toolkit.",
    "hosting startup here: devs bring their llms, we serve them on our boxes using the toolkit, they pay by the hour",
])
def test_a_service_running_others_models_is_the_defined_excluded_purpose(checker, use):
    assert offers_service_to_others(use)
    r = checker.check(use, license="toolkit-terms")
    assert r.verdict == "prohibited"
    assert any("Excluded Purpose" in f.quote and f.effect == "prohibited" for f in r.findings)


@pytest.mark.parametrize("use", [
    # the user's own product, not AI infrastructure for others
    "We use the toolkit to serve our own recommendation model inside the shopping app our customers use.",
    # the user is a cloud's customer, not a cloud
    "Our data-science team runs the toolkit on rented cloud GPUs for its experiments.",
])
def test_a_product_of_ones_own_is_no_competing_service(checker, use):
    assert not offers_service_to_others(use)
    r = checker.check(use, license="toolkit-terms")
    assert not any(f.reason.kind == "competing_service" for f in r.findings)


def test_the_definitions_own_exception_spares_an_internal_platform(checker):
    use = ("Our platform group runs an internal-only inference service where our own teams deploy their models, "
           "built with the toolkit.")
    r = checker.check(use, license="toolkit-terms")
    assert not any(f.reason.kind == "competing_service" for f in r.findings)


# --- approval duty for custom hardware -----------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We'd deploy our toolkit-built app on the in-house NPU our silicon team taped out last spring.",
    "can our program run on the FPGA board we designed ourselves?",
])
def test_running_on_hardware_one_develops_needs_the_licensors_approval(checker, use):
    r = checker.check(use, license="toolkit-terms")
    assert r.verdict == "conditional"
    assert any(c.kind == "hardware_approval" for c in r.conditions)


def test_supported_hardware_needs_no_approval(checker):
    r = checker.check("We run our toolkit-built app on standard NVIDIA GPUs in AWS.", license="toolkit-terms")
    assert not any(c.kind == "hardware_approval" for c in r.conditions)


# --- litigation termination and its defensive exception -----------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A competitor filed a patent claim against us last month; our answer includes a counterclaim that the Model "
    "infringes our patents. Can we keep using it?",
    "they sued us over patents first, so we're countersuing and alleging the model infringes ours - still licensed?",
])
def test_a_counterclaim_after_being_sued_first_is_in_the_exception(checker, use):
    r = checker.check(use, license="suit-terms")
    assert r.verdict != "prohibited"


def test_starting_the_suit_still_ends_the_licence(checker):
    r = checker.check("We intend to sue the developer, alleging the Model infringes our patents.", license="suit-terms")
    assert r.verdict == "prohibited"


# --- output-training rules: the ban's exceptions, and a judge whose selections train another model ----------------
OUTPUT_TEXTS = {
    "voice-terms": (
        "1. Grant. You may use, reproduce and modify the Voice Model, including for commercial purposes.\n\n"
        "2. Restrictions. You may not use the Voice Model or its outputs to improve any AI model, except for the "
        "Voice Model itself, its derivative works, or non-commercial AI models.\n"),
}


@pytest.fixture(scope="module")
def voice_checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("voice-home"), OUTPUT_TEXTS)


@pytest.mark.parametrize("use", [
    "Our phonetics group will synthesise accented speech with the Voice Model to train a non-commercial dialect "
    "recogniser that we publish for other researchers.",
    "hobby project: clips from the voice model to train my own TTS, strictly non-commercial",
])
def test_training_a_noncommercial_model_is_in_the_bans_exception(voice_checker, use):
    r = voice_checker.check(use, license="voice-terms")
    assert r.verdict in ("allowed", "conditional")
    assert not any(f.effect == "prohibited" for f in r.findings)


@pytest.mark.parametrize("use", [
    "We'll synthesise speech with the Voice Model to train the TTS engine we sell to call centres.",
    "Generate narration with the voice model and fine-tune our paid audiobook narrator on it.",
])
def test_training_a_commercial_model_stays_banned(voice_checker, use):
    assert voice_checker.check(use, license="voice-terms").verdict == "prohibited"


def test_a_family_is_known_by_its_other_names():
    from agent.check.pipeline import families
    assert families("excluding tongyi qianwen or derivative works thereof") == {"qwen"}
    assert families("our qwen2.5-7b student") == {"qwen"}


@pytest.mark.parametrize("use, learner", [
    ("let llama act as a filter: it rates thousands of scraped q&a pairs, throws out the weak ones, and whatever "
     "survives becomes the sft set for our mistral-based assistant", "mistral"),
    ("we'd have falcon score candidate summaries written by interns, keep only the top-scored ones, and then use "
     "those as the preference data for our in-house gemma model", "gemma"),
])
def test_a_judge_whose_selections_become_training_data_trains_another_model(use, learner):
    from agent.check.pipeline import trained_model
    got = trained_model(use)
    assert got is not None and learner in got


def test_a_judge_with_no_training_step_trains_nothing():
    from agent.check.pipeline import trained_model
    assert trained_model("the model scores our support agents' replies and we coach the agents with the results") is None


# --- duties triggered by everyday sharing verbs (models class 5) ------------------------------------------------
@pytest.mark.parametrize("use", [
    "We want to mirror the toolkit's sources byte-for-byte on our public GitLab group so contributors can fetch them.",
    "re-host the original weights unchanged in a public bucket for our community",
    "Could we give a trimmed copy of this corpus to the hospital we collaborate with?",
    "send a subset of the recordings to our annotation vendor",
    "We intend to repackage the images with our labels and then license the bundle to car makers.",
])
def test_everyday_sharing_verbs_are_distribution(use):
    from agent.check.facts import read_facts
    assert read_facts(use).distribution


@pytest.mark.parametrize("use", [
    "we keep a mirror of the repo on our internal gitlab so builds don't depend on the network",
    "we took a copy of the dataset to train our classifier",
    "we repackaged the model as a container image for our own cluster",
])
def test_copies_kept_in_house_are_not_distribution(use):
    from agent.check.facts import read_facts
    assert not read_facts(use).distribution


@pytest.mark.parametrize("use", [
    "after some extra tuning, everybody can chat with it on our homepage",
    "the public gets to talk to the bot from our landing page",
])
def test_anyone_talking_to_it_is_network_interaction(use):
    from agent.check.facts import read_facts
    assert read_facts(use).hosting


@pytest.mark.parametrize("use", [
    "we tuned it a little more on our own tickets",
    "gave the model extra fine-tuning on our docs",
])
def test_training_it_more_is_a_derivative(use):
    from agent.check.facts import read_facts
    assert read_facts(use).derivative


# --- express carve-outs in the matched section; the duty to tell people they talk to a bot ------------------------
@pytest.fixture(scope="module")
def policy_checker(indexed):
    # a built-in acceptable-use policy with both carve-outs ("this section does not limit … customer support in
    # regulated industries"; "… does not limit … tools designed specifically to identify … fraud") and a duty to tell
    # end users they interact with an automated system
    from agent.check.checker import Checker
    return Checker(indexed)


POLICY = "salesforce-ai-aup-2025"


@pytest.mark.parametrize("use", [
    "An insurance broker wants a virtual agent on its site that tells callers their claim status and office opening "
    "hours.",
    "bank's help desk bot answering where the nearest branch is and how to reset a card PIN",
])
def test_customer_service_in_a_regulated_sector_is_the_carve_out(policy_checker, use):
    r = policy_checker.check(use, license=POLICY)
    assert r.verdict == "conditional"  # nothing bans it; telling users they talk to an automated system remains
    assert not any(f.effect in ("prohibited", "review") for f in r.findings)
    assert any(c.kind in ("tell_risks", "disclose_ai") for c in r.conditions)


@pytest.mark.parametrize("use", [
    "A clinic network wants a chatbot answering patients' questions about appointment times and whether their "
    "prescription is ready for pickup.",
    "an online pharmacy's support assistant that tells shoppers their medication order status",
])
def test_a_support_use_flagged_under_the_advice_ban_is_admitted_by_its_carve_out(policy_checker, use):
    r = policy_checker.check(use, license=POLICY)
    assert r.verdict == "conditional"
    assert not any(f.effect in ("prohibited", "review") for f in r.findings)


def test_fraud_detection_is_the_profiling_carve_out(policy_checker):
    r = policy_checker.check("Our payments team would have it flag card-testing bursts and stolen-card fraud on "
                             "merchant accounts.", license=POLICY)
    assert r.verdict in ("allowed", "conditional")
    assert not any(f.effect in ("prohibited", "review") for f in r.findings)


def test_the_carve_out_does_not_admit_the_banned_advice(policy_checker):
    r = policy_checker.check("We'd have the bot give each customer individualized investment advice on which funds "
                             "to buy.", license=POLICY)
    assert not any(f.reason.kind == "express_carve_out" for f in r.findings)


def test_a_carve_out_needs_the_purpose_stated():
    from agent.check.rules.carve_outs import stated
    assert stated("a help desk bot for our shoppers' delivery questions") == {"customer_support"}
    assert stated("flag suspicious sign-ins on staff accounts") == {"security_fraud"}
    assert stated("write marketing copy for our new shoes") == set()


# --- regional exclusions: who is where (external class 4; evals/ANNOTATION_GUIDE.md "Regional exclusions") ---------
@pytest.mark.parametrize("use, region", [
    ("A two-person design outfit registered in Latvia wants to fine-tune Llama 4 Scout.", "European Union"),
    ("a sole trader based in Ghent building a photo-tagging tool on Llama 4 Maverick", "European Union"),
    ("Our practice, headquartered in Dublin, would adapt Llama 4 for radiology notes.", "European Union"),
])
def test_a_small_business_is_established_where_it_is_based(use, region):
    from agent.check.frame import read_frame
    assert region in read_frame(use).established


@pytest.mark.parametrize("use", [
    "I live in Porto but I'm employed by a firm in Toronto and would fine-tune Llama 4 Scout for them.",
    "im a contractor working for a company based in the US, though I reside in Krakow; the job is adapting llama 4",
])
def test_a_person_in_the_region_working_for_an_employer_elsewhere_is_an_open_fact(use):
    from agent.check.frame import read_frame
    f = read_frame(use)
    assert f.domicile_open and "European Union" in f.regions and "European Union" not in f.established


def test_the_open_fact_is_unclear_and_the_seat_is_prohibited(policy_checker):
    open_ = policy_checker.check("I live in Porto but I'm employed by a firm in Toronto and would fine-tune "
                                 "Llama 4 Scout for them.", license="llama-4-cla-2025")
    assert open_.verdict == "unclear"
    seat = policy_checker.check("A two-person design outfit registered in Latvia wants to fine-tune Llama 4 Scout.",
                                license="llama-4-cla-2025")
    assert seat.verdict == "prohibited"
