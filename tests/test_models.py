"""Dates at the precision the sources give."""

from __future__ import annotations

import pytest

from generator.models import PartialDate


def test_precision_and_text() -> None:
    assert [(str(d), d.precision) for d in map(PartialDate.parse, ["2024", "2024-03", "2024-03-22"])] == [
        ("2024", "year"), ("2024-03", "month"), ("2024-03-22", "day")]


@pytest.mark.parametrize("text", ["2024-13", "2024-02-30", "24", "2024/03", "March 2024"])
def test_impossible_or_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_dates_of_mixed_precision_sort_by_their_first_day() -> None:
    dates = [PartialDate(2009, 9, 6), PartialDate(2009, 9), PartialDate(2009), PartialDate(2008, 12, 31)]
    assert [str(d) for d in sorted(dates)] == ["2008-12-31", "2009", "2009-09", "2009-09-06"]
    assert min(dates[:2]) == PartialDate(2009, 9)


def test_figures_stay_within_what_the_exports_can_write() -> None:
    from pydantic import ValidationError

    from generator.exports import dump_json
    from generator.models import MAX_FIGURE, SourcedNumber

    assert dump_json({"value": SourcedNumber(value=MAX_FIGURE, cite=["k"]).value}) == b'{\n  "value": 1000000000\n}\n'
    with pytest.raises(ValidationError, match="less than or equal to 1000000000"):
        SourcedNumber(value=10**20, cite=["k"])


# --- what a source says, no more: places, spans, the source's wording, judgement marked as such ---

from generator.models import Actor, Alias, Attack, Location, PolicyOption  # noqa: E402
from generator.words import date_words, number_words, place_words, span_words  # noqa: E402

ATTACK = {"title": "A campaign", "date": {"value": "2010-01", "cite": ["k"]}, "summary": "s [@k].",
          "reviewed": "2026-11-20"}


def attack(**fields: object) -> Attack:
    return Attack.model_validate(ATTACK | fields)


def test_a_location_needs_no_place_and_may_span_countries() -> None:
    assert attack().location is None  # the sources give no place at all
    location = Location.model_validate({"country": ["Japan", "South Korea"], "cite": ["k"]})
    assert location.place is None and location.country == ["Japan", "South Korea"]
    assert Location.model_validate({"country": "Iran", "cite": ["k"]}).country == ["Iran"]
    assert place_words(Location.model_validate({"region": "Dagestan", "country": "Russia", "cite": ["k"]})) == \
        "Dagestan, Russia"
    assert place_words(location) == "Japan and South Korea"
    with pytest.raises(ValueError, match="names a place, a region or a country"):
        Location.model_validate({"cite": ["k"]})


@pytest.mark.parametrize(("given", "precision", "allowed"), [
    ({"place": "Kerman"}, "city", True),
    ({"place": "a concert hall outside Moscow"}, "place", True),
    ({"region": "Dagestan"}, "region", True),
    ({"region": "Dagestan"}, "city", False),  # a point in a city the sources never name
    ({"country": "Afghanistan"}, "region", False),
    ({"country": "Afghanistan"}, "country", True),
])
def test_a_geocode_claims_no_more_precision_than_its_place(given: dict, precision: str, allowed: bool) -> None:
    data = given | {"cite": ["k"], "geocode": {"latitude": 1, "longitude": 2, "precision": precision}}
    if allowed:
        assert Location.model_validate(data).geocode.precision == precision
    else:
        with pytest.raises(ValueError, match="claims more than the location says"):
            Location.model_validate(data)


def test_an_attack_may_span_from_its_first_to_its_last_sighting() -> None:
    campaign = attack(end_date={"value": "2016-02", "cite": ["k"]})
    assert span_words(campaign.date[0].value, campaign.end_date[0].value) == "January 2010 – February 2016"
    with pytest.raises(ValueError, match="is before the date"):
        attack(end_date={"value": "2009-12", "cite": ["k"]})


@pytest.mark.parametrize(("start", "end", "words"), [
    ("2024-01-03", None, "3 January 2024"),
    ("2024-01-03", "2024-01-05", "3–5 January 2024"),
    ("2024-03", "2024-06", "March–June 2024"),
    ("2015", "2018", "2015–2018"),
    ("2023-12-28", "2024-01-03", "28 December 2023 – 3 January 2024"),
    ("2021", "2021", "2021"),
])
def test_dates_and_spans_read_as_words_at_their_precision(start: str, end: str | None, words: str) -> None:
    assert span_words(PartialDate.parse(start), PartialDate.parse(end) if end else None) == words
    assert date_words(PartialDate.parse("2024")) == "2024"


@pytest.mark.parametrize(("figure", "words"), [
    ({"value": 90, "qualifier": "more-than"}, "more than 90"),
    ({"value": 50, "qualifier": "fewer-than"}, "fewer than 50"),
    ({"value": 20, "qualifier": "at-least"}, "at least 20"),
    ({"value": 1000, "to": 1200}, "1,000–1,200"),
    ({"value": 1000, "to": 1200, "qualifier": "approx"}, "about 1,000–1,200"),
    ({"value": 145}, "145"),
])
def test_figures_print_in_the_sources_own_words(figure: dict, words: str) -> None:
    from generator.models import SourcedNumber

    assert number_words(SourcedNumber.model_validate(figure | {"cite": ["k"]})) == words


def test_a_range_runs_upwards_and_is_exact_or_about() -> None:
    from pydantic import ValidationError

    from generator.models import SourcedNumber

    with pytest.raises(ValidationError, match="must be above"):
        SourcedNumber.model_validate({"value": 1200, "to": 1000, "cite": ["k"]})
    with pytest.raises(ValidationError, match="exact or approx"):
        SourcedNumber.model_validate({"value": 90, "to": 100, "qualifier": "more-than", "cite": ["k"]})


def test_classifications_are_the_editors_unless_cited() -> None:
    bare = attack(attack_types=["bombing"], target_types=[{"value": "military", "cite": ["k"]}])
    assert (bare.attack_types[0].value, bare.attack_types[0].cite) == ("bombing", [])
    assert bare.target_types[0].cite[0].key == "k"
    actor = Actor.model_validate({"name": "X", "category": {"value": "state", "cite": ["k"]},
                                  "summary": "s [@k].", "reviewed": "2026-11-20",
                                  "relations": [{"actor": "y", "type": "ally", "cite": ["k"]}]})
    assert actor.category.value == "state" and actor.relations[0].type.cite == []
    option = PolicyOption.model_validate({"title": "T", "summary": "s [@k].", "mechanism": "m [@k].",
                                          "reviewed": "2026-11-20", "status": "recommended",
                                          "addresses": ["iskp", {"actor": "ttp", "cite": ["k"]}]})
    assert (option.status.value, option.status.cite) == ("recommended", [])
    assert [(a.actor, bool(a.cite)) for a in option.addresses] == [("iskp", False), ("ttp", True)]


def test_an_alias_is_a_name_with_its_source_or_the_editors_reason() -> None:
    aliases = [Alias.model_validate(a) for a in ("IS-K", {"name": "ISKP", "cite": ["k"]},
                                                 {"name": "ISIS-K", "editors": "common in reporting"})]
    assert [(a.name, bool(a.cite), a.editors) for a in aliases] == [
        ("IS-K", False, None), ("ISKP", True, None), ("ISIS-K", False, "common in reporting")]


def test_an_actor_is_active_or_not_only_where_a_source_says_so() -> None:
    from pydantic import ValidationError

    from generator.review import differ

    base = {"name": "X", "category": "militant-group", "summary": "s [@k].", "reviewed": "2026-11-20"}
    assert Actor.model_validate(base).status == []  # no source says: nothing is said
    actor = Actor.model_validate(base | {"status": [{"value": "active", "as_of": "2024-06", "cite": ["a"]},
                                                    {"value": "defunct", "as_of": "2025", "cite": ["b"]}]})
    assert [(s.value, str(s.as_of)) for s in actor.status] == [("active", "2024-06"), ("defunct", "2025")]
    assert differ(actor.status)  # the Review page lists it with the other disagreements
    with pytest.raises(ValidationError, match="cite"):
        Actor.model_validate(base | {"status": {"value": "active"}})
    with pytest.raises(ValidationError, match="'active', 'inactive' or 'defunct'"):
        Actor.model_validate(base | {"status": {"value": "dormant", "cite": ["k"]}})
