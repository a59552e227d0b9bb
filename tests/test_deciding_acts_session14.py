"""*Keeping or ending a person's cover, account or tenancy is a decision about them* (fourteenth session): renewing,
cancelling or closing what a person holds, or deciding whether to pay, admit or evict, taken by an actor of a deciding
sector (insurer, lender, landlord, employer, public service), is an automated decision like approving or pricing.
Fresh sentences; near misses: the same words about the organisation's own contracts or about informing people."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame


@pytest.mark.parametrize("use", [
    "An insurer's model recommends whether to renew each household policy.",
    "our bank lets the model decide which customer accounts to close for inactivity",
    "a letting agency has the AI pick which tenants' leases get renewed next spring",
    "the council wants the model to say whether to pay out each hardship grant",
    "a health insurer lets the system cancel members' cover when premiums lapse",
    "a border agency wants to put the model in charge of its residence-permit desk",
])
def test_keeping_or_ending_what_a_person_holds_is_a_decision(use):
    assert "automated_decisions" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    # the organisation's own contracts, or informing the person, decide nothing about them
    "an insurer's IT team renews its software subscriptions with the model's help",
    "the bank's marketing team drafts renewal reminder emails for card holders",
    "a letting agency's model answers tenants' questions about how lease renewal works",
    "the city council's model is in charge of the events calendar on its website",
    "a student council wants the model to plan the spring dance",
])
def test_the_organisations_own_contracts_or_informing_is_no_decision(use):
    assert "automated_decisions" not in read_frame(use).categories
