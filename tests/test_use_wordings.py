"""Readings that must carry across wordings (issue 11, devx-paraphrase classes): the same concept said with
other verbs, abbreviations, number words, terse seats or glued model names reads the same. Fast: the
lexical frame alone (no embedder, no index). Sentences here are new, not copies of eval cases."""
from __future__ import annotations

import pytest

from agent.check import pipeline
from agent.check.facts import read_facts
from agent.check.frame import read_frame


@pytest.mark.parametrize("use", [
    "we quantised the model and pushed the GGUF files to HF",
    "merged two fine-tunes and put the result up on the Hub",
    "our student weights get posted to hugging face next week",
    "we'll put the checkpoint online for anyone",
    "the model is included in the SDK we provide to partner developers",
    "the weights go into our firmware image for the robot vacuum",
])
def test_passing_the_model_on_in_other_words_is_distribution(use):
    assert read_facts(use).distribution


@pytest.mark.parametrize("use", [
    "we run it on our own cluster and don't push it to HF",
    "we won't put the weights online",
    "it reviews pull requests internally; we don't redistribute it",
])
def test_contracted_negation_cancels_distribution(use):
    assert not read_facts(use).distribution


@pytest.mark.parametrize("use", [
    "we patched the inference server's scheduler",
    "I modded the model's tokenizer",
    "we trained the base model a little further on our tickets",
    "we changed the server code and host it for clients",
])
def test_modifying_in_other_words_is_a_derivative(use):
    assert read_facts(use).derivative


@pytest.mark.parametrize("use, users", [
    ("a game played by about thirty-five million people a month", 35_000_000),
    ("a hundred million monthly users", 100_000_000),
    ("our app's users, roughly 4,500,000 a month", 4_500_000),
    ("a forum with three hundred and forty thousand members", 340_000),
    ("some two hundred fifty million monthly actives by spring", 250_000_000),
    ("one and a half million subscribers", 1_500_000),
])
def test_user_counts_in_words_or_after_the_noun(use, users):
    assert read_facts(use).users == users


def test_revenue_in_words():
    assert read_facts("a studio earning about two hundred thousand dollars a year").revenue_usd == 200_000


@pytest.mark.parametrize("use", [
    "acme corp wants an internal assistant",
    "a restaurant chain's marketing team",
    "members pay us a monthly fee for the tool",
])
def test_commercial_in_other_words(use):
    assert read_facts(use).commercial is True


@pytest.mark.parametrize("use, target", [
    # a family name glued to its version is the family; the producer is another family
    ("have qwen2 72b relabel 10k tickets, then finetune llama3 8b on them", "llama3 8b"),
    # a team named after training is not a training step
    ("our training team uses Mixtral as the judge for training Gemma 2 9B with DPO", "gemma 2 9b"),
    # teacher / student roles: the teacher's outputs train the student
    ("Phi-3 medium as the teacher and a 1B model of ours as the student", "as the student"),
    # replies and footage are outputs too
    ("collect thousands of its replies and train a new chatbot model on them", "new chatbot model"),
])
def test_output_training_pipelines_in_other_words(use, target):
    got = pipeline.trained_model(use.lower())
    assert got is not None and target in got


def test_fine_tuning_the_licensed_model_on_own_data_is_still_not_output_training():
    assert pipeline.trained_model("our training team fine-tunes qwen2.5 on our support docs") is None
    assert not read_facts("fine-tune llama3 8b on our own tickets").outputs_for_training


@pytest.mark.parametrize("use, seat", [
    ("dutch co (HQ rotterdam), fine-tuning the vision model", "European Union"),
    ("US corp, HQ: Seattle, with a small team in Madrid", "United States"),
])
def test_terse_seats(use, seat):
    assert read_frame(use).established[:1] == [seat]


@pytest.mark.parametrize("use", [
    "I live in Vienna and use a chatbot app made by a Canadian startup that runs the vision model",
    "from Madrid I'm using some photo app that runs the vision model under the hood",
    "I use a note app run by an American company; their backend is the vision model",
])
def test_using_someone_elses_product_is_an_end_user(use):
    f = read_frame(use)
    assert f.end_user_of_product and not f.established


def test_the_data_trained_on_is_this_models_outputs():
    assert read_facts("we train a tiny classifier model on this model's answers").outputs_for_training


@pytest.mark.parametrize("use", [
    "our clients query it through the internet",
    "we changed the server and the public can access it over the web",
])
def test_reached_over_a_network_is_a_service(use):
    assert read_facts(use).hosting


@pytest.mark.parametrize("use, flagged", [
    ("the social security fraud unit wants the model to go through case notes", True),
    ("mark the claimants who are likely committing fraud", True),
    ("flag likely cheaters in our online chess app", False),
])
def test_public_fraud_enforcement_and_predicting_a_persons_fraud(use, flagged):
    assert ("law_enforcement_justice" in read_frame(use).categories) is flagged


def test_a_product_used_by_people_each_month_serves_them():
    assert read_facts("a quiz app used by about forty thousand people a month runs the model").hosting
    assert not read_facts("our 200 people summarise notes internally").hosting


@pytest.mark.parametrize("use", [
    "Our software house is headquartered in Wrocław and wants to adapt the model",
    "a Ghent-based agency building client tools",
    "we're a small Polish software house",
    "a German research institute fine-tunes it",
    "registered office: Luxembourg City; we resell the model's answers",
])
def test_seats_in_the_eu_in_the_gazetteers_words(use):
    assert read_frame(use).established == ["European Union"]


@pytest.mark.parametrize("use", [
    "a nice split-screen view for my colleague Sofia",
    "we cork the bottles by hand and write a limerick on each label",
])
def test_city_names_that_are_also_words_put_nobody_in_the_eu(use):
    assert read_frame(use).regions == []


@pytest.mark.parametrize("use", [
    "our form reader sends photos + text to the model",
    "it answers questions about screenshots and text together",
    "text and images in, a summary out",
])
def test_images_with_text_as_input_is_the_multimodal_member(use):
    assert read_frame(use).model_modality == "multimodal"


@pytest.mark.parametrize("use", [
    "the model drafts our app's release notes each sprint",
    "we use it to write a press release about our funding round",
    "it summarises the release schedule for the ops team",
])
def test_release_as_a_software_teams_noun_is_not_passing_the_model_on(use):
    assert not read_facts(use).distribution


def test_releasing_the_model_itself_is_still_distribution():
    assert read_facts("next month we release our merged checkpoint").distribution


@pytest.mark.parametrize("use", [
    "we benchmark it in our lab against hosted APIs to see which is cheaper",
    "is it better than commercial hosted models for our analysts?",
    "staff only, not customer-facing: a drafting helper for the legal team",
])
def test_others_hosted_services_and_nothing_customer_facing_are_not_hosting(use):
    assert not read_facts(use).hosting


def test_hosting_the_model_for_others_is_still_hosting():
    assert read_facts("we will offer it as a hosted API for our customers").hosting

# --- sixth session: a long object before the hub, product development, pricing described -----------------

@pytest.mark.parametrize("use", [
    # the object between the verb and the hub can be long
    "we'll push the 300k instruction pairs our pipeline made to HF",
    "put all eight of the merged adapter checkpoints up on the Hub",
])
def test_a_long_object_before_the_hub_is_still_passed_on(use):
    assert read_facts(use).distribution


@pytest.mark.parametrize("use", [
    "a prototype of a feature our team plans to roll out to the app this spring",
    "demoing a product we will launch in March on top of the model",
    "we're piloting it now and will release it in our app after the summer",
])
def test_a_prototype_made_to_ship_is_product_development(use):
    f = read_frame(use)
    assert f.commercial is True and not f.non_production


def test_evaluating_before_any_deployment_stays_non_production():
    assert read_frame("we benchmark it internally before any deployment decision").non_production


@pytest.mark.parametrize("use", [
    "we charge gyms a monthly fee for the scheduling assistant",
    "the basic plan is free, the pro tier unlocks longer stories",
    "it costs $12/month per seat",
    "schools pay a licence fee for the tutoring bot",
])
def test_pricing_described_is_commercial(use):
    assert read_facts(use).commercial is True


def test_not_charging_is_not_commercial():
    assert read_facts("we don't charge anything for the quiz bot").commercial is not True


def test_the_users_of_our_product_are_served():
    assert read_facts("readers of our news site would get summaries written by the model").hosting


@pytest.mark.parametrize("use", [
    "the assistant would work out how much each driver pays for motor insurance from telematics",
    "the model determines what every policyholder pays for home cover",
])
def test_a_persons_price_described_is_an_insurers_decision(use):
    f = read_frame(use)
    assert f.decision_support and "automated_decisions" in f.categories, (f.actors, f.activities)
