from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.accounts.models import PersonalDataExport, Role, User
from bibliomo.accounts.services import send_invitation
from bibliomo.directory import rules, todo
from bibliomo.directory.forms import PersonForm, SchoolForm
from bibliomo.directory.models import School
from bibliomo.lib import tables
from bibliomo.lib.http import paginate, query_string_without_page
from bibliomo.plans.views import dashboard_context as plan_dashboard_context


def _librarians() -> Prefetch:
    return Prefetch(
        "people",
        # The association's head is her own school's librarian as well.
        queryset=User.objects.filter(role__in=[Role.LIBRARIAN, Role.HEAD], is_active=True),
        to_attr="librarians",
    )


@access.member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    user = request.user
    today = timezone.localdate()
    return render(
        request,
        "directory/dashboard.html",
        {
            "district": district,
            "school": user.school,
            "role_label": user.get_role_display()
            if not user.is_superuser
            else "Администратор системы",
            "school_count": district.schools.filter(is_active=True).count(),
            "people_count": district.people.filter(is_active=True).count(),
            "tasks": [(t, t.due_text(today)) for t in todo.tasks_for(user, district, today)],
            **plan_dashboard_context(request, district),
        },
    )


def _school_listing(request: HttpRequest, district) -> tuple[QuerySet[School], dict]:
    manage = rules.can_manage(request.user, district.pk)
    query = request.GET.get("q", "").strip()
    show_inactive = manage and request.GET.get("inactive") == "1"
    schools = (
        School.objects.filter(district=district)
        .select_related("parent")
        .prefetch_related(_librarians())
        .order_by("short_name")
    )
    if not show_inactive:
        schools = schools.filter(is_active=True)
    if query:
        schools = schools.search(query)
    return schools, {"query": query, "show_inactive": show_inactive, "can_manage": manage}


@access.member_required
def school_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    schools, filters = _school_listing(request, district)
    return render(
        request,
        "directory/school_list.html",
        {
            "district": district,
            "page": paginate(request, schools),
            "qs": query_string_without_page(request),
            **filters,
        },
    )


@access.member_required
def school_export(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    schools, _ = _school_listing(request, district)
    rows = (
        [
            s.short_name,
            s.full_name,
            s.get_kind_display(),
            s.parent.short_name if s.parent else "",
            s.inn,
            s.address,
            ", ".join(p.short_name for p in s.librarians),
            s.phone,
            s.email,
            "да" if s.is_active else "нет",
        ]
        for s in schools
    )
    headers = ["Школа", "Полное наименование", "Тип", "Головная школа", "ИНН", "Адрес",
               "Библиотекарь", "Телефон", "E-mail", "Действует"]  # fmt: skip
    sheet = tables.Sheet("Школы", headers, rows, caption=[f"Школы — {district.name}"])
    return tables.xlsx_response(f"Школы — {district.name}.xlsx", [sheet])


@access.member_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    people = school.people.filter(is_active=True).order_by("last_name", "first_name")
    return render(
        request,
        "directory/school_detail.html",
        {
            "school": school,
            "people": people,
            "branches": school.branches.filter(is_active=True),
            "can_manage": rules.can_manage(request.user, school.district_id),
        },
    )


@access.member_required
def school_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    # Another district's school is a 404 for everyone, before any role is asked for.
    school = rules.school_for(request.user, pk, edit=True) if pk else None
    rules.check_manage(request.user, district.pk)
    initial = {}
    if school is None and request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
        initial["kind"] = School.Kind.OOSH
    form = SchoolForm(request.POST or None, instance=school, district=district, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Школа «{saved.short_name}» сохранена.")
        return redirect(saved)
    return render(request, "directory/school_form.html", {"form": form, "school": school})


@require_POST
@access.member_required
def school_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk, edit=True)
    if school.is_active and school.branches.filter(is_active=True).exists():
        messages.error(request, "Сначала закройте филиалы этой школы.")
        return redirect(school)
    school.is_active = not school.is_active
    school.save(update_fields=["is_active"])
    if school.is_active:
        messages.success(request, f"Школа «{school.short_name}» снова действует.")
    else:
        messages.success(request, f"Школа «{school.short_name}» отмечена как недействующая.")
    return redirect(school)


def _person_listing(request: HttpRequest, district) -> tuple[QuerySet[User], dict]:
    manage = rules.can_manage(request.user, district.pk)
    query = request.GET.get("q", "").strip()
    show_inactive = manage and request.GET.get("inactive") == "1"
    people = User.objects.filter(district=district).select_related("school")
    if not show_inactive:
        people = people.filter(is_active=True)
    if query:
        people = people.search(query)
    return people, {"query": query, "show_inactive": show_inactive, "can_manage": manage}


@access.member_required
def person_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    people, filters = _person_listing(request, district)
    return render(
        request,
        "directory/person_list.html",
        {
            "district": district,
            "page": paginate(request, people),
            "qs": query_string_without_page(request),
            **filters,
        },
    )


@access.member_required
def person_export(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    people, _ = _person_listing(request, district)
    people = list(people)
    PersonalDataExport.objects.create(
        user=request.user, what=f"Список участников — {district.name}", rows=len(people)
    )
    rows = (
        [
            p.last_name,
            p.first_name,
            p.patronymic,
            p.position,
            p.get_role_display(),
            p.school.short_name if p.school else "",
            p.phone,
            p.email,
        ]
        for p in people
    )
    headers = ["Фамилия", "Имя", "Отчество", "Должность", "Роль", "Школа", "Телефон", "E-mail"]
    sheet = tables.Sheet("Участники", headers, rows, caption=[f"Участники ММО — {district.name}"])
    return tables.xlsx_response(f"Участники — {district.name}.xlsx", [sheet])


@access.member_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = rules.person_for(request.user, pk)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "can_manage": rules.can_manage(request.user, person.district_id),
            "can_edit": rules.can_edit_person(request.user, person),
            "can_toggle": rules.can_toggle_person(request.user, person),
        },
    )


@access.member_required
def person_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    person = rules.person_for(request.user, pk, edit=True) if pk else None
    rules.check_manage(request.user, district.pk)
    initial = {"school": request.GET.get("school")} if request.GET.get("school") else {}
    form = PersonForm(
        request.POST or None,
        instance=person,
        district=district,
        editor=request.user,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Данные «{saved.full_name}» сохранены.")
        if form.cleaned_data.get("send_invitation"):
            send_invitation(saved, request.user)
            messages.info(request, f"Приглашение отправлено на {saved.email}.")
        return redirect(saved)
    return render(request, "directory/person_form.html", {"form": form, "person": person})


@require_POST
@access.member_required
def person_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = rules.person_for(request.user, pk, edit=True)
    if person.pk == request.user.pk:
        messages.error(request, "Нельзя отключить собственную учётную запись.")
        return redirect(person)
    person.is_active = not person.is_active
    person.save(update_fields=["is_active"])
    state = "снова может входить в систему" if person.is_active else "отключён(а)"
    messages.success(request, f"{person.full_name} {state}.")
    return redirect(person)
