"""Every page for every role: who gets it (200) and who does not (302 to login, 403, 404).

A new page joins by adding a row to PAGES: (url name, a function of the world giving the
URL's arguments, and the expected status per role). Roles: anon, admin, head,
department, librarian (school A), librarian_b (school B), outsider (another district).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from bibliomo.bulletin.tests.factories import bulletin_objects

ROLES = ["anon", "admin", "head", "department", "librarian", "librarian_b", "outsider"]


def everyone_in_district(anon: int = 302, outsider: int = 200) -> dict[str, int]:
    codes = dict.fromkeys(ROLES, 200)
    codes.update(anon=anon, outsider=outsider)
    return codes


def managers_only(outsider: int = 403) -> dict[str, int]:
    return {
        "anon": 302,
        "admin": 200,
        "head": 200,
        "department": 403,
        "librarian": 403,
        "librarian_b": 403,
        "outsider": outsider,
    }


def _year_2021() -> int:
    from bibliomo.directory.models import AcademicYear

    return AcademicYear.open(2021).start_year


def none(w) -> list[Any]:
    return []


def _plan(w) -> Any:
    from bibliomo.plans.tests.factories import make_item, make_plan, make_section

    plan = make_plan(w.district)
    make_item(make_section(plan))
    return plan


def plan_args(w) -> list[Any]:
    return [_plan(w).pk]


def plan_section_args(w) -> list[Any]:
    return [_plan(w).sections.get().pk]


def plan_item_args(w) -> list[Any]:
    return [_plan(w).sections.get().items.get().pk]


def school_private(edit: bool = False) -> dict[str, int]:
    """A school's fund data (school A): its librarian and the head (whose school it is in
    the test world) edit; the department reads only; another school's librarian 403."""
    return {
        "anon": 302,
        "admin": 200,
        "head": 200,
        "department": 403 if edit else 200,
        "librarian": 200,
        "librarian_b": 403,
        "outsider": 404,
    }


def _fund_document(w, kind: str = "writeoff") -> int:
    import datetime as dt

    from bibliomo.fund.models import Document

    return Document.objects.create(
        school=w.school_a, kind=kind, number="1", date=dt.date(2025, 9, 1), reason="worn"
    ).pk


def _entry(w) -> int:
    from bibliomo.textbooks.models import FederalListEntry

    return FederalListEntry.objects.create(number="1.1.1.1.1.1", title="Азбука", grades="1").pk


def _exchange_entry():
    from bibliomo.textbooks.models import FederalListEntry

    entry, _ = FederalListEntry.objects.get_or_create(
        number="1.1.2.4.1.1.1", defaults={"title": "Математика", "grades": "5"}
    )
    return entry


def exchange_plan(w) -> list[Any]:
    from bibliomo.directory.models import AcademicYear
    from bibliomo.exchange.models import ExchangePlan

    return [ExchangePlan.objects.create(district=w.district, year=AcademicYear.open(2022)).pk]


def exchange_transfer(w) -> list[Any]:
    from bibliomo.exchange.models import Transfer

    t = Transfer.objects.create(
        district=w.district, giver=w.school_a, taker=w.school_b, origin="request", number="1"
    )
    t.lines.create(entry=_exchange_entry(), copies=1)
    return [t.pk]


def exchange_roles(**codes: int) -> dict[str, int]:
    return {"anon": 302, **codes}


def _event(w) -> list[Any]:
    import datetime as dt

    from django.utils import timezone

    from bibliomo.events.models import Event

    event, _ = Event.objects.get_or_create(
        district=w.district,
        title="Заседание ММО",
        defaults={"starts_at": timezone.now() + dt.timedelta(days=3)},
    )
    return [event.pk]


def _minutes(published: bool) -> Callable[[Any], list[Any]]:
    def args(w) -> list[Any]:
        from bibliomo.events.models import Minutes

        pk = _event(w)[0]
        Minutes.objects.get_or_create(
            event_id=pk, defaults={"number": "1", "date": "2022-03-24", "is_published": published}
        )
        return [pk]

    return args


def _consultation(w) -> list[Any]:
    from bibliomo.consultations.models import Consultation

    c, _ = Consultation.objects.get_or_create(
        district=w.district,
        author=w.librarian,
        defaults={"category": "writeoff", "subject": "Списание", "question": "Как?"},
    )
    return [c.pk]


def head_only(outsider: int = 403) -> dict[str, int]:
    return {**managers_only(outsider), "admin": 200}


def overseers(outsider: int = 403) -> dict[str, int]:
    return {**managers_only(outsider), "department": 200}


def bulletin(name: str) -> Callable[[Any], list[Any]]:
    return lambda w: [getattr(bulletin_objects(w), name).pk]


def _campaign(w):
    import datetime as dt

    from bibliomo.orders.models import OrderCampaign
    from bibliomo.orders.services import open_campaign

    found = OrderCampaign.objects.filter(district=w.district).first()
    return found or open_campaign(w.district, 2030, dt.date(2099, 3, 1), user=w.head)


def _order_a(w):
    return _campaign(w).orders.get(school=w.school_a)


def overseers_only(outsider: int = 404) -> dict[str, int]:
    return {**managers_only(outsider=outsider), "department": 200}


def school_a_data(edit: bool = False, ok: int = 200) -> dict[str, int]:
    codes = {"anon": 302, "admin": ok, "head": ok, "department": 200, "librarian": ok,
             "librarian_b": 403, "outsider": 404}  # fmt: skip
    if edit:
        codes["department"] = 403
    return codes


def _classroom(w) -> int:
    from bibliomo.circulation.models import Classroom
    from bibliomo.directory.models import AcademicYear

    AcademicYear.open(2025)
    c, _ = Classroom.objects.get_or_create(school=w.school_a, year_id=2025, grade=5, letter="А")
    c.pupils.get_or_create(school=w.school_a, last_name="Тестов", first_name="Пётр")
    return c.pk


# Pupils' names (minors, 152-ФЗ): the school's own librarian only — the department and
# another school's librarian never (the head here is school A's librarian).
pupils_private = school_private(edit=True)


def _stocktake_campaign(w):
    import datetime as dt

    from bibliomo.stocktake.models import Campaign
    from bibliomo.stocktake.services import open_campaign

    found = Campaign.objects.filter(district=w.district).first()
    return found or open_campaign(
        w.district, name="Инвентаризация", order_number="1", order_date=dt.date(2026, 1, 10),
        deadline=dt.date(2099, 3, 1), user=w.head, notify=False,
    )  # fmt: skip


def _stocktake_a(w, submitted: bool = False) -> list[Any]:
    st = _stocktake_campaign(w).schools.get(school=w.school_a)
    if submitted:
        st.status = "submitted"
        st.save()
    return [st.pk]


def stocktake_head(outsider: int = 404) -> dict[str, int]:
    return {"anon": 302, "admin": 200, "head": 200, "department": 403, "librarian": 403,
            "librarian_b": 403, "outsider": outsider}  # fmt: skip


PAGES: list[tuple[str, Callable[[Any], list[Any]], dict[str, int]]] = [
    ("dashboard", none, everyone_in_district()),
    ("school_list", none, everyone_in_district()),
    ("school_detail", lambda w: [w.school_a.pk], everyone_in_district(outsider=404)),
    ("school_create", none, managers_only()),
    ("school_edit", lambda w: [w.school_a.pk], managers_only(outsider=404)),
    ("person_list", none, everyone_in_district()),
    ("person_detail", lambda w: [w.librarian.pk], everyone_in_district(outsider=404)),
    ("person_create", none, managers_only()),
    ("person_edit", lambda w: [w.librarian.pk], managers_only(outsider=404)),
    ("profile", none, everyone_in_district()),
    ("password_change", none, everyone_in_district()),
    ("login", none, {**dict.fromkeys(ROLES, 302), "anon": 200}),
    ("password_reset", none, dict.fromkeys(ROLES, 200)),
    ("plan_list", none, everyone_in_district()),
    ("plan_detail", plan_args, everyone_in_district(outsider=404)),
    ("plan_calendar", plan_args, everyone_in_district(outsider=404)),
    ("plan_item", plan_item_args, everyone_in_district(outsider=404)),
    ("plan_export", lambda w: [*plan_args(w), "docx"], everyone_in_district(outsider=404)),
    ("plan_export", lambda w: [*plan_args(w), "xlsx"], everyone_in_district(outsider=404)),
    ("plan_create", none, managers_only()),
    ("plan_import", none, managers_only()),
    ("plan_edit", plan_args, managers_only(outsider=404)),
    ("section_create", plan_args, managers_only(outsider=404)),
    ("section_edit", plan_section_args, managers_only(outsider=404)),
    ("item_create", plan_section_args, managers_only(outsider=404)),
    ("item_edit", plan_item_args, managers_only(outsider=404)),
    ("textbook_list", none, everyone_in_district()),
    ("textbook_import", none, {**dict.fromkeys(ROLES, 403), "anon": 302, "admin": 200}),
    ("textbook_suggest", none, everyone_in_district()),
    ("fund_home", none, dict.fromkeys(ROLES, 302)),
    ("circulation_home", none, dict.fromkeys(ROLES, 302)),
    ("circulation_district", none, everyone_in_district()),
    ("circulation_school", lambda w: [w.school_a.pk], school_private()),
    ("circulation_class", lambda w: [_classroom(w)], pupils_private),
    ("circulation_vedomost", lambda w: [_classroom(w), "docx"], pupils_private),
    ("circulation_vedomost", lambda w: [_classroom(w), "xlsx"], pupils_private),
    ("circulation_debtors", lambda w: [w.school_a.pk], pupils_private),
    ("circulation_lost", lambda w: [w.school_a.pk], pupils_private),
    ("circulation_staff", lambda w: [w.school_a.pk], pupils_private),
    ("circulation_import", lambda w: [w.school_a.pk], pupils_private),
    ("circulation_promote", lambda w: [w.school_a.pk], pupils_private),
    ("fund_district_provision", none, everyone_in_district()),
    ("fund_school", lambda w: [w.school_a.pk], school_private()),
    ("fund_curriculum", lambda w: [w.school_a.pk], school_private()),
    ("fund_enrolment", lambda w: [w.school_a.pk], school_private()),
    ("fund_documents", lambda w: [w.school_a.pk], school_private()),
    ("fund_document_create", lambda w: [w.school_a.pk, "receipt"], school_private(edit=True)),
    ("fund_stock_import", lambda w: [w.school_a.pk], school_private(edit=True)),
    ("fund_ksu", lambda w: [w.school_a.pk], school_private()),
    ("fund_school_provision", lambda w: [w.school_a.pk], school_private()),
    ("fund_card", lambda w: [w.school_a.pk, _entry(w)], school_private()),
    ("fund_document", lambda w: [_fund_document(w)], school_private()),
    ("fund_act_docx", lambda w: [_fund_document(w)], school_private()),
    ("school_export", none, everyone_in_district()),
    ("person_export", none, everyone_in_district()),
    ("exchange_fund", none, everyone_in_district()),
    ("exchange_fund_export", none, everyone_in_district()),
    (
        "exchange_adjust",
        lambda w: [w.school_a.pk, _exchange_entry().pk],
        exchange_roles(
            admin=200, head=200, department=403, librarian=200, librarian_b=403, outsider=404
        ),
    ),
    (
        "exchange_request",
        none,
        exchange_roles(
            admin=403, head=200, department=403, librarian=200, librarian_b=200, outsider=200
        ),
    ),
    (
        "exchange_plans",
        none,
        exchange_roles(
            admin=200, head=200, department=200, librarian=403, librarian_b=403, outsider=403
        ),
    ),
    (
        "exchange_plan",
        exchange_plan,
        exchange_roles(
            admin=200, head=200, department=200, librarian=403, librarian_b=403, outsider=404
        ),
    ),
    ("exchange_transfers", none, everyone_in_district()),
    ("exchange_transfer_export", none, everyone_in_district()),
    ("exchange_transfer", exchange_transfer, everyone_in_district(outsider=404)),
    ("exchange_act", exchange_transfer, everyone_in_district(outsider=404)),
    ("event_list", none, everyone_in_district()),
    ("event_calendar", none, everyone_in_district()),
    ("calendar_subscribe", none, everyone_in_district()),
    ("event_create", none, head_only()),
    ("event_detail", _event, everyone_in_district(outsider=404)),
    ("event_edit", _event, head_only(outsider=404)),
    ("event_ics", _event, everyone_in_district(outsider=404)),
    ("event_registrations", _event, overseers(outsider=404)),
    ("event_participants_xlsx", _event, overseers(outsider=404)),
    ("agenda_create", _event, head_only(outsider=404)),
    ("minutes_edit", _event, head_only(outsider=404)),
    ("minutes_detail", _minutes(published=False), overseers(outsider=404)),
    ("minutes_docx", _minutes(published=False), overseers(outsider=404)),
    ("minutes_detail", _minutes(published=True), everyone_in_district(outsider=404)),
    ("consultation_list", none, everyone_in_district()),
    ("consultation_create", none, everyone_in_district()),
    ("consultation_faq", none, everyone_in_district()),
    ("consultation_stats", none, overseers()),
    (
        "consultation_detail",
        _consultation,
        {**overseers(outsider=404), "librarian": 200, "librarian_b": 403},
    ),
    ("consultation_publish", _consultation, head_only(outsider=404)),
    ("news_list", none, everyone_in_district()),
    ("news_detail", bulletin("news"), everyone_in_district(outsider=404)),
    ("news_create", none, managers_only()),
    ("news_edit", bulletin("news"), managers_only(outsider=404)),
    ("news_rss", lambda w: [w.district.pk], dict.fromkeys(ROLES, 200)),
    ("news_atom", lambda w: [w.district.pk], dict.fromkeys(ROLES, 200)),
    ("document_list", none, everyone_in_district()),
    (
        "document_detail",
        bulletin("document"),
        everyone_in_district(outsider=404),
    ),
    ("document_create", none, managers_only()),
    ("document_edit", bulletin("document"), managers_only(outsider=404)),
    ("newsletter_list", none, managers_only()),
    ("newsletter_create", none, managers_only()),
    ("newsletter_detail", bulletin("newsletter"), managers_only(outsider=404)),
    ("newsletter_edit", bulletin("newsletter"), managers_only(outsider=404)),
    ("publication_list", none, everyone_in_district()),
    ("publication_create", none, everyone_in_district()),
    (
        "publication_edit",
        bulletin("publication"),
        {**managers_only(outsider=404), "librarian": 200},
    ),
    ("material_list", none, everyone_in_district()),
    ("material_create", none, everyone_in_district()),
    (
        "material_detail",
        bulletin("material"),
        everyone_in_district(outsider=404),
    ),
    (
        "material_edit",
        bulletin("material"),
        {**managers_only(outsider=404), "librarian": 200},
    ),
    ("partner_list", none, everyone_in_district()),
    ("partner_create", none, managers_only()),
    (
        "partner_detail",
        bulletin("partner"),
        everyone_in_district(outsider=404),
    ),
    ("partner_edit", bulletin("partner"), managers_only(outsider=404)),
    ("orders:campaigns", none, everyone_in_district()),
    ("orders:campaign_create", none, overseers_only(outsider=403)),
    ("orders:prices", none, overseers_only(outsider=403)),
    ("orders:campaign", lambda w: [_campaign(w).pk], overseers_only()),
    ("orders:consolidated", lambda w: [_campaign(w).pk], overseers_only()),
    ("orders:consolidated_xlsx", lambda w: [_campaign(w).pk], overseers_only()),
    ("orders:district_form", lambda w: [_campaign(w).pk, 3], overseers_only()),
    ("orders:district_unified", lambda w: [_campaign(w).pk], overseers_only()),
    ("orders:district_unified_xlsx", lambda w: [_campaign(w).pk, 2], overseers_only()),
    ("orders:order", lambda w: [_order_a(w).pk], school_a_data()),
    ("orders:order_xlsx", lambda w: [_order_a(w).pk], school_a_data()),
    ("orders:school_form", lambda w: [_order_a(w).pk, 1], school_a_data()),
    ("orders:school_unified", lambda w: [_order_a(w).pk], school_a_data()),
    ("orders:school_unified_xlsx", lambda w: [_order_a(w).pk, 1], school_a_data()),
    ("orders:delivery", lambda w: [_order_a(w).pk], school_a_data(edit=True, ok=302)),
    ("stocktake:campaigns", none, everyone_in_district()),
    ("stocktake:campaign_create", none, overseers_only(outsider=403)),
    ("stocktake:campaign", lambda w: [_stocktake_campaign(w).pk], overseers_only()),
    ("stocktake:stocktake", _stocktake_a, school_a_data()),
    ("stocktake:count", _stocktake_a, school_a_data(edit=True)),
    ("stocktake:sheet_xlsx", _stocktake_a, school_a_data()),
    ("stocktake:upload", _stocktake_a, school_a_data(edit=True)),
    ("stocktake:ask", _stocktake_a, school_a_data(edit=True)),
    ("stocktake:accept", lambda w: _stocktake_a(w, submitted=True), stocktake_head()),
    (
        "stocktake:campaign_accept",
        lambda w: [_stocktake_campaign(w).pk] if _stocktake_a(w, submitted=True) else [],
        stocktake_head(),
    ),
    ("stocktake:act", lambda w: [*_stocktake_a(w, submitted=True), "docx"], school_a_data()),
    ("stats_home", none, {**dict.fromkeys(ROLES, 302)}),
    ("stats_report", lambda w: [w.school_a.pk, _year_2021()], school_private()),
    ("stats_report_xlsx", lambda w: [w.school_a.pk, _year_2021()], school_private()),
    ("stats_district", none, overseers()),
    ("stats_district_xlsx", none, overseers()),
    ("stats_chart", lambda w: ["renewal"], overseers()),
    ("training_home", none, {**dict.fromkeys(ROLES, 302)}),
    ("training_district", none, overseers()),
    ("training_district_xlsx", none, overseers()),
    (
        "training_person",
        lambda w: [w.librarian.pk],
        {**school_private(), "department": 200},
    ),
    ("analysis_list", none, overseers()),
    ("analysis_detail", lambda w: [_year_2021()], overseers()),
    ("analysis_file", lambda w: [_year_2021(), "docx"], overseers()),
]


@pytest.mark.parametrize(("url_name", "args", "expected"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_page_access(world, login, url_name, args, expected, role):
    client = login(world.user(role))
    response = client.get(reverse(url_name, args=args(world)))
    assert response.status_code == expected[role], (
        f"{url_name} as {role}: {response.status_code}, expected {expected[role]}"
    )
    if expected[role] == 200 and response.get("Content-Type", "").startswith("text/html"):
        assert 'lang="ru"' in response.content.decode()


# --- the API: the same rules as the pages ------------------------------------------------
# Each row: a function of the world giving the path under /api, and the expected status
# per role. The page's «302 to the login» is the API's 401.


def _this_year() -> int:
    from django.utils import timezone

    from bibliomo.lib import years

    return years.start_year_for(timezone.localdate())


def api(codes: dict[str, int]) -> dict[str, int]:
    return {**codes, "anon": 401}


API: list[tuple[str, Callable[[Any], str], dict[str, int]]] = [
    ("me", lambda w: "/me", api(everyone_in_district())),
    ("schools", lambda w: "/schools", api(everyone_in_district())),
    ("school", lambda w: f"/schools/{w.school_a.pk}", api(everyone_in_district(outsider=404))),
    ("person", lambda w: f"/people/{w.librarian.pk}", api(everyone_in_district(outsider=404))),
    ("plan", lambda w: f"/plans/{plan_args(w)[0]}", api(everyone_in_district(outsider=404))),
    ("curriculum", lambda w: f"/schools/{w.school_a.pk}/curriculum", api(school_private())),
    ("enrolment", lambda w: f"/schools/{w.school_a.pk}/enrolment", api(school_private())),
    ("fund_documents", lambda w: f"/schools/{w.school_a.pk}/documents", api(school_private())),
    ("holdings", lambda w: f"/schools/{w.school_a.pk}/holdings", api(school_private())),
    ("provision", lambda w: f"/schools/{w.school_a.pk}/provision", api(school_private())),
    (
        "transfer",
        lambda w: f"/exchange/transfers/{exchange_transfer(w)[0]}",
        api(everyone_in_district(outsider=404)),
    ),
    ("event", lambda w: f"/events/{_event(w)[0]}", api(everyone_in_district(outsider=404))),
    (
        "registrations",
        lambda w: f"/events/{_event(w)[0]}/registrations",
        api(overseers(outsider=404)),
    ),
    (
        "consultation",
        lambda w: f"/consultations/{_consultation(w)[0]}",
        api({**overseers(outsider=404), "librarian": 200, "librarian_b": 403}),
    ),
    ("publication_stats", lambda w: f"/publications/stats?year={_this_year()}", api(overseers())),
    (
        "news",
        lambda w: f"/news/{bulletin_objects(w).news.pk}",
        api(everyone_in_district(outsider=404)),
    ),
    ("order", lambda w: f"/orders/{_order_a(w).pk}", api(school_a_data())),
    # The campaign itself (its year and deadline) is every school's business; its
    # consolidated figures are the page's and the overseers'.
    (
        "campaign",
        lambda w: f"/orders/campaigns/{_campaign(w).pk}",
        api(everyone_in_district(outsider=404)),
    ),
]


@pytest.mark.parametrize(("name", "path", "expected"), API, ids=[a[0] for a in API])
@pytest.mark.parametrize("role", ROLES)
def test_api_access(world, login, name, path, expected, role):
    client = login(world.user(role))
    response = client.get("/api" + path(world))
    assert response.status_code == expected[role], (
        f"API {name} as {role}: {response.status_code}, expected {expected[role]}"
    )


# --- a page and its API endpoint give every role the same answer ------------------------
# Each row: a name, a function of the world giving the page's URL and one giving the API
# path, for the same object. Both ask the app's rules module, so they must agree role by
# role; the page's «302 to the login» is the API's 401.


def _as_api(code: int) -> int:
    return 401 if code == 302 else code


PAIRS: list[tuple[str, Callable[[Any], str], Callable[[Any], str]]] = [
    (
        "school",
        lambda w: reverse("school_detail", args=[w.school_a.pk]),
        lambda w: f"/schools/{w.school_a.pk}",
    ),
    (
        "person",
        lambda w: reverse("person_detail", args=[w.librarian.pk]),
        lambda w: f"/people/{w.librarian.pk}",
    ),
    (
        "event",
        lambda w: reverse("event_detail", args=_event(w)),
        lambda w: f"/events/{_event(w)[0]}",
    ),
    (
        "event_registrations",
        lambda w: reverse("event_registrations", args=_event(w)),
        lambda w: f"/events/{_event(w)[0]}/registrations",
    ),
    (
        "minutes_unpublished",
        lambda w: reverse("minutes_detail", args=_minutes(published=False)(w)),
        lambda w: f"/events/{_minutes(published=False)(w)[0]}/minutes",
    ),
    (
        "minutes_published",
        lambda w: reverse("minutes_detail", args=_minutes(published=True)(w)),
        lambda w: f"/events/{_minutes(published=True)(w)[0]}/minutes",
    ),
    (
        "stats_report",
        lambda w: reverse("stats_report", args=[w.school_a.pk, _year_2021()]),
        lambda w: f"/stats/reports/{w.school_a.pk}/{_year_2021()}",
    ),
    (
        "stats_district",
        lambda w: reverse("stats_district") + f"?year={_year_2021()}",
        lambda w: f"/stats/district/{_year_2021()}",
    ),
    (
        "training_district",
        lambda w: reverse("training_district") + f"?year={_year_2021()}",
        lambda w: f"/training/district/{_year_2021()}",
    ),
    (
        "training_person",
        lambda w: reverse("training_person", args=[w.librarian.pk]),
        lambda w: f"/training/people/{w.librarian.pk}",
    ),
    (
        "analysis",
        lambda w: reverse("analysis_detail", args=[_year_2021()]),
        lambda w: f"/analysis/{_year_2021()}",
    ),
    (
        "news",
        lambda w: reverse("news_detail", args=bulletin("news")(w)),
        lambda w: f"/news/{bulletin('news')(w)[0]}",
    ),
    (
        "document",
        lambda w: reverse("document_detail", args=bulletin("document")(w)),
        lambda w: f"/documents/{bulletin('document')(w)[0]}",
    ),
    (
        "material",
        lambda w: reverse("material_detail", args=bulletin("material")(w)),
        lambda w: f"/materials/{bulletin('material')(w)[0]}",
    ),
]

# The same pairs for school B's objects: its librarian gets them, school A's does not
# (test_school_a_kept_out_of_school_b below).
SCHOOL_B_PAIRS: list[tuple[str, Callable[[Any], str], Callable[[Any], str]]] = [
    (
        "stats_report_b",
        lambda w: reverse("stats_report", args=[w.school_b.pk, _year_2021()]),
        lambda w: f"/stats/reports/{w.school_b.pk}/{_year_2021()}",
    ),
    (
        "training_person_b",
        lambda w: reverse("training_person", args=[w.librarian_b.pk]),
        lambda w: f"/training/people/{w.librarian_b.pk}",
    ),
]
PAIRS += SCHOOL_B_PAIRS


@pytest.mark.parametrize(("name", "page", "api_path"), PAIRS, ids=[p[0] for p in PAIRS])
def test_page_and_api_agree(world, login, name, page, api_path):
    answers = {}
    for role in ROLES:
        client = login(world.user(role))
        page_code = client.get(page(world)).status_code
        api_code = client.get("/api" + api_path(world)).status_code
        answers[role] = (_as_api(page_code), api_code)
    assert {r: a for r, a in answers.items() if a[0] != a[1]} == {}, (
        f"{name}: role → (page, API) where they differ"
    )
    assert any(page == 200 for page, _ in answers.values()), f"{name}: nobody gets it"


# --- an API write is allowed exactly when the page's write is ---------------------------
# Each row: a name, a function of the world giving the page's URL and its POST data, and
# one giving the API's method, path and JSON body. «Allowed» is any answer but the login,
# 403 or 404: a form sent back with its errors (or a 409/422 from the API) means the rule
# let the user in. Each attempt is rolled back, so that both sides meet the same state.

Write = tuple[
    str,
    Callable[[Any], tuple[str, dict[str, Any]]],
    Callable[[Any], tuple[str, str, dict[str, Any] | None]],
]


def _page_allowed(response) -> bool:
    if response.status_code == 302:
        return "/login" not in response["Location"]
    return response.status_code not in (403, 404, 405)


def _api_allowed(response) -> bool:
    return response.status_code not in (401, 403, 404, 405)


def _rolled_back(client, method: str, url: str, **kwargs: Any):
    from django.db import transaction

    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


def _soon() -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT10:00")


# The API reads its body before it asks the rules: a body it can read, so that the rule
# decides.
_COURSE = {"title": "Курсы", "organisation": "АКИПКРО", "hours": 36,
           "date_from": "2022-01-10", "date_to": "2022-01-14"}  # fmt: skip
_DOCUMENT = {"kind": "law", "title": "Закон", "date": "1994-12-29", "url": "http://pravo.gov.ru/"}

WRITES: list[Write] = [
    (
        "school_create",
        lambda w: (reverse("school_create"), {"short_name": ""}),
        lambda w: ("post", "/schools", {"full_name": "МКОУ «Новая СОШ»", "short_name": "Новая"}),
    ),
    (
        "event_create",
        lambda w: (
            reverse("event_create"),
            {
                "kind": "meeting",
                "title": "Семинар",
                "starts_at": _soon(),
                "organiser": "mmo",
                "reminder_hours": 24,
            },
        ),
        lambda w: (
            "post",
            "/events",
            {"kind": "meeting", "title": "Семинар", "starts_at": _soon()},
        ),
    ),
    (
        "agenda_add",
        lambda w: (
            reverse("agenda_create", args=_event(w)),
            {"order": 1, "topic": "Чтение", "duration_minutes": 15},
        ),
        lambda w: ("post", f"/events/{_event(w)[0]}/agenda", {"topic": "Чтение"}),
    ),
    (
        "event_register",
        lambda w: (reverse("event_register", args=_event(w)), {}),
        lambda w: ("post", f"/events/{_event(w)[0]}/registration", None),
    ),
    (
        "attendance",
        lambda w: (reverse("event_registrations", args=_event(w)), {"present": []}),
        lambda w: ("put", f"/events/{_event(w)[0]}/attendance", {"present": []}),
    ),
    (
        "stats_report_save",
        lambda w: (reverse("stats_report", args=[w.school_a.pk, _year_2021()]), {"action": "save"}),
        lambda w: ("put", f"/stats/reports/{w.school_a.pk}/{_year_2021()}", {}),
    ),
    (
        "training_qualification",
        lambda w: (
            reverse("training_person", args=[w.librarian.pk]),
            {"action": "qualification", "q-category": "first"},
        ),
        lambda w: ("put", f"/training/people/{w.librarian.pk}/qualification", {}),
    ),
    (
        "training_course",
        lambda w: (
            reverse("training_person", args=[w.librarian.pk]),
            {"action": "course", "c-title": "Курсы"},
        ),
        lambda w: ("post", f"/training/people/{w.librarian.pk}/courses", _COURSE),
    ),
    (
        "analysis_notes",
        lambda w: (reverse("analysis_detail", args=[_year_2021()]), {"conclusion": "Итоги"}),
        lambda w: ("put", f"/analysis/{_year_2021()}/notes", {"conclusion": "Итоги"}),
    ),
    (
        "analysis_carry",
        lambda w: (reverse("analysis_carry", args=[_year_2021()]), {}),
        lambda w: ("post", f"/analysis/{_year_2021()}/carry", None),
    ),
    (
        "news_create",
        lambda w: (reverse("news_create"), {"kind": "news", "title": "Новость"}),
        lambda w: ("post", "/news", {"title": "Новость"}),
    ),
    (
        "document_create",
        lambda w: (reverse("document_create"), {"kind": "law", "title": "Закон"}),
        lambda w: ("post", "/documents", _DOCUMENT),
    ),
    (
        "newsletter_send",
        lambda w: (reverse("newsletter_send", args=bulletin("newsletter")(w)), {}),
        lambda w: ("post", f"/newsletters/{bulletin('newsletter')(w)[0]}/send", None),
    ),
    (
        "partner_create",
        lambda w: (reverse("partner_create"), {"kind": "museum", "name": "Музей"}),
        lambda w: ("post", "/partners", {"kind": "museum", "name": "Музей"}),
    ),
]

SCHOOL_B_WRITES: list[Write] = [
    (
        "stats_report_save_b",
        lambda w: (reverse("stats_report", args=[w.school_b.pk, _year_2021()]), {"action": "save"}),
        lambda w: ("put", f"/stats/reports/{w.school_b.pk}/{_year_2021()}", {}),
    ),
    (
        "training_qualification_b",
        lambda w: (
            reverse("training_person", args=[w.librarian_b.pk]),
            {"action": "qualification", "q-category": "first"},
        ),
        lambda w: ("put", f"/training/people/{w.librarian_b.pk}/qualification", {}),
    ),
]
WRITES += SCHOOL_B_WRITES


@pytest.mark.parametrize(("name", "page", "api_call"), WRITES, ids=[w[0] for w in WRITES])
def test_api_write_follows_page(world, login, name, page, api_call):
    answers = {}
    for role in ROLES:
        client = login(world.user(role))
        url, data = page(world)
        page_response = _rolled_back(client, "post", url, data=data)
        method, path, body = api_call(world)
        api_response = _rolled_back(
            client, method, "/api" + path, data=body, content_type="application/json"
        )
        answers[role] = (
            _page_allowed(page_response),
            _api_allowed(api_response),
            page_response.status_code,
            api_response.status_code,
        )
    assert {r: a for r, a in answers.items() if a[0] != a[1]} == {}, (
        f"{name}: role → (page allowed, API allowed, page status, API status) where they differ"
    )
    assert any(a[0] for a in answers.values()), f"{name}: nobody may write"


# --- school A's librarian never reaches school B's non-public data ----------------------
# Neither through the page nor through the API, neither reading nor writing; school B's
# own librarian does, so that each row names data that exists and is guarded.


def _denied(code: int) -> bool:
    return code in (403, 404)


@pytest.mark.parametrize(
    ("name", "page", "api_path"), SCHOOL_B_PAIRS, ids=[p[0] for p in SCHOOL_B_PAIRS]
)
def test_school_a_cannot_read_school_b(world, login, name, page, api_path):
    answers = {}
    for role in ("librarian", "librarian_b"):
        client = login(world.user(role))
        answers[role] = (
            client.get(page(world)).status_code,
            client.get("/api" + api_path(world)).status_code,
        )
    assert all(_denied(code) for code in answers["librarian"]), answers
    assert answers["librarian_b"] == (200, 200), answers


@pytest.mark.parametrize(
    ("name", "page", "api_call"), SCHOOL_B_WRITES, ids=[w[0] for w in SCHOOL_B_WRITES]
)
def test_school_a_cannot_change_school_b(world, login, name, page, api_call):
    answers = {}
    for role in ("librarian", "librarian_b"):
        client = login(world.user(role))
        url, data = page(world)
        page_response = _rolled_back(client, "post", url, data=data)
        method, path, body = api_call(world)
        api_response = _rolled_back(
            client, method, "/api" + path, data=body, content_type="application/json"
        )
        answers[role] = (page_response, api_response)
    page_a, api_a = answers["librarian"]
    assert _denied(page_a.status_code) and _denied(api_a.status_code), (
        page_a.status_code,
        api_a.status_code,
    )
    page_b, api_b = answers["librarian_b"]
    assert _page_allowed(page_b) and _api_allowed(api_b), (page_b.status_code, api_b.status_code)


def test_school_a_cannot_reach_school_b_publication(world, login):
    """A publication is its author's and the overseers': school A's librarian gets neither
    its file from the page nor the record from the API's list."""
    import datetime as dt

    from bibliomo.bulletin.models import Publication

    theirs = Publication.objects.create(
        district=world.district, author=world.librarian_b, title="Буктрейлер",
        venue_kind=Publication.Venue.SITE, venue="Сайт школы", date=dt.date.today(),
        url="https://example.org/b",
    )  # fmt: skip
    file_url = reverse("publication_file", args=[theirs.pk])
    for role, page_code, listed in (("librarian", 403, False), ("librarian_b", 404, True)):
        client = login(world.user(role))
        # The record has no file: its author gets past the rule and finds nothing to send.
        assert client.get(file_url).status_code == page_code, role
        ids = [p["id"] for p in client.get("/api/publications").json()["items"]]
        assert (theirs.pk in ids) is listed, role
