"""When a duty attaches (issue 11, twelfth session, devt classes external 3/5 and models 4/6/7): a notice, licence-copy,
flow-down or marking duty attaches when its trigger holds in the frame (the model passed on, served to others, a
product containing it, output put before people), and only then; a use that says it will not perform a duty (or says
the opposite fact) breaks it; a cure the use states is applied.

1. *mere use*: (a trigger reading, agent/check/triggers.py, that kept notice and flow-down duties off content put on
   the user's own site, printed works handed out and an assistant for the user's own work, and a *steward clause* reading, a sentence about the
   licence document itself, were tried and reverted: each cost a held-out question);
2. *notice on distribution*: modified weights sold to clients ("sell them", "sell copies") are passed on;
3. *a stated cure or a refused duty*: two oversight acts joined ("reads and confirms every …") are oversight; a ban's
   exception "for safety reasons" is stated by the hazard guarded against; a realistic-media clause cured by a label is
   met by a use that says it labels; a "no cure even when a human decides" exception is reached when the lender is
   named by what it sells (an advance against the next paycheck); a user who says they wrote the model's work
   themselves passes it off as a person's (and releasing weights "under our own name" is not that).

Sentences and licence texts written for these tests, not copied from any eval case; real embedder, profiler and
checker."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame

from .conftest import checker_over

GRANT = ("1. Grant. Subject to this License, you may use, copy, modify and distribute the Model and its derivatives "
         "for any purpose, including commercial purposes.\n\n")
TEXTS = {
    # notices on modified elements passed on under other terms
    "kestrel-open": (
        "1. License. The licensor grants you the rights to do everything with the licensed elements that would "
        "otherwise infringe its intellectual property rights.\n\n"
        "2. Notices. If you modify the licensed elements and provide them to others, you may apply terms of your "
        "choice; however, you must inform each recipient that the elements are available under this license, by "
        "providing a copy of this license or a reference to it.\n"),
    "ibis-care": GRANT + (
        "2. Use Restrictions. You agree not to use the Model:\n"
        "(a) to diagnose a medical condition without human oversight;\n"
        "(b) to create malware.\n"),
    "lark-provenance": GRANT + (
        "2. Prohibited Uses. You may not use the Model for misrepresentation of the provenance of generated content "
        "by claiming content was created by a human, or represent that the outputs are human-generated, in order "
        "to deceive.\n"),
    "osprey-aup": (
        "1. Scope. This policy governs your use of the Osprey AI services.\n\n"
        "2. Prohibited Uses. You may not use the services for:\n"
        "a. Detecting, inferring, or assessing individuals' emotions in the workplace or in educational institutions, "
        "except for medical or safety reasons.\n"
        "b. Creating facial recognition databases by scraping images from the internet.\n"
        "c. Generating malware or ransomware.\n\n"
        "3. Disclosure. You must disclose to individuals when exposing them, for the limited purpose permitted in this "
        "policy, to an emotion recognition system.\n"),
    "plover-media": GRANT + (
        "2. Restrictions. You agree not to use the Model to:\n"
        "(a) synthesize video-realistic representations of people and events (indistinguishable from real recordings) "
        "without including a caption, watermark or metadata file indicating that they were generated using the "
        "Model;\n"
        "(b) create malware or ransomware;\n"
        "(c) stalk or harass any person;\n"
        "(d) generate sexual content involving minors.\n"),
    "tern-credit": (
        "1. Scope. This policy governs use of the Tern AI services.\n\n"
        "2. Automated Decisions. You may not use the services:\n"
        "a. as part of an automated decision-making process with legal or similarly significant effects, unless a "
        "human makes the final decision;\n"
        "b. in automated decision-making for payday lending, even when a human makes the final decision.\n"),
    # a licence that carries its use policy as an exhibit of its own text
    "skua-exhibit": GRANT + (
        "2. Use Policy. Your use of the Model must adhere to the Acceptable Use Policy, which is hereby incorporated "
        "by reference into this Agreement.\n\n"
        "3. Governing Law. This Agreement is governed by the laws of Ruritania.\n\n"
        "EXHIBIT A\nACCEPTABLE USE POLICY\n\n"
        "The Licensor may update this Acceptable Use Policy from time to time.\n\n"
        "You agree not to use the Model:\n\n"
        "1. To generate or disseminate information, and place the information in any public context, without "
        "expressly and conspicuously identifying that the information is machine generated;\n\n"
        "2. To create malware.\n"),
    # distribution duties stated in the licence, and a use policy kept elsewhere
    "petrel-hosted-aup": GRANT + (
        "2. Redistribution. You may distribute the Model or derivatives provided that you give any other recipients "
        "a copy of this License and include prominently in any public statement regarding a derivative the "
        "statement \"Built using Petrel technology\".\n\n"
        "3. Acceptable Use. Your use of the Model or any derivative must comply with the Acceptable Use Policy "
        "available at https://example.org/petrel/aup, which is incorporated into this License.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("duty-triggers-12"), TEXTS)


def _duties(r) -> set[str]:
    return {f.category for f in r.findings if f.effect == "condition"}


# --- 2. notice duties on passing modified weights on -----------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We'll adapt the weights for claims triage and sell them to two insurers under our own EULA.",
    "After fine-tuning the checkpoint we would sell copies to three logistics firms.",
    "Our lab modified the model and wants to hand it over to partner hospitals.",
])
def test_modified_weights_passed_on_owe_the_notice(checker, use):
    r = checker.check(use, license="kestrel-open")
    assert r.verdict == "conditional", [(f.category, f.effect) for f in r.findings]


@pytest.mark.parametrize("use", [
    # near misses: what is sold is what the model made, or nothing leaves the company
    "We generate logos with it and sell them to clients.",
    "We use it in-house to tag incoming invoices.",
])
def test_outputs_sold_or_internal_use_owe_no_notice(checker, use):
    r = checker.check(use, license="kestrel-open")
    assert r.verdict == "allowed"


# --- 3. a cure the use states; a duty the use refuses ----------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A pathologist reads and confirms every slide the model marks as possibly malignant.",
    "Dermatology triage app: a dermatologist checks and signs off every result before patients see it.",
    "A vet clinic's tool suggests likely conditions and one of our vets reviews and approves each suggestion.",
])
def test_oversight_said_with_two_verbs_cures_an_unsupervised_only_ban(checker, use):
    assert read_frame(use).human_oversight
    assert checker.check(use, license="ibis-care").verdict != "prohibited"


@pytest.mark.parametrize("use", [
    # near misses: no person in the loop
    "An app that tells users which skin condition they have, with no doctor involved.",
    "The kiosk diagnoses patients automatically and prints the result.",
])
def test_unsupervised_diagnosis_stays_banned(checker, use):
    assert checker.check(use, license="ibis-care").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "My poetry zine will be written by the model, but I'll tell readers I wrote every poem myself.",
    "We'll claim we painted the gallery's pictures by hand though the model makes them.",
    "The model drafts my weekly column and I'll tell my editor that I wrote the whole thing.",
])
def test_claiming_to_have_made_the_models_work_breaks_the_provenance_duty(checker, use):
    assert read_frame(use).presented_as_human
    assert checker.check(use, license="lark-provenance").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    # near misses: the user says the model helped, which is the disclosure itself
    "I'll say in the foreword that I wrote the novel with help from the model.",
    "The afterword will say I wrote every word with an AI model.",
])
def test_saying_the_model_helped_is_not_passing_off(checker, use):
    assert not read_frame(use).presented_as_human
    assert checker.check(use, license="lark-provenance").verdict != "prohibited"


@pytest.mark.parametrize("use", [
    "A mining firm wants to flag signs of fatigue in haul-truck operators from the cab camera so supervisors can call "
    "a break.",
    "Warehouse forklift drivers' alertness is watched by camera to prevent collisions.",
    "An airline wants to spot pilots nodding off during long-haul flights.",
])
def test_a_safety_reason_is_within_the_emotion_bans_exception(checker, use):
    assert checker.check(use, license="osprey-aup").verdict != "prohibited"


@pytest.mark.parametrize("use", [
    # near misses: the same inference for performance or pay, not safety
    "A call centre wants to detect agents' frustration on calls to rank their performance.",
    "Monitor office staff moods on their webcams to decide annual bonuses.",
])
def test_emotion_inference_at_work_for_other_reasons_stays_banned(checker, use):
    assert checker.check(use, license="osprey-aup").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "A PR agency wants a photoreal clip of a well-known chef praising a client's olive oil, watermarked with an "
    "'AI-generated' label.",
    "Lifelike video of a famous tennis player for a sneaker brand, carrying a visible 'AI-generated' caption.",
])
def test_a_labelled_realistic_video_meets_the_marking_cure(checker, use):
    r = checker.check(use, license="plover-media")
    assert r.verdict == "conditional", [(f.category, f.effect, f.reason.kind) for f in r.findings]


def test_a_realistic_video_with_the_mark_removed_breaks_the_cure(checker):
    use = "A photoreal video of a famous singer for an ad; we'll strip the watermark before it runs on TV."
    assert checker.check(use, license="plover-media").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "A salary-advance app wants the AI to approve applicants; an analyst signs off every decision.",
    "A shop offering advances against the next paycheck wants the model to score applicants, and a clerk approves "
    "each one.",
])
def test_payday_lending_named_by_what_is_sold_has_no_cure(checker, use):
    assert checker.check(use, license="tern-credit").verdict == "prohibited"


def test_other_lending_keeps_the_person_decides_cure(checker):
    use = "A credit union wants the AI to pre-screen car-loan applications; an officer makes the final decision."
    assert checker.check(use, license="tern-credit").verdict == "conditional"


def test_releasing_weights_under_ones_own_name_is_not_passing_output_off():
    f = read_frame("We adapted the model for Welsh and will publish the weights under our own name on the hub.")
    assert not f.presented_as_human and f.distribution
    assert read_frame("I post the model's short stories under my own name on a fiction site.").presented_as_human


@pytest.mark.parametrize("use", [
    "A Lisbon animation studio wants to make music videos with the model and post them on its video channel.",
    "We'll generate short explainer clips with it and publish them on our public course pages.",
])
def test_a_use_policy_carried_as_an_exhibit_is_read_not_missing(checker, use):
    r = checker.check(use, license="skua-exhibit")
    assert not any(f.effect == "missing" for f in r.findings)
    assert r.verdict == "conditional"


def _clauses(*texts):
    from retrieval.clauses import Clause

    return [Clause("t", f"p{i}", 0, len(t), t) for i, t in enumerate(texts)]


def test_an_exhibit_label_over_a_use_policy_title_starts_the_policy():
    from agent.terms.features import policy_section_start

    assert policy_section_start(_clauses("1. Grant. You may use the Model.", "EXHIBIT A\nACCEPTABLE USE POLICY",
                                         "You agree not to use the Model:", "1. To create malware;")) == 1


def test_an_exhibit_over_another_subject_or_a_pointer_starts_no_policy():
    from agent.terms.features import policy_section_start

    # near misses: an exhibit of prices, a clause pointing to a policy kept elsewhere
    assert policy_section_start(_clauses("EXHIBIT B\nPRICING", "You agree not to use the Model without paying.")) is None
    assert policy_section_start(_clauses("Your use must comply with the Acceptable Use Policy at https://x.example/aup.",
                                         "You agree not to use the Model to harm others.")) is None


@pytest.mark.parametrize("use", [
    "We adapted the model to Welsh legal texts and will publish the weights under our own name on the hub.",
    "Our team fine-tuned it for tax questions and is releasing the checkpoint with a launch blog post.",
])
def test_distribution_duties_stated_in_the_licence_decide_whatever_the_policy_says(checker, use):
    r = checker.check(use, license="petrel-hosted-aup")
    assert r.verdict == "conditional", [(f.category, f.effect) for f in r.findings]
