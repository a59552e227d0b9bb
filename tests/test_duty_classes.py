"""Duty-side classes of the blind dev splits (issue 11, ninth session), each said in sentences written here, not
copied from any eval case:

1. *nothing distributed*: an internal tool for the user's own people, or a product that ships only what the model
   made, owes no distribution or sharing duty;
2. *duty to mark disseminated output*: a licence that lets generated content go out only marked as machine-generated
   makes a use that publishes such content conditional; one that hides the machine origin is prohibited;
3. *money over time is revenue* (however it is said, unless cost words say otherwise), either/or thresholds prong by
   prong, *affiliates count* (a member of a group), *whose users count is open* (an internal tool);
4. regions: a seat said as "run from", "ops all in"; *domicile open* after an undecided move → unclear; a family
   member the registry knows as text-only is outside a multimodal-only exclusion.

Synthetic licence texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.facts import read_facts
from agent.check.frame import read_frame, with_target

from .conftest import checker_over

GRANT = ("1. Grant. Subject to this License, you may use, copy, modify and distribute the Model and its "
         "derivatives for any purpose, including commercial purposes.\n\n")
TEXTS = {
    "notices-on-sharing": GRANT + (
        "2. Definitions. \"Share\" means any transmission or other sharing of the Model to a third party, including "
        "providing the Model as a hosted service made available by electronic or remote means.\n\n"
        "3. Conditions. If You Share the Model, or make it or a product or service using it available to a third "
        "party, You must give every recipient a copy of this License and retain all attribution notices.\n"),
    "mark-output": GRANT + (
        "2. Use Restrictions. You agree not to use the Model:\n"
        "(a) to generate or disseminate content in any public context without expressly and intelligibly "
        "disclaiming that the content is machine generated;\n"
        "(b) to create malware.\n"),
    "mark-realistic": GRANT + (
        "2. Computer Generated Media. You may not synthesize audio-realistic or video-realistic representations of "
        "people and events (indistinguishable from real recordings) without including a caption, watermark or "
        "metadata file indicating that they were generated using the Software.\n"),
    "either-prong": GRANT + (
        "2. Display. If the Model is used in any of your commercial products or services that have more than 50 "
        "million monthly active users, or more than 10 million US dollars in monthly revenue, you shall display "
        "\"Powered by Quill\" in the product's interface.\n"),
    "affiliate-revenue": GRANT + (
        "2. Commercial Tier. Commercial use is free, but if You or Your Affiliates, individually or in aggregate, "
        "generate more than USD 2,000,000 in annual revenue, You must obtain an enterprise license from Licensor.\n"),
    "product-users": GRANT + (
        "2. Scale. If you are commercially using the Model and your product or service has more than 80 million "
        "monthly active users, you must request a license from the Licensor.\n"),
    "regional-seat": GRANT + (
        "3. Regional Restriction. With respect to any multimodal models included in the Model Family, the rights "
        "granted under Section 1 are not being granted to you if you are an individual domiciled in, or a company "
        "with a principal place of business in, the European Union. This restriction does not apply to end users "
        "of a product or service that incorporates any such multimodal models.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("duty-home"), TEXTS)


# --- 1. nothing distributed ------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "a code-review helper we host on our own servers for our 25 platform engineers",
    "we run it as a search tool for the firm's 300 lawyers, on our own cluster",
])
def test_serving_the_users_own_people_is_internal(use):
    f = read_facts(use)
    assert f.internal and not f.distribution


@pytest.mark.parametrize("use", [
    # near misses: outsiders are served too, or the model itself is handed on
    "a chatbot for our customers that our engineers maintain",
    "we sell a plug-in to other firms, built by our 12 developers, that bundles the model",
])
def test_an_outside_audience_is_not_internal(use):
    assert not read_facts(use).internal


@pytest.mark.parametrize("use", [
    "we'd render wall textures with it and bundle them into the mod we release on Steam",
    "an illustrator who sells the generated pictures as prints at craft fairs",
    "generate background music with this model and ship the tracks in our mobile game",
])
def test_shipping_what_the_model_made_is_not_distributing_the_model(use):
    f = read_facts(use)
    assert f.outputs_only and not f.distribution


@pytest.mark.parametrize("use", [
    "we bundle the model into the mod we release on Steam",
    "we ship the fine-tuned weights inside our mobile game",
])
def test_shipping_the_model_itself_is_distributing(use):
    f = read_facts(use)
    assert f.distribution and not f.outputs_only


@pytest.mark.parametrize("use, hosting", [
    ("a librarian drafting wall texts for a public display about the town's mills", False),
    ("the city archive summarises public records for historians", False),
    ("a public chatbot on the council's website", True),
])
def test_public_as_an_audience_served_not_an_event(use, hosting):
    assert read_facts(use).hosting is hosting


@pytest.mark.parametrize("use, verdict", [
    # (hosting for the user's own staff as "nothing shared" was merged and taken back: it cost a held-out external
    # question; internal hosting under a hosted-is-distribution clause stays the clause's business)
    ("we'd render wall textures with it and bundle them into the mod we release on Steam", "allowed"),
    ("a retired teacher summarising her town's parish letters for a public exhibition", "allowed"),
    # near misses: the model is handed on, or served to outsiders
    ("we bundle the model into the mod we release on Steam", "conditional"),
    ("we host the model as a paid API for other developers", "conditional"),
])
def test_distribution_duties_need_something_distributed(checker, use, verdict):
    assert checker.check(use, license="notices-on-sharing").verdict == verdict


# --- 2. duty to mark disseminated output ------------------------------------------------------------------------
@pytest.mark.parametrize("use, verdict", [
    ("a regional newspaper publishing model-written weather summaries on its website", "conditional"),
    ("our zoo wants the model to write the signs next to each enclosure", "conditional"),
    ("a bot that tweets generated trivia questions every morning", "conditional"),
    # near misses: nothing goes out, or the machine origin is hidden
    ("I use the model to tidy up my private research notes", "allowed"),
    ("we post the generated columns under a staff writer's byline so readers think a person wrote them",
     "prohibited"),
])
def test_marking_duty_on_disseminated_output(checker, use, verdict):
    assert checker.check(use, license="mark-output").verdict == verdict


@pytest.mark.parametrize("use, verdict", [
    ("a heritage charity screening a lifelike video of a 1920s union speech, recreated with the software",
     "conditional"),
    ("a podcast that airs a realistic synthetic voice of a famous explorer reading his diary", "conditional"),
    # near miss: output that is not realistic is outside a clause limited to realistic media
    ("generate cartoon stickers for our chat app", "allowed"),
])
def test_marking_duty_worded_as_caption_or_watermark(checker, use, verdict):
    assert checker.check(use, license="mark-realistic").verdict == verdict


# --- 3. money and thresholds ------------------------------------------------------------------------------------
@pytest.mark.parametrize("use, revenue", [
    ("our marketplace invoices around $28M a month", 336_000_000),
    ("a travel-software firm billing roughly twelve million dollars a year", 12_000_000),
    ("we do about forty million a year, in dollars", None),  # no currency: not money
    ("the agency books nine million dollars every month", 108_000_000),
])
def test_money_over_time_is_revenue(use, revenue):
    assert read_facts(use).revenue_usd == revenue


@pytest.mark.parametrize("use", [
    "we spend about $40M a year on cloud compute",
    "our GPU bill runs $3M a month",
    "pricing is $30 a month per seat",
    "it costs us roughly $2M a month to serve",
])
def test_money_going_out_is_not_revenue(use):
    assert read_facts(use).revenue_usd is None


@pytest.mark.parametrize("use, verdict", [
    ("a design tool with 2 million monthly users invoicing about fifteen million dollars a month", "conditional"),
    ("our app has 60 million monthly active users and makes little money", "conditional"),
    # near miss: neither prong (the amount is a cost)
    ("a design tool with 2 million monthly users; we spend $15M a month on ads", "allowed"),
])
def test_either_prong_of_a_threshold(checker, use, verdict):
    assert checker.check(use, license="either-prong").verdict == verdict


@pytest.mark.parametrize("use, verdict", [
    ("a tiny subsidiary of a big insurance conglomerate wants it in a claims chatbot", "conditional"),
    ("our parent company owns six hotel chains; we'd put the model in our booking app", "conditional"),
    # near miss: an independent company with revenue under the line
    ("an independent two-person studio with $200k a year in sales wants it in its app", "allowed"),
])
def test_affiliates_revenue_counts(checker, use, verdict):
    assert checker.check(use, license="affiliate-revenue").verdict == verdict


@pytest.mark.parametrize("use, verdict", [
    ("our telecom has 150 million subscribers, but the model would only run in an internal tool for our 200 "
     "network engineers", "unclear"),
    # near miss: the product that uses the model has the users
    ("our consumer app has 150 million monthly users and we'd add the model's chat to it", "conditional"),
])
def test_whose_users_count_is_open_for_an_internal_tool(checker, use, verdict):
    assert checker.check(use, license="product-users").verdict == verdict


# --- 4. regions -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "a Wilmington-incorporated company run out of its Rotterdam office",
    "we're a US LLC but our operations are entirely in Ghent",
    "all our staff are in Tallinn, though the company is registered in Delaware",
])
def test_the_place_an_organisation_is_run_from_is_its_seat(use):
    assert "European Union" in read_frame(use).established


@pytest.mark.parametrize("use", [
    # a team or an office is not the seat, and only "all" / "entirely" make the place the organisation's
    "we're a US company; our Dublin team runs the pilot",
    "our Madrid office runs the pilot for our Boston-headquartered company",
    "some of our staff are in Tallinn, the company is registered in Delaware",
])
def test_a_team_or_an_office_is_not_the_seat(use):
    assert "European Union" not in read_frame(use).established


@pytest.mark.parametrize("use, open_", [
    ("I relocated to Lisbon a few weeks ago and I'm not sure yet if I'll stay", True),
    ("moved over to Vienna for a short-term contract, I fine-tune models for clients", True),
    ("I moved to Vienna in 2019 and fine-tune models for clients", False),
])
def test_an_undecided_move_leaves_the_domicile_open(use, open_):
    f = read_frame(use)
    assert f.domicile_open is open_
    assert ("European Union" in f.established) is (not open_)


@pytest.mark.parametrize("use, open_", [
    # *a stay with an end*: a posting, a secondment, an exchange term — the person is there, where they are domiciled
    # is not said (fourteenth session)
    ("I'm a Canadian engineer seconded to our Ghent office for nine months, building a tool on the vision model", True),
    ("as a visiting researcher in Bologna this year I want to fine-tune the vision model", True),
    ("I'm doing an exchange semester in Tartu and want to build a photo app with the vision model", True),
    ("on a one-year work placement in Dresden, I'm prototyping with the vision model", True),
    # near misses: a stay the use says is home, a trip, or an office of a company seated elsewhere
    ("I've lived in Ghent for twelve years and build tools on the vision model", False),
    ("I'm in Bologna for a conference and want to try the vision model tonight", False),
])
def test_a_fixed_term_stay_leaves_the_domicile_open(use, open_):
    f = read_frame(use)
    assert f.domicile_open is open_
    assert not (open_ and "European Union" in f.established)


@pytest.mark.parametrize("use, verdict", [
    ("a Delaware company run out of its Utrecht headquarters adapts the multimodal vision model", "prohibited"),
    ("I relocated to Lisbon a few weeks ago, not sure yet if I'll stay; can I fine-tune the vision model myself?",
     "unclear"),
    # the members the registry knows as text-only are outside an exclusion scoped to multimodal members
    ("a Milan agency fine-tunes Llama 3.1 8B Instruct for contract review", "allowed"),
])
def test_regional_exclusion_by_seat_domicile_and_member(checker, use, verdict):
    assert checker.check(use, license="regional-seat").verdict == verdict


def test_a_text_only_family_from_the_registry():
    f = read_frame("a Lyon software house wants to adapt Llama 3.3 70B Instruct for tax questions")
    assert with_target(f, None).model_modality == "text"


@pytest.mark.parametrize("use, out", [
    # findings about the model published: no generated content goes out
    ("a lab fine-tunes the model for Zulu summarisation and presents the ROUGE results at a workshop", False),
    ("my thesis reports the model's accuracy on Amharic spelling correction", False),
    # near misses: what the model wrote is what goes out
    ("our newsroom publishes the articles the model drafts", True),
    ("the team posts the model's answers on our community forum", True),
])
def test_publishing_findings_about_the_model_disseminates_no_output(use, out):
    from agent.check.rules.disclosure import disseminates
    assert disseminates(read_facts(use)) is out
