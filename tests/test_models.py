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
