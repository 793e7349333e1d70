import pytest
from django.urls import reverse

from bibliomo.accounts.models import User
from bibliomo.directory.models import School


def test_dashboard_shows_association_year_school_and_role(world, login):
    html = login(world.librarian).get(reverse("dashboard")).content.decode()
    assert world.district.association_name in html
    assert "учебный год" in html
    assert world.school_a.short_name in html
    assert "Библиотекарь" in html


def test_menu_shows_only_existing_sections(world, login):
    html = login(world.librarian).get(reverse("dashboard")).content.decode()
    assert 'href="/schools/"' in html
    assert 'href="/people/"' in html


def test_school_directory_lists_district_schools_with_librarian(world, login):
    html = login(world.librarian_b).get(reverse("school_list")).content.decode()
    assert "Каменская СОШ № 1" in html
    assert "Луговская СОШ" in html
    assert "Крутихинская СОШ" not in html
    assert world.librarian.short_name in html


def test_school_directory_search_in_cyrillic(world, login):
    html = login(world.head).get(reverse("school_list"), {"q": "каменская"}).content.decode()
    assert "Каменская СОШ № 1" in html
    assert "Луговская СОШ" not in html


def test_people_directory_keeps_contacts_inside_the_district(world, login):
    html = login(world.librarian_b).get(reverse("person_list")).content.decode()
    assert world.librarian.email in html
    outsider_view = login(world.outsider).get(reverse("person_list")).content.decode()
    assert world.librarian.email not in outsider_view
    assert (
        login(world.outsider).get(reverse("person_detail", args=[world.librarian.pk])).status_code
        == 404
    )


def test_school_list_query_count_is_bounded(world, login, django_assert_max_num_queries):
    for i in range(60):
        School.objects.create(
            district=world.district, short_name=f"Школа {i}", full_name=f"Школа {i}"
        )
    client = login(world.head)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("school_list")).status_code == 200


def test_person_list_query_count_is_bounded(world, login, django_assert_max_num_queries):
    for i in range(60):
        User.objects.create(
            username=f"p{i}", district=world.district, school=world.school_b, last_name=f"Ф{i}"
        )
    client = login(world.head)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("person_list")).status_code == 200


def test_head_adds_a_school_and_a_branch(world, login):
    client = login(world.head)
    response = client.post(
        reverse("school_create"),
        {
            "full_name": "МБОУ «Новая СОШ»",
            "short_name": "Новая СОШ",
            "kind": "sosh",
            "lat": "53,8",
            "lon": "81,3",
        },
    )
    school = School.objects.get(short_name="Новая СОШ")
    assert response.status_code == 302
    assert school.district == world.district
    response = client.post(
        reverse("school_create"),
        {"full_name": "Филиал", "short_name": "Новый филиал", "kind": "nosh", "parent": school.pk},
    )
    branch = School.objects.get(short_name="Новый филиал")
    assert branch.parent == school
    assert branch.district == world.district


def test_school_form_rejects_parent_from_other_district(world, login):
    response = login(world.head).post(
        reverse("school_create"),
        {"full_name": "Ф", "short_name": "Ф", "kind": "nosh", "parent": world.school_other.pk},
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not School.objects.filter(short_name="Ф").exists()


def test_head_deactivates_and_reactivates_a_school(world, login):
    client = login(world.head)
    client.post(reverse("school_toggle", args=[world.school_b.pk]))
    world.school_b.refresh_from_db()
    assert not world.school_b.is_active
    listing = client.get(reverse("school_list")).content.decode()
    assert f'href="/schools/{world.school_b.pk}/"' not in listing
    client.post(reverse("school_toggle", args=[world.school_b.pk]))
    world.school_b.refresh_from_db()
    assert world.school_b.is_active


def test_librarian_cannot_manage_directory(world, login):
    client = login(world.librarian)
    assert (
        client.post(
            reverse("school_create"), {"full_name": "X", "short_name": "X", "kind": "sosh"}
        ).status_code
        == 403
    )
    assert client.post(reverse("school_toggle", args=[world.school_b.pk])).status_code == 403
    assert client.post(reverse("person_toggle", args=[world.librarian_b.pk])).status_code == 403
    world.school_b.refresh_from_db()
    world.librarian_b.refresh_from_db()
    assert world.school_b.is_active
    assert world.librarian_b.is_active
    assert not School.objects.filter(short_name="X").exists()


def test_head_cannot_touch_another_districts_school(world, login):
    client = login(world.head)
    assert client.post(reverse("school_toggle", args=[world.school_other.pk])).status_code == 404
    assert client.get(reverse("school_edit", args=[world.school_other.pk])).status_code == 404


def test_head_adds_a_person_and_sends_an_invitation(world, login, mailoutbox):
    client = login(world.head)
    response = client.post(
        reverse("person_create"),
        {
            "last_name": "Белова",
            "first_name": "Мария",
            "patronymic": "Игоревна",
            "position": "библиотекарь",
            "role": "librarian",
            "school": world.school_b.pk,
            "email": "belova@example.org",
            "username": "belova",
            "send_invitation": "on",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="belova")
    assert person.district == world.district
    assert not person.has_usable_password()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["belova@example.org"]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_librarian_must_have_a_school(world, login):
    response = login(world.head).post(
        reverse("person_create"),
        {"last_name": "Б", "first_name": "М", "role": "librarian", "username": "nosch"},
    )
    assert "Для библиотекаря укажите школу" in response.content.decode()
    assert not User.objects.filter(username="nosch").exists()


def test_head_cannot_make_an_admin_or_edit_one(world, login):
    client = login(world.head)
    response = client.post(
        reverse("person_create"),
        {"last_name": "Б", "first_name": "М", "role": "admin", "username": "evil"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="evil").exists()
    assert client.get(reverse("person_edit", args=[world.admin.pk])).status_code == 403


def test_head_deactivates_a_person_who_then_cannot_log_in(world, login, client):
    login(world.head).post(reverse("person_toggle", args=[world.librarian_b.pk]))
    world.librarian_b.refresh_from_db()
    assert not world.librarian_b.is_active
    client.logout()
    response = client.post(
        reverse("login"), {"username": "librarian_b", "password": "correct-horse-battery"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["head", "admin"])
def test_managers_edit_a_person(world, login, role):
    client = login(getattr(world, role))
    response = client.post(
        reverse("person_edit", args=[world.librarian_b.pk]),
        {
            "last_name": "Луговая",
            "first_name": "Тест",
            "role": "librarian",
            "school": world.school_b.pk,
            "username": "librarian_b",
            "phone": "+7 900 000-00-00",
        },
    )
    assert response.status_code == 302
    world.librarian_b.refresh_from_db()
    assert world.librarian_b.last_name == "Луговая"


def test_school_changes_record_who_and_when(world, login):
    login(world.head).post(reverse("school_toggle", args=[world.school_b.pk]))
    record = world.school_b.history.latest()
    assert record.history_user == world.head
    assert record.is_active is False
    assert record.history_date is not None


def _open_xlsx(response):
    import io

    from openpyxl import load_workbook

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_school_export_opens_back_with_the_districts_schools(world, login):
    response = login(world.librarian).get(reverse("school_export"), {"q": "каменская"})
    sheet = _open_xlsx(response)
    assert sheet["A1"].value == "Школы — Каменский район"
    assert "Дата печати" in sheet["A2"].value
    assert [c.value for c in sheet[4]][:3] == ["Школа", "Полное наименование", "Тип"]
    assert [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)] == ["Каменская СОШ № 1"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_people_export_is_logged_and_stays_in_the_district(world, login):
    from bibliomo.accounts.models import PersonalDataExport

    sheet = _open_xlsx(login(world.head).get(reverse("person_export")))
    surnames = {row[0] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert "Кузнецова" in surnames
    assert "Outsider" not in surnames
    log = PersonalDataExport.objects.get()
    assert log.user == world.head
    assert log.rows == len(surnames)
    assert login(None).get(reverse("person_export")).status_code == 302
    assert PersonalDataExport.objects.count() == 1


def test_dashboard_counts_use_russian_plurals(world, login):
    html = login(world.librarian).get(reverse("dashboard")).content.decode()
    assert "2 школы" in html  # two active schools in the district


def test_an_admins_page_offers_the_head_no_change(world, login):
    """The head keeps the directory but not an administrator's account: its page shows
    her neither «Изменить» nor «Отключить», and both actions answer 403."""
    client = login(world.head)
    page = client.get(reverse("person_detail", args=[world.admin.pk])).content.decode()
    assert reverse("person_edit", args=[world.admin.pk]) not in page
    assert reverse("person_toggle", args=[world.admin.pk]) not in page
    assert client.post(reverse("person_toggle", args=[world.admin.pk])).status_code == 403
    world.admin.refresh_from_db()
    assert world.admin.is_active
    own = client.get(reverse("person_detail", args=[world.librarian.pk])).content.decode()
    assert reverse("person_edit", args=[world.librarian.pk]) in own


def test_nobody_is_offered_to_switch_off_their_own_account(world, login):
    client = login(world.head)
    page = client.get(reverse("person_detail", args=[world.head.pk])).content.decode()
    assert reverse("person_edit", args=[world.head.pk]) in page
    assert reverse("person_toggle", args=[world.head.pk]) not in page


def test_the_api_adds_a_school_only_for_the_head(world, login):
    body = {"full_name": "МКОУ «Новая СОШ»", "short_name": "Новая"}
    refused = login(world.librarian).post("/api/schools", body, content_type="application/json")
    assert refused.status_code == 403
    assert "руководитель ММО" in refused.json()["detail"]
    made = login(world.head).post("/api/schools", body, content_type="application/json")
    assert made.status_code == 201
    assert School.objects.get(short_name="Новая").district == world.district
