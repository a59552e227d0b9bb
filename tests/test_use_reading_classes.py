"""Use-reading classes of the blind dev splits (issue 11, seventh session): each concept said in sentences written
here, not copied from any eval case. Fast: the lexical frame and the output-training pipeline (no index); the
category cases that need the embedding head are marked and use the real MiniLM model."""
from __future__ import annotations

import pytest

from agent.check import pipeline
from agent.check.facts import read_facts
from agent.check.frame import read_frame
from agent.check.rules.decisions import disclosure_cures, states_machine_made
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder


# --- outputs used as judgements (grades, rankings, preference labels) for training another model -------------
@pytest.mark.parametrize("use, target", [
    ("let Mixtral rank pairs of replies from our Gemma assistant and run DPO on the Gemma assistant with those rankings",
     "gemma assistant"),
    ("the model scores each answer of our Phi-3 copilot; the scores become the reward signal for RLHF of the copilot",
     "copilot"),
    ("use it as a judge to pick the better of two completions from our in-house bot, then preference-tune the bot",
     "bot"),
    ("Qwen labels which of our Mistral tutor's explanations are clearer and we train a reward model on those labels",
     "reward model"),
])
def test_judgements_that_train_another_model_are_outputs_for_training(use, target):
    got = pipeline.trained_model(use.lower())
    assert got is not None and target in got
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    # the user's own raters grade, not the model
    "our annotators rank the model's answers so that we can report its quality",
    # the licensed model itself improved with preference data people made
    "we DPO-tune the model itself on preference pairs our staff labelled",
])
def test_judgements_by_people_or_for_the_same_model_are_not(use):
    assert pipeline.trained_model(use.lower()) is None


# --- a model cast as the teacher of another model: its outputs train the learner, whatever verbs say so ------------
@pytest.mark.parametrize("use, learner", [
    ("Our start-up would have Falcon-40B serve as the teacher for a compact Phi-2 helpdesk assistant", "phi-2"),
    ("Pick Qwen2.5-72B to be our teacher for the new Gemma-2B support bot", "gemma-2b"),
    ("A publisher wants Llama 3 to be the teacher whose worked examples its own 3B tutor learns from", "3b tutor"),
    ("deepseek as teacher, tinyllama as student, for an offline dictionary app", "tinyllama"),
])
def test_a_model_cast_as_teacher_of_another_model_trains_it_on_its_outputs(use, learner):
    got = pipeline.trained_model(use.lower())
    assert got is not None and learner in got
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    # a person who teaches, or the model teaching people: no learner model
    "my sister is a teacher and uses Llama 3 to draft reading quizzes for her class",
    "the model acts as a teacher for our students in the evening course; the kids love it",
    "we use Mistral as the teacher in a classroom quiz app",
    "Phi-3 will be the teacher's assistant in our classroom app, answering pupils' questions",
])
def test_teaching_people_or_no_teacher_role_is_not_output_training(use):
    assert pipeline.trained_model(use.lower()) is None


# --- sock puppets: many accounts presented as ordinary people are fake engagement and impersonation -------------
@pytest.mark.parametrize("use, cats", [
    ("the party's social team wants the model to run a network of facebook personas that reply to critics",
     {"spam"}),
    ("we'd set up several hundred 'worried parents' profiles that comment under every article about the school plan",
     {"spam"}),
    ("generate posts for 300 reddit accounts that pose as independent residents praising the new mall",
     {"impersonation"}),
    ("bots passing themselves off as genuine customers that leave praise on our competitor's threads",
     {"impersonation"}),
])
def test_sock_puppet_accounts_are_fake_engagement_or_impersonation(use, cats):
    assert cats <= set(read_frame(use).categories)


@pytest.mark.parametrize("use", [
    "our agency manages 40 client accounts and drafts their monthly newsletters",
    "the model helps moderators spot networks of accounts that pose as ordinary voters",
])
def test_managing_accounts_or_detecting_puppets_is_not_running_them(use):
    cats = set(read_frame(use).categories)
    assert not cats & {"spam", "impersonation"}


# --- a ban with a built-in cure: automated binding decisions barred only without a machine-made statement -------


def test_a_clause_that_names_the_machine_made_statement_as_its_cure():
    assert disclosure_cures("For fully automated decisions that create a binding obligation, unless it is clearly "
                            "indicated to the person that the obligation was machine generated;")
    assert not disclosure_cures("For fully automated decision-making in the administration of justice.")


@pytest.mark.parametrize("use, says", [
    ("each letter informs the tenant that the rent change was generated by an AI system", True),
    ("we notify borrowers plainly that the new terms were machine-generated", True),
    ("customers are told the contract update is AI-generated", True),
    ("we never tell customers the amendment was machine-made", False),
    ("the model issues binding amendments to customers automatically", False),
])
def test_the_use_states_that_the_output_is_machine_made(use, says):
    assert states_machine_made(use) is says


# --- who pays whom for what: money for tiers or access is commercial whatever the actor's legal form ----------
@pytest.mark.parametrize("use", [
    "just a hobby, but my $3 tier members on Ko-fi can download the merged checkpoint",
    "a student side project: paying backers get the LoRA a week before everyone else",
    "I run a small art account and sell early access to my fine-tuned model to followers",
])
def test_money_for_tiers_or_access_is_commercial(use):
    assert read_facts(use).commercial is True


@pytest.mark.parametrize("use", [
    "our reading charity wants to share the adapted model with partner schools",
    "I'll send my fine-tune to two other labs",
    "subscribers on my channel receive the checkpoint files",
])
def test_handing_the_adapted_model_to_others_is_distribution(use):
    assert read_facts(use).distribution


@pytest.mark.parametrize("use", [
    "museum patrons get a chatbot guide during their visit",
    "a hobby blog about my cat, no money involved",
])
def test_no_payment_is_not_commercial(use):
    assert read_facts(use).commercial is not True


# --- who is not what: a category read only from the actor's words -------------------------------------------


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


@pytest.mark.parametrize("use, cat", [
    ("the county police press office wants the model to design a flyer for its charity fun run", "law_enforcement_justice"),
    ("an air force base canteen wants weekly menu ideas from the model", "military_weapons"),
])
def test_a_category_read_only_from_the_actor_is_marked_actor_only(embed, use, cat):
    f = read_frame(use, embed)
    assert cat in f.categories and cat in f.actor_only


@pytest.mark.parametrize("use, cat", [
    ("the police want the model to predict which neighbourhoods will see burglaries next month", "law_enforcement_justice"),
    ("an army unit wants the model to pick strike targets from drone footage", "military_weapons"),
])
def test_the_actor_doing_the_category_is_not_actor_only(embed, use, cat):
    f = read_frame(use, embed)
    assert cat in f.categories and cat not in f.actor_only


def test_civilian_work_is_said_to_be_outside_military_use(embed):
    f = read_frame("we build civilian air-traffic software and want the model to review our pull requests", embed)
    assert "military_weapons" not in f.categories + f.possible


def test_a_protective_activity_next_to_the_harm_is_not_the_harm(embed):
    f = read_frame("a filter in our teen chat app to stop grooming messages before they are delivered", embed)
    assert "minors" not in f.categories + f.possible


# --- the actor implies the category when named by its unit; redlining described; teaching about a past war ------
@pytest.mark.parametrize("use", [
    "our bomber squadron wants the model to summarise weather for tomorrow's sorties",
    "a carrier air wing's planners want help with mission paperwork",
])
def test_military_units_by_their_own_names(use):
    assert "military_weapons" in read_frame(use).categories


def test_turning_people_away_for_where_they_live_is_discrimination():
    use = "the letting agent wants the model to reject tenants living in certain zip codes automatically"
    assert "discrimination" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "a teacher wants the model to quiz pupils on the causes of the Crimean war and its artillery battles",
    "lessons for my class about the history of chemical weapons in the first world war",
])
def test_teaching_about_a_past_war_is_not_military_use(embed, use):
    f = read_frame(use, embed)
    assert "military_weapons" not in f.categories + f.possible
