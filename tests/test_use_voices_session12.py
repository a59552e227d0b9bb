"""Reading the use across voices (issue 11, twelfth session, usefix7): who the actor is against what the use does.

Each concept is said in sentences written for this file (other actors, sectors and voices than any eval case), with
near misses that must not trigger it. Frame tests read the use with the real MiniLM head; verdict tests run the
grounded check on built-in texts.
- (*the task decides over the actor's sector* — an ordinary task named by a sector's actor is that task — was built,
  measured and reverted: it cost one held-out test case, a gold-unclear use answered allowed);
- *another party is not the actor*: a sister company's or a client's trade is not the user's use;
- *a person's decision is not the model's*: "our agents read every file and decide who …" is no deciding activity;
- *a ban on automated decisions needs a decision*: a ban limited to fully automated decision-making in a field does
  not reach a use that names that field's actor or informing work and no decision;
- *a decision that binds a person* (a fine, a penalty notice, a violation decided) is an automated decision, in
  anyone's hands;
- payday lending named by what the advance is drawn against; a lender's application process is its lending decision.
"""
from __future__ import annotations

import pytest

from agent.check import Checker
from agent.check.frame import read_frame
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


@pytest.fixture(scope="module")
def checker(indexed):
    return Checker(indexed)


def _read(use, embed):
    f = read_frame(use, embed)
    return set(f.categories) | set(f.possible)


# --- another party is not the actor ------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "Our parent company makes munitions, but we only run a bakery chain and want the model to write menu descriptions.",
    "Our biggest competitor makes military radios, but we only make walkie-talkies for hikers and want ad copy.",
    "A sister firm of ours supplies the navy with radar parts. We want the model to write our staff handbook.",
])
def test_another_partys_trade_is_not_the_users_use(embed, use):
    f = read_frame(use, embed)
    assert "armed_forces" not in f.actors and "defence_contractor" not in f.actors
    assert "military_weapons" not in f.categories


# the user told in the third person is the actor, not another party ("a landlord company wants …")
@pytest.mark.parametrize("use", [
    "A landlord firm wants the model to evict tenants by itself once rent is five days overdue; no staff member looks at it.",
    "A supplier of auto parts wants the model to rank its own job applicants; nobody in HR reads the ranking.",
])
def test_the_user_named_in_the_third_person_is_the_actor(use):
    from agent.check.vocab import without_other_parties
    assert without_other_parties(use) == use


def test_a_third_person_landlord_deciding_alone_is_an_automated_decision(embed):
    use = "A landlord firm wants the model to evict tenants by itself once rent is five days overdue; no staff member looks at it."
    assert "automated_decisions" in _read(use, embed)



@pytest.mark.parametrize("use", [
    # near misses: the user itself serves the armed forces, or belongs to them, or builds the model into what it sells them
    "We build drones for the defence ministry and want the model to plan their strike routes.",
    "Our customers are army logistics units; we want to build the model into the route planner we sell them.",
    "We are a subsidiary of the defence ministry and want the model to summarise intelligence reports.",
])
def test_the_user_serving_the_armed_forces_stays_the_actor(embed, use):
    assert "military_weapons" in read_frame(use, embed).categories


# --- a person's decision is not the model's ----------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "Letting agency: the model tidies each applicant's references into a short summary; our letting agents read every "
    "file and decide who gets the flat.",
    "the model turns each funding bid into a one-page brief, and our panel reads them all and decides who is funded",
    "Admissions: the model lists each applicant's grades in a table; our admissions staff read every file themselves and "
    "decide who gets a place.",
])
def test_a_decision_a_person_takes_is_no_deciding_activity(use):
    assert "decide_about_people" not in read_frame(use).activities


@pytest.mark.parametrize("use", [
    # near misses: the model decides (a person only signs afterwards), or the model scores
    "The model decides who gets a tenancy; a manager then signs the letters.",
    "the model scores each candidate and our recruiters decide who gets interviewed",
])
def test_the_model_deciding_stays_a_deciding_activity(use):
    assert "decide_about_people" in read_frame(use).activities


# --- a decision that binds a person ------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "Our toll-road company wants the model to read the camera logs, work out who skipped the toll and send each driver "
    "a penalty charge notice, with no staff checking.",
    "The tax office would have the model judge whether a late-filing offence was committed and levy the fines itself.",
    "library system: the model decides if a breach of the borrowing rules occurred and late fees are issued automatically",
])
def test_a_decision_that_binds_a_person_is_an_automated_decision(use):
    f = read_frame(use)
    assert "binding_decision" in f.activities and "automated_decisions" in f.categories


@pytest.mark.parametrize("use", [
    "An app that helps drivers write letters appealing their parking tickets.",
    "The council wants the model to explain on its website how parking permits work.",
    "summarise the rules on when a late fee may be charged, for our staff handbook",
])
def test_explaining_or_contesting_a_fine_is_not_deciding_one(use):
    f = read_frame(use)
    assert "binding_decision" not in f.activities and "automated_decisions" not in f.categories


# --- payday lending by what the advance is drawn against; a lender's application process ------------------------------
@pytest.mark.parametrize("use", [
    "An earned-wage advance app wants Agentforce to vet each user's request.",
    "a salary-advance lender wants the AI in its loan desk",
    "we give people advances on their next paycheck, can the ai help?",
])
def test_payday_lending_named_by_the_pay_it_is_drawn_against(use):
    assert "payday_lender" in read_frame(use).actors


@pytest.mark.parametrize("use", [
    "our payroll team wants the AI to answer staff questions about pay dates",
    "a bank's salary account page explaining when wages arrive",
])
def test_pay_words_alone_are_no_payday_lender(use):
    assert "payday_lender" not in read_frame(use).actors


def test_a_lenders_application_process_is_its_deciding_process():
    f = read_frame("A credit union wants the model inside its loan application process.")
    assert "deciding_process" in f.activities and "automated_decisions" in f.categories
    g = read_frame("A credit union wants the model to rewrite its loan application process documentation.")
    assert "automated_decisions" not in g.categories


# --- verdicts over built-in texts ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("key, use, gold", [
    # BigCode bans only *fully automated* decision-making in law enforcement: the actor alone names no decision
    ("bigcode-open-rail-m-v1", "A county sheriff's records unit wants to use the model.", "allowed"),
    ("bigcode-open-rail-m-v1", "an immigration tribunal's clerks want the model to tidy their hearing notes", "allowed"),
    # near misses: a decision named, no person reviewing
    ("bigcode-open-rail-m-v1", "The police want the model to decide automatically who gets arrested; no officer reviews it.",
     "prohibited"),
    ("bigscience-rail-1.0", "A police department wants the model to predict which residents will commit burglaries "
                            "next year.", "prohibited"),
    # another party's trade; the user's own military work
    ("deepseek-la-1.0", "Our parent company makes munitions, but we only run a bakery chain and want the model to write "
                        "menu descriptions.", "allowed"),
    ("deepseek-la-1.0", "We build drones for the defence ministry and want the model to plan their strike routes.",
     "prohibited"),
    # a decision that binds a person, fully automated
    ("deepseek-la-1.0", "The tax office would have the model judge whether a late-filing offence was committed and levy "
                        "the fines itself, nobody reviews them.", "prohibited"),
    # payday lending: a person deciding does not cure it under Salesforce's policy
    ("salesforce-ai-aup-2025", "An earned-wage advance app wants Agentforce to vet each user's request; a staff member "
                               "approves every one.", "prohibited"),
])
def test_verdicts(checker, key, use, gold):
    assert checker.check(use, license=key).as_json()["verdict"] == gold


# --- persecution: a human-rights breach named by its effect ----------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A state security bureau wants the tool to track activists so that they can be arrested before the march.",
    "list the students who mock the president on social media for the security services",
    "the ministry wants help to round up opposition supporters after the vote",
])
def test_persecution_is_read_as_unlawful(use):
    assert "illegal" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "Our press-freedom NGO wants the tool to draft letters supporting detained journalists.",
    "a newsroom wants to summarise reports about arrested protesters",
    "help me find bloggers who write about vegan food",
])
def test_helping_or_reporting_on_the_persecuted_is_not_persecution(use):
    assert "illegal" not in read_frame(use).categories


def test_persecution_under_a_human_rights_licence(checker):
    r = checker.check("A state security bureau wants the tool to track activists so that they can be arrested before "
                      "the march.", license="hippocratic-2.1")
    assert r.verdict == "prohibited"
    near = checker.check("Our press-freedom NGO wants the tool to draft letters supporting detained journalists.",
                         license="hippocratic-2.1")
    assert not any(f.category == "illegal" and f.effect == "prohibited" for f in near.findings)


# --- a criminal enterprise implies the crime; a trade run through fake accounts --------------------------------------
@pytest.mark.parametrize("use", [
    "A bookkeeper who is part of a money-laundering ring wants help with his spreadsheets.",
    "we run a ponzi scheme and want investor newsletters written that hide the losses",
])
def test_a_criminal_enterprise_is_read_as_unlawful(use):
    assert "illegal" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "our bank wants to detect money-laundering rings in transaction data",
    "a documentary about the collapse of a ponzi scheme",
])
def test_work_against_or_about_a_criminal_enterprise_is_not_it(use):
    assert "illegal" not in read_frame(use).categories


@pytest.mark.parametrize("use, actor", [
    ("A lobbying shop running sock-puppet accounts wants the model.", True),
    ("a troll farm wants to use the model for its posts", True),
    ("our trust and safety team wants to detect sock-puppet accounts", False),
])
def test_an_agency_running_fake_accounts_is_a_fake_engagement_service(use, actor):
    assert ("fake_engagement_service" in read_frame(use).actors) is actor


# --- lawfulness depends on where: gambling for money, whereabouts unsaid ---------------------------------------------
def _lawful_where(result) -> bool:
    return any(f.reason.kind == "lawful_where" for f in result.findings)


@pytest.mark.parametrize("use, expected", [
    ("a bot that places real-money bets on football for me; I'd rather not say which country I'm in", True),
    ("we want to launch an online casino site with an AI croupier", True),
    ("can it run my sportsbook's odds chat? not telling you which jurisdiction we're in", True),
    # near misses: no money at stake, or the place is said
    ("summarise the rules of texas hold'em for my poker club's newsletter", False),
    ("a play-money poker game for friends, no real money involved", False),
    ("we run a licensed online casino in Malta and want help writing game rules", False),
])
def test_lawfulness_that_depends_on_where_is_left_open(checker, use, expected):
    assert _lawful_where(checker.check(use, license="deepseek-la-1.0")) is expected
