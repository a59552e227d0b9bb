"""*Credited to a person*: machine output put out as made by people — "passed off as written by our reporters", "as
if a human columnist wrote them", "credited to our illustrators" — is presented as human, the fact the AI-disclosure
ban, impersonation and academic-dishonesty rules read (fourteenth session; fresh sentences, with near misses where
the people only edit, or the credit says the model helped)."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame


@pytest.mark.parametrize("use", [
    "a travel magazine passes the model's destination guides off as written by its correspondents",
    "we'll publish the generated poems as if a human poet had composed them",
    "our label releases the AI-sung tracks credited to session singers who never recorded them",
    "the agency sells the generated product shots as taken by its photographers",
    "a blog that runs the model's posts as if a human columnist wrote them",
])
def test_output_credited_to_people_is_presented_as_human(use):
    assert read_frame(use).presented_as_human


@pytest.mark.parametrize("use", [
    # people edit or sign off, or the credit names the model: nothing passed off
    "our correspondents edit the model's destination drafts before they are published",
    "the guides are credited as written by our correspondents with help from an AI model",
    "a magazine where the articles are written by its reporters and the model only suggests headlines",
    "we publish the generated poems, each marked as made by the model",
])
def test_people_editing_or_a_credit_naming_the_model_is_not_passing_off(use):
    assert not read_frame(use).presented_as_human


@pytest.mark.parametrize("use", [
    # a person's job named with "as" is not a credit
    "I work as a translator and want the model to draft first passes I then rewrite",
    "our staff use the model as a writers' aid for newsletter ideas",
])
def test_a_job_said_with_as_is_not_a_credit(use):
    assert not read_frame(use).presented_as_human
