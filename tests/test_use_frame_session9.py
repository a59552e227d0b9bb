"""Use-reading classes of devw (issue 11, ninth session), each concept said in sentences written here, not copied
from any eval case: a pipeline role that makes a model's outputs another model's training material; output passed
off as a person's (the frame fact `presented_as_human`); a category implied by the actor's or sector's own words;
and near misses that share a word with a ban without doing the harmful act."""
from __future__ import annotations

import pytest

from agent.check import pipeline
from agent.check.facts import read_facts
from agent.check.frame import read_frame


# --- 2. output training said by the licensed model's role in another model's training pipeline ---------------------
@pytest.mark.parametrize("use, learner", [
    ("A group developing their own Phi-3 helpdesk model plans to use DeepSeek-V2 as its synthetic-data generator",
     "phi-3"),
    ("our firm, which sells its own speech recogniser, would plug Whisper into its distillation pipeline", "recogniser"),
    ("The studio maintaining a Mistral-based writing assistant wants Gemma 2 as the annotator in its training loop",
     "mistral"),
    ("a startup running its own small chat model wants to add Falcon-40B to its fine-tuning pipeline as the data source",
     "chat model"),
])
def test_a_role_in_another_models_training_pipeline_is_output_training(use, learner):
    got = pipeline.trained_model(use.lower())
    assert got is not None and learner in got
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    # a pipeline that trains nothing, or a role that is not the model's
    "A team maintaining a Mistral-based assistant wants to bring Gemma 2 into its evaluation pipeline as a judge of tone",
    "our data-pipeline team wants the model to clean up CSV exports before the nightly load",
    "a company selling its own TTS engine wants to compare this model's voices with its own in a listening test",
    # the licensed model itself is what the pipeline trains
    "we'd bring the model into our fine-tuning pipeline and adapt it to our legal documents",
])
def test_pipelines_that_train_no_other_model_are_not_output_training(use):
    assert pipeline.trained_model(use.lower()) is None
    assert not read_facts(use).outputs_for_training


# --- 3. machine output presented as a person's: the frame fact the disclosure, impersonation and honesty bans read -
@pytest.mark.parametrize("use, cats", [
    ("our sales chatbot signs every message as 'Mark, your account manager' and denies being automated if asked",
     {"ai_disclosure", "impersonation"}),
    ("the agent answers tenant emails under a made-up staff name and doesn't tell them it's software",
     {"ai_disclosure", "impersonation"}),
    ("a bot that leaves comments on forums, each one presented as if an ordinary member had written it",
     {"ai_disclosure", "impersonation"}),
    ("have the model write my weekly newsletter columns and put them out as my own", {"ai_disclosure"}),
    ("an agency whose customers publish the drafts under their own names", {"ai_disclosure"}),
    ("the model does my history homework answers and I hand them in as mine",
     {"ai_disclosure", "academic_dishonesty"}),
    ("he'll submit the generated lab report to his professor as his own", {"ai_disclosure", "academic_dishonesty"}),
])
def test_output_presented_as_a_persons_is_read(use, cats):
    f = read_frame(use)
    assert f.presented_as_human
    assert cats <= set(f.categories)


@pytest.mark.parametrize("use", [
    # the machine says what it is
    "our help bot introduces itself as an AI assistant called Robin",
    "I post the model's haiku on my blog, each one labelled as AI-generated",
    # no output is put out as anyone's
    "a ghost story writer uses the model for plot ideas",
    "the model suggests three subject lines and I pick one for my newsletter",
    "we never post the drafts as our own; every post says a model wrote it",
])
def test_labelled_or_ordinary_output_is_not_presented_as_human(use):
    assert not read_frame(use).presented_as_human


# --- 1. a category implied by the actor's or sector's own words --------------------------------------------------
@pytest.mark.parametrize("use", [
    # high-cost short-term credit by its names, deciding through its process's name
    "a same-day loan shop wants the model inside its loan origination system",
    "our car-title lender would like to plug the model into its underwriting engine",
    # an insurer's pricing by its engine, or cover priced per person
    "a pet insurance provider wants the model to run its rating engine",
    "the broker prices travel cover for each client from their booking history and hobbies",
])
def test_a_deciding_process_in_a_deciding_sector_is_an_automated_decision(use):
    assert "automated_decisions" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    # the same process words outside a deciding sector, or as the object of informing work
    "our furniture shop wants the model in its pricing engine for sofas",
    "a bank wants the model to summarise its approval workflow documentation for new staff",
    "a bakery's order system suggests which cakes to bake tomorrow",
])
def test_process_words_outside_a_deciding_sector_or_as_a_topic_are_not(use):
    assert "automated_decisions" not in read_frame(use).categories


def test_a_payday_lender_is_read_by_its_names():
    assert "payday_lender" in read_frame("a two-week cash-advance shop wants to score its applicants").actors
    assert "payday_lender" not in read_frame("my employer pays me on payday; help me plan a budget").actors


@pytest.mark.parametrize("use", [
    "an emotion-analytics startup wants to run the model over call-centre recordings",
    "a lab doing affective computing would feed it webcam footage of study participants",
])
def test_an_emotion_sensing_field_reading_people_is_emotion_recognition(use):
    assert "emotion_recognition" in read_frame(use).categories


def test_an_emotion_sensing_field_alone_is_only_possibly_emotion_recognition():
    f = read_frame("an affective computing group wants help drafting its conference travel budget")
    assert "emotion_recognition" not in f.categories and "emotion_recognition" in f.possible


@pytest.mark.parametrize("use, industry", [
    ("engineers at a uranium enrichment company want the model to draft safety memos", "nuclear technology"),
    ("the IT department of a nuclear utility operator would use it for helpdesk tickets", "nuclear technology"),
])
def test_a_nuclear_business_is_in_the_nuclear_industry(use, industry):
    assert read_facts(use).industries.get(industry) == "direct"


@pytest.mark.parametrize("use", [
    "a physics teacher wants a quiz about how nuclear reactors work",
    "summarise news of a nuclear power station closing for our newsletter",
    # a reactor that is not nuclear
    "a chemical reactor manufacturer wants the model to tidy its user manuals",
])
def test_nuclear_as_a_subject_is_not_the_industry(use):
    assert "nuclear technology" not in read_facts(use).industries


@pytest.mark.parametrize("use", [
    "the app looks at a photo of your mole and says what condition it might be",
    "our chatbot asks about symptoms and tells people which illness they most likely have",
])
def test_telling_a_person_which_condition_they_have_is_medical_advice(use):
    assert "medical_advice" in read_frame(use).categories


def test_teaching_which_diseases_exist_is_not_medical_advice():
    assert "medical_advice" not in read_frame("a biology quiz that tells pupils which diseases are caused by viruses").categories


def test_a_crime_prediction_ban_in_the_passive_is_the_law_enforcement_term():
    from corpus.taxonomy import load_taxonomy
    term = load_taxonomy()["law_enforcement_justice"]
    assert term.matches_clause("Predict the likelihood that a crime will be committed by any person;")
    assert term.matches_clause("Predict the likelihood, of any person, being a criminal or having committed a crime;")
    assert not term.matches_clause("You will not use the model to engage in or promote criminal activity.")


# --- 4. near misses: a ban's category needs the harmful act, not the topic --------------------------------------
def _head_sure_of(cat: str):
    """A category head that reads every use as `cat`, certainly (the resemblance the rule must not trust alone)."""
    import numpy as np
    from agent.check.categories import CategoryModel
    head = CategoryModel([cat], np.zeros((1, 4)), np.array([10.0]), np.array([0.5]), np.array([0.3]),
                         np.zeros(4), 10.0, 0.5)
    return head, (lambda texts: np.ones((len(texts), 4)) / 2.0)


@pytest.mark.parametrize("use", [
    "an illustrator sells framed prints of mountain scenes she made with the model",
    "a hobbyist publishes a weekly webcomic drawn with SDXL",
])
def test_the_heads_resemblance_alone_makes_ai_disclosure_possible_only(use):
    from agent.check import categories
    head, embed = _head_sure_of("ai_disclosure")
    f = read_facts(use)
    categories.assign(f, use.lower(), embed, head)
    assert "ai_disclosure" not in f.categories and "ai_disclosure" in f.possible


def test_the_act_named_keeps_ai_disclosure_certain_beside_the_head():
    from agent.check import categories
    head, embed = _head_sure_of("ai_disclosure")
    use = "we sell the model's pictures as hand-painted originals"
    f = read_facts(use)
    categories.assign(f, use.lower(), embed, head)
    assert "ai_disclosure" in f.categories


def test_selling_ai_pictures_as_hand_painted_is_the_act():
    assert "ai_disclosure" in read_frame("we sell the model's pictures as hand-painted originals").categories


@pytest.fixture(scope="module")
def gemma_checker(indexed):
    from agent.check import Checker
    return Checker(indexed)


def test_a_use_only_resembling_a_ban_inside_its_stated_exception_is_admitted(gemma_checker):
    # the category head only resembles the sexual-content ban (no phrase names explicit content); the ban leaves out
    # content for artistic and educational purposes, which the use states
    r = gemma_checker.check("an art school wants descriptions of the nude life studies in its graduate exhibition",
                            license="gemma-pup-2024-02-21")
    assert "sexual_content" in r.use.possible
    assert r.verdict == "allowed"
    assert any(f.reason.kind == "carve_out" and f.effect == "grant" for f in r.findings)


def test_a_use_named_by_the_bans_words_keeps_the_condition(gemma_checker):
    r = gemma_checker.check("a gallery asks for press-release text about its exhibition of nude photography",
                            license="gemma-pup-2024-02-21")
    assert r.verdict in ("conditional", "allowed")


@pytest.mark.parametrize("use", [
    "we white-label the model and present it as our own AI assistant",
    "our startup will release the fine-tuned model as our own product",
])
def test_the_model_put_out_as_ones_own_product_is_not_output_passed_off(use):
    assert not read_frame(use).presented_as_human
