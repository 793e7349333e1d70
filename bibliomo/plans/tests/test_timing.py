import datetime as dt

import pytest

from bibliomo.plans import timing as tm


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (tm.Timing(tm.YEAR), "В течение года"),
        (tm.Timing(tm.MONTHS, 3, 3), "Март"),
        (tm.Timing(tm.MONTHS, 3), "Март"),
        (tm.Timing(tm.MONTHS, 5, 9), "Май–сентябрь"),
        (tm.Timing(tm.DATE, date=dt.date(2022, 3, 15)), "15.03.2022"),
        (tm.Timing(tm.ON_REQUEST), "По заявкам библиотекарей"),
        (tm.Timing(), ""),
    ],
)
def test_render_and_parse_back(value, text):
    assert tm.render(value) == text
    parsed = tm.parse(text)
    assert tm.render(parsed) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("В течение  \nгода", tm.Timing(tm.YEAR)),
        ("Май- \n\nсентябрь", tm.Timing(tm.MONTHS, 5, 9)),
        ("май — сентябрь", tm.Timing(tm.MONTHS, 5, 9)),
        ("По заявкам \nбиблиотека \nрей", tm.Timing(tm.ON_REQUEST)),
        ("июнь", tm.Timing(tm.MONTHS, 6, 6)),
        ("Июль", tm.Timing(tm.MONTHS, 7, 7)),
    ],
)
def test_parse_variants_of_real_plans(text, expected):
    assert tm.parse(text) == expected


@pytest.mark.parametrize("text", ["Когда-нибудь", "32.01.2022", "Мартобрь", "Май–июнь–июль"])
def test_parse_rejects_unknown_text_in_russian(text):
    with pytest.raises(ValueError, match=r"срок|дата"):
        tm.parse(text)


def test_months_wrap_past_december_and_map_into_the_academic_year():
    may_sept = tm.Timing(tm.MONTHS, 5, 9)
    assert tm.months(may_sept) == [5, 6, 7, 8, 9]
    assert tm.month_dates(may_sept, 2021) == [
        dt.date(2021, 9, 1), dt.date(2022, 5, 1), dt.date(2022, 6, 1),
        dt.date(2022, 7, 1), dt.date(2022, 8, 1),
    ]  # fmt: skip
    assert tm.months(tm.Timing(tm.MONTHS, 11, 2)) == [11, 12, 1, 2]
    assert tm.months(tm.Timing(tm.YEAR)) == []
    assert tm.starts_on(may_sept, 2021) == dt.date(2022, 5, 1)
    assert tm.starts_on(tm.Timing(tm.YEAR), 2021) == dt.date(2021, 9, 1)
    assert tm.starts_on(tm.Timing(), 2021) is None
    outside = tm.Timing(tm.DATE, date=dt.date(2023, 1, 10))
    assert tm.month_dates(outside, 2021) == []
