"""*Revenue named as the sentence's subject*: "Monthly turnover of the group's three clinics is about €4M" — the
revenue noun and its period may sit a clause away from the amount. Fresh sentences (fourteenth session), with near
misses where the amount in that sentence is money going out or not the organisation's revenue."""
import pytest

from agent.check.facts import read_facts


@pytest.mark.parametrize("use, revenue", [
    ("Yearly turnover of the logistics company I work for is roughly 90 million dollars; we want the model "
     "to draft customs letters.", 90_000_000),
    ("monthly revenue across all of our franchise stores was close to $6M last quarter, can we use it for menus",
     72_000_000),
    ("The gross sales figure for our two webshops combined sits at about €15 million per year.", 16_200_000),
    ("our studio's income, counting every contract we have, is maybe 2.5 million USD", 2_500_000),
])
def test_revenue_noun_as_subject_is_read_with_its_period(use, revenue):
    assert read_facts(use).revenue_usd == revenue


@pytest.mark.parametrize("use", [
    # the amount in the sentence is a cost, a price or a fundraising target, not the organisation's revenue
    "Revenue matters to us, so our cloud bill of roughly $40M is what we want the model to help cut.",
    "to grow sales we set aside a marketing budget of about $3M for the launch",
    "Sales of the handbook are slow; printing it costs around $20k.",
])
def test_amount_near_a_revenue_word_that_is_money_going_out_is_not_revenue(use):
    assert read_facts(use).revenue_usd is None


def test_a_sales_team_is_not_revenue():
    assert read_facts("our sales team is building a $2M pipeline of leads with the model's emails").revenue_usd is None
