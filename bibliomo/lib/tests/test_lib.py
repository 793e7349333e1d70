import datetime as dt
import gc

import pytest

from bibliomo.lib import collector, names, search, translit, years


def test_academic_year_bounds_and_labels():
    assert years.start_year_for(dt.date(2021, 9, 1)) == 2021
    assert years.start_year_for(dt.date(2022, 8, 31)) == 2021
    assert years.start_year_for(dt.date(2022, 1, 15)) == 2021
    assert years.bounds(2021) == (dt.date(2021, 9, 1), dt.date(2022, 8, 31))
    assert years.label(2021) == "2021/2022 учебный год"
    assert years.label(2021, "gen") == "2021/2022 учебного года"
    assert years.label(2021, "pre") == "2021/2022 учебном году"
    with pytest.raises(ValueError):
        years.label(2021, "vocative")


def test_search_normalisation_folds_cyrillic_case_and_yo():
    assert search.normalize("Каменская  СОШ", "«Ёлочка»") == "каменская сош елочка"
    assert search.words("  КАМЕНСКАЯ сош ") == ["каменская", "сош"]


def test_names():
    assert names.full_name("Соколова", "Анна", "Викторовна") == "Соколова Анна Викторовна"
    assert names.short_name("Соколова", "Анна", "Викторовна") == "Соколова А. В."
    assert names.short_name("Smith", "John") == "Smith J."


def test_translit():
    assert translit.latin("Щукина Юлия") == "Shchukina Iuliia"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "1 учебник"), (2, "2 учебника"), (5, "5 учебников"), (11, "11 учебников"),
     (21, "21 учебник"), (22, "22 учебника"), (25, "25 учебников"), (111, "111 учебников")],
)  # fmt: skip
def test_russian_plurals_have_three_forms(n, expected):
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("ru"):
        text = ngettext("%(count)s учебник", "%(count)s учебника", n) % {"count": n}
    assert text == expected


def test_collector_paused_restores_its_state():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one in force
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector.paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()
