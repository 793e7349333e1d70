import pytest
from django.core.exceptions import ValidationError

from bibliomo.accounts.models import User
from bibliomo.directory import demo
from bibliomo.directory.models import AcademicYear, District, School


def test_branch_must_belong_to_same_district_and_not_be_a_branch(world):
    branch = School.objects.create(
        district=world.district, parent=world.school_a, short_name="Филиал", full_name="Филиал"
    )
    assert branch in world.school_a.branches.all()
    nested = School(district=world.district, parent=branch, short_name="Х", full_name="Х")
    with pytest.raises(ValidationError, match="Филиал не может быть головной школой"):
        nested.full_clean()
    foreign = School(
        district=world.other_district, parent=world.school_a, short_name="Y", full_name="Y"
    )
    with pytest.raises(ValidationError, match="том же районе"):
        foreign.full_clean()


def test_inn_must_have_ten_digits(world):
    world.school_a.inn = "12345"
    with pytest.raises(ValidationError, match="10 цифр"):
        world.school_a.full_clean()
    world.school_a.inn = "2207001234"
    world.school_a.full_clean()


def test_cyrillic_search_is_case_insensitive(world):
    found = list(School.objects.search("каменская"))
    assert found == [world.school_a]
    assert list(School.objects.search("КАМЕНСКАЯ сош")) == [world.school_a]
    assert list(School.objects.search("луговская")) == [world.school_b]
    assert list(User.objects.search("кузнецова")) == [world.librarian]


def test_academic_year_helpers(db):
    year = AcademicYear.open(2021)
    assert str(year) == "2021/2022 учебный год"
    assert year.label("gen") == "2021/2022 учебного года"
    assert year.start_date.isoformat() == "2021-09-01"
    assert year.end_date.isoformat() == "2022-08-31"


def test_demo_is_idempotent_and_has_the_logins(db):
    demo.load()
    counts = (District.objects.count(), School.objects.count(), User.objects.count())
    demo.load()
    assert (District.objects.count(), School.objects.count(), User.objects.count()) == counts
    assert School.objects.count() == len(demo.SCHOOLS)
    for username in demo.LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password("demo"), username
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="head").role == "head"
    assert User.objects.get(username="department").role == "department"
    librarian_schools = {User.objects.get(username=f"librarian{i}").school_id for i in (1, 2, 3)}
    assert len(librarian_schools) == 3
    assert None not in librarian_schools
    # Only the listed logins can log in.
    can_login = [u.username for u in User.objects.all() if u.has_usable_password()]
    assert sorted(can_login) == sorted(demo.LOGINS)
    # Schools lie within about 60 km of Камень-на-Оби.
    from math import asin, cos, radians, sin, sqrt

    def km(lat1, lon1, lat2, lon2):
        p = (
            sin(radians(lat2 - lat1) / 2) ** 2
            + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371 * asin(sqrt(p))

    assert all(km(53.79, 81.35, s.lat, s.lon) <= 60 for s in School.objects.all())
    assert School.objects.filter(parent__isnull=False).count() == 2
