"""Rule families of the check over synthetic license texts (written for these tests) and uses in several
wordings: the person-decides cure and the license's exception to it, who-is-where for a regional
exclusion, family members, non-production use, actor-implied categories. Real embedder, real profiler."""
from __future__ import annotations

from pathlib import Path

import pytest

from agent.check import Checker
from agent.present.text import check_answer
from agent.terms.profile import no_sharing_of_derived
from corpus.catalog import Corpus

from .conftest import checker_over, make_settings

GRANT = ("1. Grant. Subject to this License, you may use, copy, modify and distribute the Model and its "
         "derivatives, including for commercial purposes.\n\n")
DECISIONS = ("2. Use Restrictions. You agree not to use the Model or its derivatives:\n"
             "(a) for fully automated decision-making that determines an individual's eligibility for credit, "
             "insurance, employment or housing{exception};\n"
             "(b) for any military purpose or by any armed forces;\n"
             "(c) to generate malware.\n")
REGIONAL = ("2. Regional Restriction. With respect to any multimodal models included in the Model Family, the "
            "rights granted under Section 1 are not being granted to you if you are an individual domiciled in, or "
            "a company with a principal place of business in, the European Union. This restriction does not apply "
            "to end users of a product or service that incorporates any such multimodal models.\n")
END_USERS = ("2. Obligations. You will not use the Model to deceive people, and you will not fail to tell the end "
             "users of your AI system about its known dangers and limitations.\n")
NONCOMMERCIAL = ("1. Grant. You may use, copy and modify the Model for Non-Commercial Purposes only.\n\n"
                 "2. Definitions. \"Non-Commercial Purposes\" means research, evaluation, testing and other "
                 "non-production uses; it excludes any use in a product or service offered to third parties or "
                 "any use for monetary compensation.\n\n"
                 "3. Commercial use of the Model is not permitted under this License.\n")
DEFINED_TERMS = ("1. Definitions.\n\u201cOutput\u201d means anything the Model generates.\n"
                 "\u201cNon-Commercial Purpose\u201d means any of the following uses: (i) personal study and hobby "
                 "projects; (ii) use by for-profit entities for testing, evaluation, or non-commercial research and "
                 "development in a non-production environment.\n\n"
                 "2. License. Company grants you a limited license to use and modify the Model solely for your "
                 "Non-Commercial Purposes.\n\n3. Non-Commercial Use Only. Any other use requires a separate "
                 "commercial license.\n")
RESEARCH_DEF = ("1. Grant. You may use and modify the Model for Research Purposes only.\n\n"
                "2. Definitions. \"Research Purposes\" means research or non-commercial purposes; Research Purposes "
                "does not include production use.\n\n3. Any use other than for Research Purposes is not permitted.\n")
SCOPED_EXCEPTION = GRANT + ("2. Use Restrictions. You agree not to use the Model:\n"
                            "(a) as part of automated decision-making with legal or similarly significant effects on "
                            "individuals, unless a human makes the final decision;\n"
                            "(b) as part of automated decision-making for payday lending, even when the final decision "
                            "is made by a human.\n")
OUTPUT_BAN = GRANT + ("2. Outputs. You will not use the Model or any output or results of the Model to improve any "
                      "other large language model.\n")

# Network copyleft, two wordings: a modified version served over a network carries the share-alike duty;
# serving an unmodified copy does not (the duty starts "if you modify").
NETWORK_COPYLEFT = {
    "net-copyleft-a": ("1. Grant. You may copy, modify and distribute the Program.\n\n2. Copyleft. You must license "
                       "the entire modified work, as a whole, under this License.\n\n3. Remote Network Interaction. "
                       "If you modify the Program, your modified version must offer all users\ninteracting with it "
                       "remotely through a computer network an opportunity to receive its source code.\n"),
    "net-copyleft-b": ("1. Permissions. You may use, copy, modify and distribute the Software.\n\n2. Share Alike. "
                       "Modified versions must be released under this same license.\n\n3. Network use. If you "
                       "modify the Software, users who interact with it over a network must be offered its source "
                       "code.\n"),
}

# A license that carries its use policy after the agreement: the policy's bans are read from the same file and
# the reference to it is met; a license that only points to its policy leaves the policy missing.
EMBEDDED_POLICY = {
    "embedded-policy": GRANT + ("2. Use Policy. Your use of the Model must adhere to the Acceptable Use Policy "
                                "(https://example.com/policy), which is hereby incorporated by reference.\n\n"
                                "Acme Model Acceptable Use Policy\nIf you use the Acme Model, you agree to this "
                                "Acceptable Use Policy.\nProhibited Uses\nYou agree you will not use, or allow "
                                "others to use, the Acme Model to:\n1. Engage in activities that present a risk of "
                                "death or bodily harm, including:\n   a. Military, warfare or espionage applications\n"
                                "   b. Guns and illegal weapons\n"),
    "pointer-policy": GRANT + ("2. Acceptable Use Policy\nYour use of the Model must adhere to the Acceptable Use "
                               "Policy (https://example.com/policy), which is hereby incorporated by reference.\n"),
}

# "No derivatives", two wordings: modifying is granted, sharing what you modify is not.
NO_DERIVATIVES = {
    "nd-will-not": ("1. Grant. You may use, copy, modify and create derivative works of the Model, and you may "
                    "distribute unmodified copies of it.\n\n2. No Derivatives. You shall not publish or otherwise "
                    "share any modified versions of the Model that you make, in whole or in part.\n"),
    "nd-no-permission": ("1. Grant. Licensor grants you a license to use and reproduce the Model and to adapt it "
                         "into Adapted Works for your own use.\n\n2. Limits. For clarity, this License gives you no "
                         "right to distribute any Adapted Works or distilled models that you produce.\n"),
}

# Output-training bans that spare the licensor's own family, two wordings.
OWN_FAMILY_BANS = {
    "ban-own-falcon": GRANT + ("2. Outputs. You will not use the Model or any output or results of the Model to "
                               "improve any other large language model (excluding Falcon or derivative works "
                               "thereof).\n"),
    "ban-own-granite": GRANT + ("2. Outputs. Outputs may not be used to train any other AI model (other than the "
                                "Granite models or their derivatives).\n"),
}

# Behavioural bans that leave some purposes out, two wordings.
CARVED_OUT_BANS = {
    "carve-does-not-cover": GRANT + ("2. Restrictions. You will not use the Model to generate sexually explicit "
                                     "material or pornography. This restriction does not cover material created for "
                                     "educational, scientific or artistic purposes.\n"),
    "carve-other-than": GRANT + ("2. Restrictions. You shall not create erotic or sexually explicit content with the "
                                 "Model, other than for artistic or research uses.\n"),
}

# Output-training bans scoped to models that compete with the licensed one, two wordings.
COMPETING_BANS = {
    "compete-competitive": GRANT + ("2. Outputs. You may not use the Output to train, fine-tune or distill a model "
                                    "that is competitive with the Model.\n"),
    "compete-rival": GRANT + ("2. Outputs. The Licensee shall not use outputs of the Model to develop or improve any "
                              "models that compete with the Licensor's own models.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    home = tmp_path_factory.mktemp("rules-home")
    texts = {
        "decide-strict": GRANT + DECISIONS.format(exception=", even when the final decision is made by a human"),
        "decide-plain": GRANT + DECISIONS.format(exception=""),
        "regional-family": GRANT + REGIONAL,
        "nc-evaluation": NONCOMMERCIAL,
        "end-users": GRANT + END_USERS,
        "defined-nc": DEFINED_TERMS,
        "output-ban": OUTPUT_BAN,
        **NO_DERIVATIVES,
        **NETWORK_COPYLEFT,
        **EMBEDDED_POLICY,
        **OWN_FAMILY_BANS,
        **CARVED_OUT_BANS,
        **COMPETING_BANS,
        "research-def": RESEARCH_DEF,
        "decide-scoped": SCOPED_EXCEPTION,
    }
    return checker_over(home, texts)


PERSON_DECIDES = [
    "an insurer scores applicants for home insurance with the model, and an underwriter makes the final decision",
    "our credit union ranks loan applicants; a loan officer makes the final call on every application",
]


@pytest.mark.parametrize("use", PERSON_DECIDES)
def test_person_decides_cures_a_plain_ban(checker, use):
    assert checker.check(use, license="decide-plain").verdict == "conditional"


@pytest.mark.parametrize("use", PERSON_DECIDES)
def test_exception_to_the_cure_prohibits(checker, use):
    r = checker.check(use, license="decide-strict")
    assert r.verdict == "prohibited"
    assert any(f.category == "automated_decisions" and f.effect == "prohibited" for f in r.findings)


@pytest.mark.parametrize("use", [
    "a payday lending shop has the model recommend which short-term loans to approve; a clerk decides each one herself",
    "our payday lending app scores borrowers with the model and a loan officer makes the final call",
])
def test_an_exception_to_the_cure_is_cited_from_its_own_clause(checker, use):
    r = checker.check(use, license="decide-scoped")
    assert r.verdict == "prohibited", check_answer(r)
    assert all("payday" in f.quote for f in r.findings if f.effect == "prohibited"), check_answer(r)


@pytest.mark.parametrize("use", [
    # near miss: the same cure outside the excepted subject
    "a mortgage lender lets the model recommend which mortgage applications to approve; an underwriter decides and weighs other factors",
])
def test_the_general_ban_beside_a_scoped_exception_keeps_its_cure(checker, use):
    assert checker.check(use, license="decide-scoped").verdict == "conditional"


@pytest.mark.parametrize("use", [
    # a lender / insurer only summarising for the person who decides
    "our loan officers have the model summarise applicants' bank statements; the officer still makes every call",
    "an insurer has it draft a summary of each claim file, and the adjuster decides the claim herself",
])
def test_summarising_for_the_person_who_decides_is_no_automated_decision(checker, use):
    assert checker.check(use, license="decide-plain").verdict == "allowed"


@pytest.mark.parametrize("use", [
    # the person-decides cure said in other words: conditional under the plain ban, not under the strict one
    "the model recommends which loans to approve and an underwriter decides and weighs other factors",
    "our insurer prices each home policy with the model, and a colleague signs off on every quote",
])
def test_person_decides_in_other_words(checker, use):
    assert checker.check(use, license="decide-plain").verdict == "conditional"
    assert checker.check(use, license="decide-strict").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "a mortgage lender lets the model approve or reject applications automatically",
    "an insurance carrier prices each customer's car premium with the model, no human involved",
])
def test_deciding_sector_without_a_person_is_prohibited(checker, use):
    assert checker.check(use, license="decide-plain").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "the navy's maintenance division summarises engine reports with the model",
    "an army intelligence unit runs it on-premise to condense field reports",
])
def test_armed_forces_fall_under_a_military_ban(checker, use):
    assert checker.check(use, license="decide-plain").verdict == "prohibited"


@pytest.mark.parametrize("use,verdict", [
    ("we are a company headquartered in Germany and fine-tune the multimodal vision model for our product",
     "prohibited"),
    ("I live in France and use a photo app that runs the vision model", "allowed"),
    ("our German company deploys the text-only 3B model in a chatbot", "allowed"),
])
def test_who_is_where_and_which_member(checker, use, verdict):
    assert checker.check(use, license="regional-family").verdict == verdict


@pytest.mark.parametrize("use", [
    # a seat known to be outside the region, with a team inside it: no principal place of business there
    "a Canadian company (HQ in Toronto) whose Madrid team fine-tunes the multimodal vision model",
    "we're a Swiss AG headquartered in Zurich; engineers in our Vienna office adapt the vision model",
    # an end user stays inside the carve-out whatever their residence
    "I live in Lyon and use an American startup's photo-captioning app which runs the vision model",
])
def test_establishment_elsewhere_or_end_user_is_outside_a_domicile_exclusion(checker, use):
    assert checker.check(use, license="regional-family").verdict == "allowed"


@pytest.mark.parametrize("use", [
    # near miss: the seat itself is in the region
    "we're a Berlin-based GmbH (HQ and all staff in Germany) fine-tuning the multimodal vision model",
    "our company is registered in Amsterdam and serves the vision model to its customers",
])
def test_establishment_in_the_region_is_excluded(checker, use):
    assert checker.check(use, license="regional-family").verdict == "prohibited"


@pytest.mark.parametrize("use, verdict", [
    # *the model's work is pictures*: a member fine-tuned on, or reading, photos and scans is a multimodal one
    ("Rotterdam-based company here, we'd fine tune the model on our shop's product pics", "prohibited"),
    ("our firm, registered in Lisbon, wants it to caption the scanned invoices our clients upload", "prohibited"),
    ("a Warsaw software house training the model on labelled x-ray images for a triage product", "prohibited"),
    # near misses: pictures the model does not take in (text about images, images made by another tool)
    ("a Rotterdam-based company has the model write alt-text guidelines for our designers", "conditional"),
    ("our Lisbon firm asks the model for blog posts and illustrates them with stock photos", "conditional"),
])
def test_a_use_whose_inputs_are_pictures_uses_a_multimodal_member(checker, use, verdict):
    assert checker.check(use, license="regional-family").verdict == verdict


def test_which_member_comes_from_the_model_when_the_use_does_not_say(checker):
    """A clause scoped to a family's multimodal members reaches a model its card or the registry calls
    multimodal; a use that names no modality under an unnamed member stays a condition to check."""
    from agent.models import Resolution

    use = "our Utrecht-based studio builds its own product on this model"
    def verdict(modality, model="acme/omni-7b"):
        res = Resolution(query=model, model=model, licenses=["regional-family"], modality=modality)
        return checker.decide(checker.read(use), res).verdict
    assert verdict("multimodal") == "prohibited"
    assert verdict("text") == "allowed"
    assert verdict(None) == "conditional"
    assert verdict("multimodal", model="acme/omni-3b-text-only") == "allowed", "the model's own name comes first"


def test_a_cards_pipeline_tag_says_the_models_modality(checker, tmp_path):
    for tag, modality in (("image-text-to-text", "multimodal"), ("text-generation", "text"), ("", None)):
        card = tmp_path / f"card-{modality}" / "README.md"
        card.parent.mkdir()
        card.write_text(f"---\nlicense: mit\n{'pipeline_tag: ' + tag if tag else ''}\n---\n# m\n", encoding="utf-8")
        assert checker.resolve(None, None, card).modality == modality


@pytest.mark.parametrize("use", [
    "our company's research team evaluates the model internally before deciding whether to buy a license",
    "a for-profit lab benchmarks it in-house, not in production",
])
def test_internal_evaluation_fits_a_non_production_definition(checker, use):
    assert checker.check(use, license="nc-evaluation").verdict != "prohibited"


@pytest.mark.parametrize("use", [
    "we sell a subscription app built on the model to paying customers",
    "our startup offers the model through a paid API",
])
def test_commercial_product_is_prohibited_under_non_commercial(checker, use):
    assert checker.check(use, license="nc-evaluation").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    # a for-profit company's internal, non-production research under "research … does not include production use"
    "the research team of a for-profit company studies the model in a sandbox; nothing will be shipped to customers",
    "our company's ML group tries the model on internal data to see whether it is worth licensing; nothing goes to clients",
])
def test_internal_non_production_research_fits_a_research_definition(checker, use):
    assert checker.check(use, license="research-def").verdict != "prohibited"


@pytest.mark.parametrize("use", [
    # near misses: production use by a company
    "our startup sells a paid app built on the model",
    "we deploy the model in production for our customers",
])
def test_production_use_is_outside_a_research_definition(checker, use):
    assert checker.check(use, license="research-def").verdict == "prohibited"


POLICY = Path(__file__).parent / "policy_fixtures" / "llama-3.1-aup.md"


@pytest.fixture(scope="module")
def llama_checker(tmp_path_factory):
    """The built-in Llama 3.1 license with a synthetic stand-in for its use policy, added under the key the
    model registry names (corpus/models.yaml: llama-3.1-aup)."""
    s = make_settings(tmp_path_factory.mktemp("llama-home"))
    Corpus(s).add_user_text(POLICY, key="llama-3.1-aup", kind="aup")
    return Checker(s)


@pytest.mark.parametrize("use", [
    "a support bot for our 2M-user app",
    "a customer service chatbot for our online shop with 50,000 customers",
    "an assistant in our banking app that answers questions about card fees",
])
def test_ordinary_product_with_the_policy_present_is_conditional(llama_checker, use):
    r = llama_checker.check(use, model="meta-llama/Llama-3.1-8B-Instruct")
    assert "llama-3.1-aup" in r.licenses
    assert r.verdict == "conditional", (r.verdict, [(f.category, f.effect) for f in r.findings])
    assert not any(f.effect in ("review", "prohibited") for f in r.findings)


@pytest.mark.parametrize("use", [
    "send millions of unsolicited promotional emails written by the model",
    "the air force's planning staff drafts mission orders with it",
])
def test_banned_uses_under_the_policy_stay_prohibited(llama_checker, use):
    assert llama_checker.check(use, model="meta-llama/Llama-3.1-8B-Instruct").verdict == "prohibited"


SERVES_PEOPLE = [
    "a help-desk bot for the 40k employees of our retail chain",
    "we put an assistant in our banking app so customers can ask about their statements",
    "a tutoring chatbot that students of our online school talk to",
    # made available to users, and user counts, in other words
    "our photo app has 30 million monthly actives and we'd add the model to caption users' pictures",
    "a recipe site with 2M MAUs would plug it in to suggest dishes for our members",
]
SERVES_NO_ONE = [
    "summarise our own meeting notes on a laptop, offline",
    "a nightly batch job that tags support tickets by topic for our analysts' dashboard",
]


@pytest.mark.parametrize("use", SERVES_PEOPLE)
def test_a_duty_toward_end_users_is_a_condition_on_products_people_use(checker, use):
    r = checker.check(use, license="end-users")
    assert r.verdict == "conditional", check_answer(r)
    assert any(f.category == "risk_disclosure" and f.effect == "condition" for f in r.findings)


@pytest.mark.parametrize("use", SERVES_NO_ONE)
def test_no_end_user_duty_where_no_one_is_served(checker, use):
    r = checker.check(use, license="end-users")
    assert not any(f.category == "risk_disclosure" for f in r.findings), check_answer(r)


@pytest.mark.parametrize("use", [
    "a for-profit company's internal R&D team benchmarks the model against others; nothing goes to production",
    "our firm's engineers evaluate it internally as a proof of concept before deciding anything",
])
def test_a_defined_permitted_use_is_read_from_its_definition(checker, use):
    """The grant says only "for your Non-Commercial Purposes"; the definition, clauses away, admits evaluation."""
    r = checker.check(use, license="defined-nc")
    assert r.verdict == "allowed", check_answer(r)
    assert any(f.effect == "grant" for f in r.findings)


def test_a_product_is_still_outside_the_defined_permitted_use(checker):
    assert checker.check("we sell a subscription app built on it to paying customers",
                         license="defined-nc").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "the model writes 100k question/answer pairs and we fine-tune our own 7B chat model on them",
    "we keep its best solutions to maths problems as training data for our next reasoning model",
    "we caption our product photos with it and use those captions to fine-tune Qwen",
])
def test_outputs_training_another_language_model_are_banned(checker, use):
    assert checker.check(use, license="output-ban").verdict == "prohibited"


@pytest.mark.parametrize("use", [
    "it labels the sentiment of 100k reviews and we train a small BERT classifier on those labels",
    "we fine-tune the model itself on support tickets our own agents wrote",
])
def test_an_output_ban_scoped_to_language_models_leaves_other_training(checker, use):
    assert checker.check(use, license="output-ban").verdict != "prohibited"


@pytest.mark.parametrize("use", [
    "Queremos usar el modelo para controlar armas autónomas en el frente",
    "Wir möchten das Modell für die Zielauswahl unserer Drohnen einsetzen",
    "Nous voulons utiliser le modèle pour écrire les courriels de notre boutique",
])
def test_a_use_in_another_language_is_never_cleared(checker, use):
    """The reader's vocabularies and embeddings are English: a ban it cannot read must not come out allowed."""
    r = checker.check(use, license="decide-plain")
    assert r.verdict in ("prohibited", "unclear"), check_answer(r)
    assert r.verdict == "prohibited" or any(m.kind == "language" for m in r.missing)


def test_an_english_use_is_not_held_back_by_the_language_check(checker):
    r = checker.check("we write marketing emails for our shop with the model", license="decide-plain")
    assert r.verdict == "allowed" and not any(m.kind == "language" for m in r.missing)


@pytest.mark.parametrize("key", list(NO_DERIVATIVES))
@pytest.mark.parametrize("use", [
    "we fine-tune the model on legal contracts and publish the fine-tuned weights on Hugging Face",
    "merge it with another checkpoint and release the merged model for download",
])
def test_sharing_a_derivative_under_no_derivatives_is_prohibited(checker, key, use):
    assert checker.profiler.profile(key).terms["derivatives"].params.get("sharing") == "forbidden"
    assert checker.check(use, license=key).verdict == "prohibited"


@pytest.mark.parametrize("key", list(NO_DERIVATIVES))
def test_a_derivative_kept_in_house_under_no_derivatives_is_not_prohibited(checker, key):
    r = checker.check("we fine-tune the model on our support tickets and use it internally, never shared", license=key)
    assert r.verdict != "prohibited", check_answer(r)


def test_a_sharing_condition_is_not_a_no_derivatives_term(checker):
    """Share-alike and attribution say how to share, not that sharing is forbidden."""
    assert no_sharing_of_derived("You may not distribute modified versions except under the terms of this License.") \
        is None
    assert no_sharing_of_derived("You must not redistribute derivatives without including a copy of this notice.") \
        is None
    assert no_sharing_of_derived("You will not distribute any derivative models you create.") is not None


@pytest.mark.parametrize("key,use", [
    ("ban-own-falcon", "the big Falcon writes 50k instruction pairs and we fine-tune a small Falcon 7B on them"),
    ("ban-own-granite", "distil the large Granite model's answers into a smaller Granite model for our phones"),
])
def test_an_output_ban_that_spares_the_own_family_allows_training_it(checker, key, use):
    r = checker.check(use, license=key)
    assert r.verdict == "conditional", check_answer(r)


@pytest.mark.parametrize("key,use", [
    ("ban-own-falcon", "the big Falcon writes 50k instruction pairs and we fine-tune Mistral 7B on them"),
    ("ban-own-granite", "we keep the model's answers as training data for our own chat model"),
])
def test_an_output_ban_that_spares_the_own_family_still_bans_other_models(checker, key, use):
    assert checker.check(use, license=key).verdict == "prohibited"


@pytest.mark.parametrize("key", list(CARVED_OUT_BANS))
def test_a_use_within_a_bans_carved_out_purpose_is_conditional(checker, key):
    r = checker.check("an art museum generates erotic paintings in the style of Klimt for an artistic exhibition",
                      license=key)
    assert r.verdict == "conditional", check_answer(r)


@pytest.mark.parametrize("key", list(CARVED_OUT_BANS))
def test_a_use_outside_a_bans_carved_out_purpose_stays_prohibited(checker, key):
    r = checker.check("an adult chatbot that writes sexually explicit roleplay for paying subscribers", license=key)
    assert r.verdict == "prohibited", check_answer(r)


@pytest.mark.parametrize("key", list(COMPETING_BANS))
@pytest.mark.parametrize("use", [
    "we generate 20k synthetic faces with the model and train a deepfake detector on them",
    "it labels 100k support emails by topic and we train a small BERT classifier on those labels",
])
def test_a_ban_on_competing_models_leaves_a_classifier_trained_on_outputs(checker, key, use):
    r = checker.check(use, license=key)
    assert not any(f.category == "output_training_ban" and f.effect == "prohibited" for f in r.findings), \
        check_answer(r)


@pytest.mark.parametrize("key", list(COMPETING_BANS))
def test_a_ban_on_competing_models_reaches_a_generator_trained_on_outputs(checker, key):
    r = checker.check("distil the model's outputs into our own text-to-image generator", license=key)
    assert r.verdict == "prohibited", check_answer(r)


@pytest.mark.parametrize("key", list(NETWORK_COPYLEFT))
def test_a_modified_program_served_over_a_network_carries_the_copyleft_duty(checker, key):
    r = checker.check("we modified the inference server and our customers use it over the web", license=key)
    assert r.verdict == "conditional" and any(c.kind == "share_alike" for c in r.conditions), check_answer(r)
    r = checker.check("we run an unmodified copy of the server as a web service for our customers", license=key)
    assert not any(c.kind == "share_alike" for c in r.conditions), check_answer(r)


@pytest.mark.parametrize("use", ["a navy intelligence unit summarises intercepted radio traffic with the model",
                                 "we build weapons targeting software with it"])
def test_a_policy_carried_in_the_license_file_is_read_and_its_reference_met(checker, use):
    r = checker.check(use, license="embedded-policy")
    assert r.verdict == "prohibited" and not r.missing, check_answer(r)
    r = checker.check(use, license="pointer-policy")
    assert r.verdict == "unclear" and any(m.kind == "policy" for m in r.missing), check_answer(r)
