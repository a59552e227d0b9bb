"""Where a use puts someone: regions named by country, people or city (corpus/vocab/places.yaml), and languages,
which put no one anywhere (issue 11: a territory named by a city inside an excluded country)."""
from __future__ import annotations

import pytest

from agent.check.facts import read_facts

from .conftest import checker_over


@pytest.mark.parametrize("use, region", [
    ("a two-person studio in Incheon making props for a mobile game", "South Korea"),
    ("our office sits in Daejeon", "South Korea"),
    ("a fintech team out of Manchester", "United Kingdom"),
    ("we are a Shenzhen hardware maker", "China"),
    ("a Seattle start-up", "United States"),
])
def test_a_city_puts_the_use_in_its_country(use, region):
    assert region in read_facts(use).regions


@pytest.mark.parametrize("use", [
    "we translate our game's dialogue into Korean for players in Canada",
    "German subtitles for our documentary, made in Toronto",
    "a chatbot for Chinese-speaking shoppers at our Vancouver store",
    "we localise the manual from French to English",
])
def test_a_language_named_puts_no_one_in_a_region(use):
    assert read_facts(use).regions == []


def test_people_named_by_their_country_are_still_placed():
    assert read_facts("a Korean game developer").regions == ["South Korea"]
    assert "European Union" in read_facts("German users of our app").regions


TERRITORY = ("1. Grant. Subject to this Agreement, you may use, reproduce and modify the Model in the Territory, "
             "including for commercial purposes.\n\n2. Territory. \"Territory\" means the worldwide territory, "
             "excluding the territory of the European Union, the United Kingdom and South Korea. This Agreement does "
             "not apply outside the Territory, and you may not use the Model outside the Territory.\n")


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("places"), {"territory": TERRITORY})


def test_a_city_inside_an_excluded_country_is_outside_the_territory(checker):
    assert checker.check("an indie studio in Busan wants to make game props with it",
                         license="territory").verdict == "prohibited"
    assert checker.check("we translate game dialogue into Korean at our studio in Toronto",
                         license="territory").verdict != "prohibited"
