"""How the scope of a grant and the licence's own definitions are read, issue 11, twelfth session (fixer licfix7).
Each class is tried on fresh wordings written for these tests (other actors, sectors, licence wordings) and on near
misses that must not trigger it.

A. Purpose-limited grants.
   A1 a grant "solely for" analysis by a computer does not reach copies made for people to read (a book, a volume);
   A2 a disjunctive grant ("internal business operations or non-commercial personal use") admits a company's internal
      use through its business prong; an offering to clients is outside both prongs;
   A3 a text that forbids combining the work with code under a named copyleft licence forbids that combination.
B. Definitions with inclusions and exclusions.
   B1 "Research Purposes" that leaves out product development does not admit a company's trial toward a product,
      nor a manufacturer's R&D unit trying the model; a university lab's experiments stay inside;
   B2 a grant "for research and educational purposes" admits teaching;
   B3 a ban on predictions about people's listed characteristics (emotions, age, ...) outranks the research grant.
C. A restriction through a defined term, the use describing the actor: a GPU cloud or an inference provider
   selling endpoints to the public is the defined "commercially, publicly available" offering.
D. Exceptions and clauses inside the same text.
   D1 a no-endorsement clause bans claiming the licensor's approval on packaging, a store page or a site;
   D2 a hosting ban whose definition leaves out applications that use the model in the background does not reach
      such an app;
   D3 a use policy carried as an exhibit or schedule of the same text is not a missing policy.
E. A whole-output ban (no commercial qualifier) reaches posting or printing what the model wrote.

Synthetic texts written for these tests (no third-party text); real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from .conftest import checker_over

TEXTS = {
    "ledger-terms": (
        "1. Definitions. \"Machine Analysis\" means the automated processing of the Corpus by a computer, such as text "
        "mining, statistics or training machine-learning models.\n\n"
        "2. Grant. You may use, modify and distribute the Corpus solely for Machine Analysis.\n\n"
        "3. Attribution. If you distribute the Corpus you must keep this notice.\n"),
    "foundry-terms": (
        "1. Grant. Foundry grants you a non-exclusive, royalty-free licence to install, execute and modify the "
        "Software, in each case solely on equipment you control and solely for your internal business operations "
        "or for your own non-commercial personal use.\n\n"
        "2. Restrictions. You will not sell, sublicense or make the Software available to third parties, and you will "
        "not use the Software to perform a service offered to third parties.\n\n"
        "3. Copyleft. You will not combine, link or integrate the Software with any software licensed under the GNU "
        "General Public License, the GNU Affero General Public License or any other licence that would require the "
        "Software to be disclosed or distributed in source code form.\n"),
    "hobby-only-terms": (
        "1. Grant. You may install and run the Software solely for non-commercial purposes.\n"),
    "prism-terms": (
        "1. Scope. Prism grants you a personal, royalty-free licence to use, copy and modify the Model solely for "
        "Research Purposes. \"Research Purposes\" means non-commercial scientific research and experimentation, such "
        "as testing and analysis, with the sole intent to advance knowledge. Research Purposes does not include any "
        "commercial exploitation, product development or use in any commercial product or service.\n\n"
        "2. Redistribution. If you redistribute the Model, you must include a copy of this licence.\n"),
    "campus-terms": (
        "1. Grant. You may access, download, install and use the Model solely for research and educational "
        "purposes.\n\n"
        "2. Restrictions. You will not use the Model for any commercial purpose.\n"),
    "lab-only-terms": (
        "1. Grant. You may access, download, install and use the Model solely for research purposes.\n\n"
        "2. Restrictions. You will not use the Model for any commercial purpose.\n"),
    "lens-terms": (
        "1. Grant. Subject to section 2, you may use, copy and modify the Model for non-commercial research.\n\n"
        "2. Restrictions. You will not use the Model, or any data it produces, for (i) any commercial purposes, (ii) "
        "any predictions about sensitive characteristics of people, including but not limited to emotions, age, "
        "religion and sexual orientation, or (iii) the tracking of individuals.\n"),
    "kiln2-terms": (
        "1. Definitions. \"Runtime\" means the Kiln serving runtime. \"Rival Offering\" means making commercially, "
        "publicly available software-as-a-service, platform-as-a-service or similar managed cloud services whose "
        "primary purpose is supplying machine-learning infrastructure to third parties.\n\n"
        "2. Grant. You may use the Runtime in your own applications, including commercial ones.\n\n"
        "3. Restrictions. You shall not use the Runtime for any Rival Offering.\n"),
    "acme-terms": (
        "1. Grant. Acme grants you a licence to use, reproduce, modify and redistribute the Software, with or without "
        "modifications, in source or binary form.\n\n"
        "2. Names. Neither the name nor the trademarks of Acme may be used to endorse or promote products derived "
        "from the Software without specific prior written permission from Acme.\n"),
    "relay-terms": (
        "1. Grant. You may use, reproduce, modify and distribute the Model and Derivative Works, including for "
        "commercial purposes.\n\n"
        "2. Hosting.\n\n2.1. \"Hosted Offering\" means any use of the Model to offer shared instances or managed "
        "services that give third party users access to the Model in an inference or fine-tuning API form.\n\n"
        "2.2. The use of the Model to provide applications and end user products which use the Model in the "
        "background shall not be considered a Hosted Offering.\n\n"
        "2.3. You are not licensed to use the Model for any Hosted Offering without our written permission.\n"),
    "reel-terms": (
        "1. Definitions. \"Acceptable Use Policy\" means the policy set out in Schedule A.\n\n"
        "2. Grant. We grant you a royalty-free licence to use, reproduce and distribute the Model and its outputs, "
        "including commercially, in accordance with this Agreement and the Acceptable Use Policy.\n\n"
        "3. Use. Your use of the Model must adhere to the Acceptable Use Policy, which is hereby incorporated by "
        "reference into this Agreement.\n\n"
        "SCHEDULE A\nACCEPTABLE USE POLICY\n\nYou agree not to use the Model or its outputs:\n\n"
        "1. In any way that violates any applicable law;\n\n"
        "2. To impersonate another person;\n\n"
        "3. To place generated videos or images in a public context without conspicuously identifying them as "
        "machine generated.\n"),
    "still-terms": (
        "1. Grant. You may use and copy the Model, royalty free.\n\n"
        "2. Output. You will not use, copy, modify, reproduce or distribute the Output produced by the Model, in "
        "whole or in part. \"Output\" means the results of operating the Model.\n"),
    "still-nc-terms": (
        "1. Grant. You may use and copy the Model, royalty free.\n\n"
        "2. Output. You will not use, copy, modify, reproduce or distribute the Output produced by the Model, in "
        "whole or in part, for any commercial or production purposes. \"Output\" means the results of operating the "
        "Model.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("licence-scope-s12-home"), TEXTS)


def _prohibits(r, words: str) -> bool:
    return any(f.effect == "prohibited" and words.lower() in f.quote.lower() for f in r.findings)


# --- A1. a machine-purpose grant and copies for people to read --------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A poetry imprint wants to bring out the collected letters from this corpus as a hardback.",
    "we'd like to turn the corpus into a printed volume that readers can buy",
    "A regional magazine wants to put the corpus's interviews out as a paperback for its subscribers.",
])
def test_copies_for_readers_are_outside_a_machine_analysis_grant(checker, use):
    r = checker.check(use, license="ledger-terms")
    assert r.verdict == "prohibited"
    assert _prohibits(r, "solely for Machine Analysis")


@pytest.mark.parametrize("use", [
    "We train a sentiment classifier on the corpus and report its accuracy in a paper.",
    "compute word frequencies across the corpus for my linguistics thesis",
])
def test_machine_analysis_stays_inside_the_grant(checker, use):
    assert checker.check(use, license="ledger-terms").verdict != "prohibited"


# --- A2. a disjunctive grant: the internal-business prong ----------------------------------------------------------
@pytest.mark.parametrize("use", [
    "An insurer's actuarial team wants to run the tool on its own machines to generate test policy data for "
    "internal validation.",
    "Our logistics company would use it in-house to draft internal shift reports for our dispatchers.",
    "the hospital's IT staff want to use it internally to anonymise test records",
])
def test_internal_business_use_is_inside_a_disjunctive_grant(checker, use):
    r = checker.check(use, license="foundry-terms")
    assert r.verdict in ("allowed", "conditional")


@pytest.mark.parametrize("use", [
    "We'd run it to produce synthetic datasets that we sell to our clients.",
    "An agency wants to offer the tool's results to outside customers as a paid service.",
])
def test_an_offering_to_clients_is_outside_both_prongs(checker, use):
    assert checker.check(use, license="foundry-terms").verdict == "prohibited"


def test_a_non_commercial_only_grant_has_no_business_prong(checker):
    use = "Our logistics company would use it in-house to draft internal shift reports for our dispatchers."
    assert checker.check(use, license="hobby-only-terms").verdict == "prohibited"


# --- A3. a named incompatible licence ------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We want to vendor this library into our AGPL-licensed web server.",
    "linking the code into a GPLv3 desktop app I maintain",
    "My copyleft project, released under GPL-3.0, would include this module.",
])
def test_combining_with_a_named_copyleft_licence_is_banned(checker, use):
    r = checker.check(use, license="foundry-terms")
    assert r.verdict == "prohibited"
    assert _prohibits(r, "General Public License")


@pytest.mark.parametrize("use", [
    "Our bank wants to call the code from its internal Java services on its own servers.",
    "I'd like to read the code to learn how it works, on my own laptop.",
])
def test_no_copyleft_combination_no_copyleft_ban(checker, use):
    r = checker.check(use, license="foundry-terms")
    assert not _prohibits(r, "General Public License")


# --- B1. research purposes that leave out product development ------------------------------------------------------
@pytest.mark.parametrize("use", [
    "The innovation group at a kitchen-appliance maker wants to trial the model in-house to see whether it belongs "
    "in next year's oven lineup.",
    "We're a for-profit drone company; our engineers want to test the model internally to judge if it's good enough "
    "for our upcoming product.",
    "The R&D division of a toy manufacturer would like to experiment with the model.",
])
def test_a_companys_trial_toward_products_is_outside_research_purposes(checker, use):
    r = checker.check(use, license="prism-terms")
    assert r.verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "A university robotics lab wants to experiment with the model for a conference paper.",
    "I'm a PhD student testing the model's reasoning on logic puzzles for my thesis.",
])
def test_scientific_research_stays_inside(checker, use):
    assert checker.check(use, license="prism-terms").verdict == "allowed"


# --- B2. teaching under a research-and-education grant -------------------------------------------------------------
TEACHING = [
    "I lecture at a community college and want to show the model answering questions in my seminar.",
    "A secondary-school teacher wants pupils to try the model during a lesson on AI.",
    "A university tutor would use the model in tutorials so students see how chatbots reason.",
]


@pytest.mark.parametrize("use", TEACHING)
def test_teaching_is_inside_a_research_and_education_grant(checker, use):
    assert checker.check(use, license="campus-terms").verdict == "allowed"


@pytest.mark.parametrize("use", TEACHING[:2])
def test_teaching_is_not_granted_by_a_research_only_grant(checker, use):
    assert checker.check(use, license="lab-only-terms").verdict != "allowed"


# --- B3. a listed-characteristics ban outranks the research grant ----------------------------------------------------
@pytest.mark.parametrize("use", [
    "A university sociology group wants to infer the religion of people from their social-media photos for a thesis.",
    "Our research lab would estimate the age of pedestrians in street footage for an academic study.",
    "For a conference paper we want to detect the emotions of speakers in recorded debates.",
])
def test_predicting_a_listed_characteristic_of_people_is_banned_in_research(checker, use):
    r = checker.check(use, license="lens-terms")
    assert r.verdict == "prohibited"
    assert _prohibits(r, "sensitive characteristics")


@pytest.mark.parametrize("use", [
    "A forestry lab estimates the age of trees in aerial photos for a research paper.",
    "For a paper, our lab sorts camera-trap photos of foxes by species.",
])
def test_characteristics_of_things_are_not_people(checker, use):
    r = checker.check(use, license="lens-terms")
    assert not _prohibits(r, "sensitive characteristics")
    assert r.verdict != "prohibited"


# --- C. the defined offering, the actor described ---------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We run a GPU rental business and want to sell per-token inference access to open-weight models using the "
    "runtime.",
    "An AI-infrastructure startup plans a public model-serving API on the runtime, billed pay-per-request.",
    "A compute-as-a-service provider wants to put its public inference product on the runtime.",
])
def test_an_inference_provider_selling_to_the_public_is_the_defined_offering(checker, use):
    r = checker.check(use, license="kiln2-terms")
    assert r.verdict == "prohibited"
    assert _prohibits(r, "Rival Offering")


@pytest.mark.parametrize("use", [
    "We sell a note-taking app; its summaries run on the runtime in our own cloud account.",
    "Our public website's chatbot runs on the runtime on a GPU cloud we rent.",
])
def test_a_product_on_the_runtime_is_no_offering(checker, use):
    assert not _prohibits(checker.check(use, license="kiln2-terms"), "Rival Offering")


# --- D1. claiming the licensor's approval -------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "We'd print 'Certified by Acme' on the packaging of our thermostat that uses the software; Acme hasn't been asked.",
    "Our website will call our scanner 'the Acme-recommended OCR'; it runs the software.",
    "I want my plugin's store listing to say it is endorsed by Acme.",
])
def test_claiming_the_licensors_approval_is_banned(checker, use):
    r = checker.check(use, license="acme-terms")
    assert r.verdict == "prohibited"
    assert _prohibits(r, "endorse or promote")


@pytest.mark.parametrize("use", [
    "Our README credits Acme as the author of the software, as the licence asks.",
    "We got Acme's written permission to say 'Acme approved' on our box.",
])
def test_credit_or_permission_is_no_endorsement_breach(checker, use):
    assert not _prohibits(checker.check(use, license="acme-terms"), "endorse or promote")


# --- D2. an app using the model in the background is not a hosted offering --------------------------------------------
@pytest.mark.parametrize("use", [
    "Our recipe app uses the model behind the scenes to suggest meal plans for subscribers; they never touch the "
    "model itself.",
    "A travel-booking site runs the model in the background to write hotel summaries for its visitors.",
    "Our paid note-taking product calls the model in the background to tidy up users' notes.",
])
def test_an_app_using_the_model_in_the_background_is_not_hosting(checker, use):
    assert checker.check(use, license="relay-terms").verdict in ("allowed", "conditional")


@pytest.mark.parametrize("use", [
    "We'd sell paid API access to the model to developers at $0.50 per million tokens.",
    "We plan a managed fine-tuning endpoint where customers train the model on their own data.",
])
def test_offering_the_model_itself_as_an_api_is_not_the_exception(checker, use):
    r = checker.check(use, license="relay-terms")
    assert not any(f.reason.kind == "definition_exception" for f in r.findings)


# --- D3. a policy carried as a schedule of the same text -------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A Lisbon animation studio wants to make short clips with the model for its Instagram account.",
    "We'd generate product videos with the model and post them on our shop's website.",
])
def test_a_scheduled_policy_is_not_missing(checker, use):
    r = checker.check(use, license="reel-terms")
    assert not any(m.kind == "policy" for m in r.missing)
    assert r.verdict in ("allowed", "conditional")


def test_a_policy_elsewhere_is_still_missing(tmp_path):
    other = {"elsewhere-terms": "1. Grant. You may use, reproduce and distribute the Model.\n\n2. Use. Your use of the "
                                "Model must adhere to the Acceptable Use Policy available at https://example.org/aup, "
                                "which is hereby incorporated by reference into this Agreement.\n"}
    r = checker_over(tmp_path, other).check("We make clips with the model for our channel.",
                                            license="elsewhere-terms")
    assert any(m.kind == "policy" for m in r.missing)


# --- E. a whole-output ban ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "I'd post the poems the model writes on my Tumblr.",
    "Our school newsletter will print summaries the model generates.",
    "share the model's answers in a public github gist",
])
def test_a_whole_output_ban_reaches_passing_outputs_on(checker, use):
    r = checker.check(use, license="still-terms")
    assert r.verdict == "prohibited"
    assert _prohibits(r, "Output produced by the Model")


@pytest.mark.parametrize("use", [
    "I'd post the poems the model writes on my Tumblr.",
    "Our school newsletter will print summaries the model generates.",
])
def test_an_output_ban_for_commercial_purposes_leaves_a_free_post(checker, use):
    r = checker.check(use, license="still-nc-terms")
    assert not _prohibits(r, "Output produced by the Model")
