"""The use frame read from wordings written for these tests (not from the eval sets): each failure class
of issue 11 as a class, several wordings each. Phrases and vocabularies only (no embedder), so these
say what the grounded frame reads on its own."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame, with_target

ARMED_FORCES = [
    "the navy's logistics division wants a model to draft maintenance schedules for its ships",
    "our air force squadron would use it to translate training manuals",
    "soldiers in a brigade ask it questions about field regulations",
    "a ministry of defence analyst team summarising intelligence briefings",
    "combat units get route suggestions from the model",
]


@pytest.mark.parametrize("use", ARMED_FORCES)
def test_actor_implies_military_use(use):
    f = read_frame(use)
    assert "military_weapons" in f.categories, (use, f.actors)
    assert "military_weapons" in f.implied


DECIDING_SECTOR = [
    "an insurance carrier lets the model quote home insurance premiums for each applicant",
    "a credit union scores loan applicants with the model",
    "our mortgage lender wants the model to approve or reject mortgage applications",
    "a staffing agency ranks candidates for warehouse jobs",
    "a letting agency screens tenants before a lease is offered",
]


@pytest.mark.parametrize("use", DECIDING_SECTOR)
def test_deciding_sector_is_an_automated_decision(use):
    f = read_frame(use)
    assert f.decision_support
    assert "automated_decisions" in f.categories, (use, f.actors, f.activities)


ORDINARY_IN_A_DECIDING_SECTOR = [
    "an insurer's HR team drafts job adverts with the model",
    "a bank uses the model to summarise internal meeting notes",
    "our police department translates its press releases into Spanish",
]


@pytest.mark.parametrize("use", ORDINARY_IN_A_DECIDING_SECTOR)
def test_sector_alone_decides_nothing(use):
    f = read_frame(use)
    assert "automated_decisions" not in f.categories
    assert "law_enforcement_justice" not in f.implied


@pytest.mark.parametrize("use", [
    "a recipe assistant for home cooks, not for any military purpose",
    "a chatbot for a bakery; no weapons, no military use",
])
def test_explicit_exclusion_removes_a_category(use):
    f = read_frame(use)
    assert "military_weapons" not in f.categories
    assert "military_weapons" in f.negated


@pytest.mark.parametrize("use,established", [
    ("we are a startup headquartered in Germany and fine-tune the vision model", True),
    ("a French company building a product on the multimodal model", True),
    ("our Berlin-based firm deploys it for customers", True),
    ("I live in Spain and use a photo app that runs the model", False),
    ("a tourist in Italy chatting with someone else's assistant", False),
    # a seat said without "based in", and a person who is the one running the model
    ("our agency in Vienna wants to caption product photos with the vision model", True),
    ("our headquarters is in Ireland; we serve the image model to our staff", True),
    ("I'm a freelance developer living in Portugal and fine-tune the multimodal model for a client", True),
    ("we are a US shop and sell to customers in France", False),
])
def test_establishment_vs_residence(use, established):
    f = read_frame(use)
    assert ("European Union" in f.established) is established
    assert "European Union" in f.regions


@pytest.mark.parametrize("use", [
    "I live in Spain and use a photo app that runs the model",
    "as an end user in Portugal I try a third-party chatbot built on it",
])
def test_end_user_of_someone_elses_product(use):
    assert read_frame(use).end_user_of_product


@pytest.mark.parametrize("use,region", [
    # legal forms, "-based", HQ / registered / principal place of business (corpus/vocab/establishment.yaml)
    ("we are a Hamburg-based GmbH and want to adapt the image model for our shop", "European Union"),
    ("a Rotterdam-based B.V. deploys the vision model in its warehouse", "European Union"),
    ("our HQ and every employee are in Austria; we caption parts photos", "European Union"),
    ("our principal place of business is in Milan", "European Union"),
    ("a Texas corporation, HQ in Austin, tunes the model", "United States"),
    ("we're a Swiss AG headquartered in Zurich", "Switzerland"),
])
def test_establishment_cues_from_the_vocabulary(use, region):
    assert region in read_frame(use).established


@pytest.mark.parametrize("use", [
    # someone else's organisation is not the user's seat; a team is not a seat
    "I use a Dutch start-up's note-taking app on my phone",
    "our Lisbon design team tries the vision model",
])
def test_a_seat_is_the_users_own_organisation(use):
    assert "European Union" not in read_frame(use).established


@pytest.mark.parametrize("use", [
    # hyphenated words between the owner and the product
    "I live in Lyon and use a Canadian company's photo-captioning app that runs the vision model",
    "my sister in Ghent uses an agency's AI-powered trip-planning website built on it",
])
def test_end_user_wording_with_hyphens(use):
    f = read_frame(use)
    assert f.end_user_of_product and not f.established


@pytest.mark.parametrize("use", [
    # the product's maker is named as the subject of a relative clause: another party, not the user's seat
    "I'm in Madrid and use a recipe app that a Canadian startup built on the vision model",
    "living in Graz, I try a chatbot which a British firm runs on it",
])
def test_a_product_another_organisation_made_leaves_the_user_an_end_user(use):
    f = read_frame(use)
    assert f.end_user_of_product and not f.established


@pytest.mark.parametrize("use,region", [
    # residence said in the perfect ("I've lived in …"): where a person is domiciled, whatever the nationality
    ("I'm an Italian national but I've lived and worked in Vancouver since 2015; I adapt the model for clients",
     "Canada"),
    ("Spanish passport, but I have been living in Oslo for years and fine-tune the model myself", "Norway"),
])
def test_residence_in_the_perfect_is_where_a_person_is_domiciled(use, region):
    f = read_frame(use)
    assert region in f.established and "European Union" not in f.established


@pytest.mark.parametrize("use,modality", [
    ("captioning product photos with the 11B vision model", "multimodal"),
    ("a multimodal assistant that reads screenshots", "multimodal"),
    ("the text-only 3B model on phones", "text"),
    ("a support bot", None),
])
def test_family_member_modality(use, modality):
    assert read_frame(use).model_modality == modality


def test_model_id_names_the_member():
    f = read_frame("a support bot for our customers")
    assert with_target(f, "meta-llama/Llama-3.2-11B-Vision-Instruct").model_modality == "multimodal"
    assert with_target(f, "meta-llama/Llama-3.2-3B-Instruct").model_modality == "text"


@pytest.mark.parametrize("use,non_production", [
    ("our company's R&D group evaluates the model internally before deciding anything", True),
    ("benchmarking it in-house against two other models", True),
    ("a proof of concept for the data team, not in production", True),
    ("we sell access to it to paying customers", False),
])
def test_non_production_use(use, non_production):
    assert read_frame(use).non_production is non_production


@pytest.mark.parametrize("use,hosting", [
    ("a help bot for our 2M-user app", True),
    ("a customer bot that answers shipping questions", True),
    ("a game with 40k daily active players and an AI narrator", True),
    ("our 300 employees summarise meeting notes on their laptops", False),
])
def test_serving_others_is_hosting(use, hosting):
    assert read_frame(use).hosting is hosting


@pytest.mark.parametrize("use", [
    "step 1: the model drafts 50k support dialogues; step 2: we filter them; step 3: they fine-tune our in-house chatbot",
    "we ask it to solve olympiad problems and keep the traces as SFT data for a smaller model of ours",
    "render 20k product shots with the image model and use them as the training set for our own generator",
    "distil it into a 1B student for phones",
    "improve a different open model by fine-tuning it on your model's completions",
])
def test_outputs_that_train_another_model_read_as_a_pipeline(use):
    assert read_frame(use).outputs_for_training, use


@pytest.mark.parametrize("use", [
    "fine-tune the model on ten years of tickets our support staff wrote",
    "LoRA fine-tune it on our company's documents, nothing else",
    "the model writes product descriptions that we publish on our shop",
    "train our sales staff to write better prompts for the model",
    "we distill nothing; the model only tags emails by topic",
])
def test_training_the_licensed_model_or_people_is_not_output_training(use):
    assert not read_frame(use).outputs_for_training, use


def test_a_category_the_gate_doubts_is_reviewed_not_dropped():
    """The gate ("an ordinary use") and a category's own head disagree: the use is reviewed against that
    category's bans (possible), neither cleared nor banned outright."""
    import numpy as np

    from agent.check.categories import CategoryModel, assign
    from agent.check.facts import read_facts

    head = CategoryModel(["military_weapons"], np.array([[1.0, 0.0]], np.float32), np.zeros(1, np.float32),
                         certain=np.array([0.7], np.float32), possible=np.array([0.6], np.float32),
                         gate_W=np.array([0.0, 1.0], np.float32), gate_b=0.0, gate=0.9)
    frame = read_facts("the general staff would like translations of captured documents")
    embed = lambda texts: np.array([[5.0, 0.0]], np.float32)  # noqa: E731 — head p = 0.993, gate p = 0.5
    assign(frame, frame.text.lower(), embed, head)
    assert frame.possible == ["military_weapons"] and "military_weapons" not in frame.categories
    embed_low = lambda texts: np.array([[0.2, 0.0]], np.float32)  # noqa: E731 — head p = 0.55: nothing
    frame = read_facts("the general staff would like translations of captured documents")
    assign(frame, frame.text.lower(), embed_low, head)
    assert frame.possible == [] and frame.categories == []


@pytest.mark.parametrize("use,regions", [
    ("help us write emails to our customers", []),
    ("let us know if the model can draft contracts", []),
    ("a US company wants a support bot", ["United States"]),
    ("our team in the U.S. evaluates it", ["United States"]),
    ("an EU bank summarises statements", ["European Union"]),
])
def test_the_pronoun_us_is_not_a_place(use, regions):
    assert read_frame(use).regions == regions


@pytest.mark.parametrize("use", [
    "a cybersecurity firm wants the model to explain malware samples to its analysts",
    "our security team writes detection rules for ransomware with it",
    "help the trust-and-safety team classify harassment reports faster",
])
def test_a_defensive_purpose_before_the_harm_does_not_name_it(use):
    frame = read_frame(use)
    assert not set(frame.categories) & {"malware_cyber", "harassment_hate"}, (use, frame.categories)


@pytest.mark.parametrize("use,category", [
    ("to find gaps in our defences we write ransomware for the red team", "malware_cyber"),
    ("explain how to build ransomware that encrypts a hospital's files", "malware_cyber"),
])
def test_a_making_verb_after_the_purpose_still_names_the_harm(use, category):
    assert category in read_frame(use).categories


@pytest.mark.parametrize("use,complies", [
    ("a news agency publishes illustrations clearly labelled as AI-generated", True),
    ("our help-desk bot introduces itself as an AI assistant before answering", True),
    ("post generated art with a visible 'made with AI' badge", True),
    ("publish generated images without labelling them as AI-generated", False),
])
def test_a_use_that_does_what_the_disclosure_term_asks_is_not_read_under_it(use, complies):
    """A head that reads 'AI-generated images' near the disclosure category does not put a use that labels its
    output under it; a phrase of the harm itself (no label) still does."""
    import numpy as np

    from agent.check.categories import CategoryModel, assign
    from agent.check.facts import read_facts

    head = CategoryModel(["ai_disclosure"], np.array([[1.0, 0.0]], np.float32), np.zeros(1, np.float32),
                         certain=np.array([0.7], np.float32), possible=np.array([0.6], np.float32),
                         gate_W=np.array([1.0, 0.0], np.float32), gate_b=0.0, gate=0.5)
    frame = read_facts(use)
    assign(frame, frame.text.lower(), lambda texts: np.array([[5.0, 0.0]], np.float32), head)
    assert ("ai_disclosure" in frame.categories + frame.possible) is not complies


@pytest.mark.parametrize("use,decides", [
    # a person decides, in words other than "makes the final decision" (corpus/vocab/human_decision.yaml)
    ("the claims handler reads the model's notes and decides each claim himself", True),
    ("our caseworkers still take every decision; the model only sorts the paperwork", True),
    ("a credit analyst signs off on each application after reading the model's summary", True),
    ("a hiring manager reviews the ranking and decides who is interviewed", True),
    # near misses: the model decides, or nobody does
    ("we let the model decide which claims get paid", False),
    ("the AI agent decides on refunds with no person involved", False),
    ("staff decide nothing; the model approves the loans", False),
])
def test_a_person_deciding_in_other_words(use, decides):
    assert read_frame(use).human_review is decides


@pytest.mark.parametrize("use", [
    # an actor of a deciding sector only preparing information for a person
    "a mortgage broker has the model summarise clients' payslips before an adviser meets them",
    "our insurance company uses it to translate claim letters from Polish customers",
    "a bank's fraud desk asks it to search old case notes for similar patterns",
])
def test_a_deciding_sector_without_a_deciding_activity_decides_nothing(use):
    f = read_frame(use)
    assert "automated_decisions" not in f.categories and not f.decision_support, (f.activities, f.implied)


@pytest.mark.parametrize("use", [
    # near misses: the same actors with a deciding act
    "a mortgage broker has the model summarise payslips and score each applicant",
    "our insurance company lets the model price premiums from the claim letters it summarises",
])
def test_a_deciding_act_beside_a_summary_still_decides(use):
    assert "automated_decisions" in read_frame(use).categories


@pytest.mark.parametrize("use,users", [
    # user counts in other words (corpus/vocab/audience.yaml)
    ("our podcast app has about 40 million monthly actives", 40_000_000),
    ("a quiz game with 12M MAUs", 12_000_000),
    ("the reader app counts 800k DAUs", 800_000),
])
def test_user_counts_in_other_words(use, users):
    f = read_frame(use)
    assert f.users == users and f.hosting


@pytest.mark.parametrize("use", [
    # the model offered to the users of the user's product
    "we'd add Qwen to our recipe app to suggest dishes",
    "the model would write alt text for our members' uploaded photos",
    "we plan to plug it into the editor so subscribers can ask for rewrites",
])
def test_offering_the_model_to_users_in_other_words(use):
    assert read_frame(use).hosting


@pytest.mark.parametrize("use", [
    # near misses: nobody but the user is served
    "I run it on my laptop to tidy my own notes",
    "our analysts use it to summarise reports; it is not for our users",
])
def test_private_use_serves_no_users(use):
    assert not read_frame(use).hosting


@pytest.mark.parametrize("use", [
    # internal evaluation by a company said without "evaluate" / "non-production"
    "our studio will try Qwen2.5-7B on old tickets to find out whether it beats our current tool",
    "we test Mistral 7B on last year's briefs to see if a paid licence is worth it; nothing goes to clients",
    "our lab plays with the model for a month; nothing will be shipped or shown to customers",
])
def test_evaluation_in_other_words_is_non_production(use):
    assert read_frame(use).non_production


@pytest.mark.parametrize("use", [
    # near misses: production after all
    "nothing is sold yet but we launch it to customers next week",
    "we sell a subscription app built on the model to our customers",
])
def test_production_use_is_not_evaluation(use):
    assert not read_frame(use).non_production


@pytest.mark.parametrize("use", [
    # pipelines written with arrows and training jargon (corpus/vocab/output_training.yaml)
    "Llama-3-70B writes 100k Q&A pairs -> we SFT Mistral-7B on them -> the tuned Mistral answers our customers",
    "Qwen answers 50k prompts → we instruction-tune Gemma on them → the tuned Gemma replaces our old bot",
])
def test_output_training_pipeline_with_arrows_and_jargon(use):
    assert read_frame(use).outputs_for_training, use


@pytest.mark.parametrize("use", [
    # near misses: the jargon without the model's outputs
    "we instruction-tune Mistral-7B on our own support tickets",
    "the tuned Mistral answers our customers -> nothing else is trained",
])
def test_training_jargon_without_outputs_is_not_output_training(use):
    assert not read_frame(use).outputs_for_training, use


@pytest.mark.parametrize("use,modality", [
    # a family member named in the use, whose modality the registry knows (corpus/models.yaml `modality`)
    ("I run Llama 4 Scout on my own laptop to sort my photo archive", "multimodal"),
    ("we'd self-host llama-4-maverick for the help desk", "multimodal"),
])
def test_a_named_member_takes_its_modality_from_the_registry(use, modality):
    from agent.check.frame import with_target
    assert with_target(read_frame(use), None).model_modality == modality

