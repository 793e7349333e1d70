import pytest

from bibliomo.lib import years


def test_absent_year_is_the_default():
    assert years.parse(None, {2024, 2025}, 2025) == 2025
    assert years.parse("  ", {2024, 2025}, 2025) == 2025


def test_known_year_is_read_from_text_or_number():
    assert years.parse("2024", {2024, 2025}, 2025) == 2024
    assert years.parse(2024, {2024, 2025}, 2025) == 2024


@pytest.mark.parametrize("raw", ["0", "9999", 1999, "-1"])
def test_year_outside_the_district_is_refused_in_russian(raw):
    with pytest.raises(years.YearError, match="в системе нет"):
        years.parse(raw, {2024, 2025}, 2025)


def test_refusal_names_the_years_there_are():
    with pytest.raises(years.YearError, match="с 2023 по 2025"):
        years.parse("9999", {2023, 2024, 2025}, 2025)


def test_text_that_is_no_number_is_refused():
    with pytest.raises(years.YearError, match="не год"):
        years.parse("abc", {2024}, 2024)
