"""Pages of the circulation desk: the school's classes, a class with its set and who has
what (built for a phone at the shelf), debtors, lost books, the pupils' import and next
year's promotion; the district's counts. Names only for the school's own librarian."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.accounts.models import PersonalDataExport
from bibliomo.circulation import documents, rules, selectors, services
from bibliomo.circulation.forms import (
    ClassroomEditForm,
    ClassroomForm,
    IssueForm,
    MoveForm,
    PupilForm,
    SettleForm,
    StaffIssueForm,
)
from bibliomo.circulation.importer import PupilImportError, import_pupils
from bibliomo.circulation.models import OUT_OF_SHELF, Classroom, Loan, Pupil
from bibliomo.directory.models import AcademicYear, School
from bibliomo.fund.models import Stock
from bibliomo.lib import years
from bibliomo.lib.formfields import UploadForm
from bibliomo.lib.tables import read_rows
from bibliomo.textbooks.models import FederalListEntry


def _year(request: HttpRequest) -> int:
    return AcademicYear.objects.parse(request.GET.get("year"))


def _year_choices(year: int) -> list[dict]:
    return [{"value": y, "label": years.short_label(y)} for y in range(year - 3, year + 2)]


def _school_url(school_id: int, year: int) -> str:
    return f"{reverse('circulation_school', args=[school_id])}?year={year}"


def _log_export(request: HttpRequest, what: str, rows: int) -> None:
    PersonalDataExport.objects.create(user=request.user, what=what, rows=rows)


@access.member_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    district = access.district_or_404(request)
    if not rules.sees_district(user, district.pk) and user.school_id:
        return redirect("circulation_school", user.school_id)
    return redirect("circulation_district")


@access.member_required
def district(request: HttpRequest) -> HttpResponse:
    """Issued / returned / overdue copies per school: counts, no names."""
    district = access.district_or_404(request)
    year = _year(request)
    schools = list(School.objects.filter(district=district, is_active=True).order_by("short_name"))
    counts = selectors.counts_by_school([s.pk for s in schools], year)
    empty = selectors.Counts(0, 0, 0, 0, 0)
    rows = [
        {
            "school": s,
            "c": counts.get(s.pk, empty),
            "link": rules.can_see_counts(request.user, s),
        }
        for s in schools
    ]
    total = selectors.Counts(*(sum(r["c"][i] for r in rows) for i in range(5)))
    return render(
        request,
        "circulation/district.html",
        {
            "district": district, "rows": rows, "total": total, "year": year,
            "years": _year_choices(year),
        },
    )  # fmt: skip


@access.member_required
def school_page(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for_counts(request.user, pk)
    year = _year(request)
    names = rules.can_see_pupils(request.user, school)
    today = timezone.localdate()
    classes = list(
        Classroom.objects.filter(school=school, year_id=year)
        .annotate(pupil_count=Count("pupils", filter=Q(pupils__left_on__isnull=True)))
        .select_related("teacher")
        .order_by("grade", "letter")
    )
    per_class: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Loan.objects.filter(classroom__in=classes)
        .exclude(status=Loan.Status.CANCELLED)
        .values("classroom_id")
        .annotate(
            issued=Sum("copies"),
            in_hands=Sum("copies", filter=Q(status=Loan.Status.ISSUED)),
            debt=Sum("copies", filter=Q(status=Loan.Status.ISSUED, due_on__lt=today)),
        )
        .order_by()
    ):
        per_class[row["classroom_id"]] = row
    rows = [{"c": c, "n": per_class.get(c.pk, {})} for c in classes]
    counts = selectors.counts_by_school([school.pk], year).get(
        school.pk, selectors.Counts(0, 0, 0, 0, 0)
    )
    form = None
    if names:
        form = ClassroomForm(request.POST or None, school=school)
        if request.method == "POST" and form.is_valid():
            classroom = form.save(commit=False)
            classroom.school, classroom.year = school, AcademicYear.open(year)
            if Classroom.objects.filter(
                school=school, year_id=year, grade=classroom.grade,
                letter=classroom.letter.strip().upper(),
            ).exists():  # fmt: skip
                form.add_error("letter", "Такой класс в этом учебном году уже есть.")
            else:
                classroom.save()
                messages.success(request, f"Класс {classroom.name} добавлен.")
                return redirect(_school_url(school.pk, year))
    elif request.method == "POST":
        raise PermissionDenied("Классы ведёт библиотекарь школы.")
    return render(
        request,
        "circulation/school.html",
        {
            "school": school, "year": year, "years": _year_choices(year), "rows": rows,
            "counts": counts, "names": names, "form": form,
            "staff_loans": Loan.objects.filter(
                school=school, status=Loan.Status.ISSUED, pupil__isnull=True
            ).count(),
        },
    )  # fmt: skip


@require_POST
@access.member_required
def from_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for_pupils(request.user, pk)
    year = _year(request)
    made = services.classes_from_enrolment(school, year)
    if made:
        messages.success(
            request, f"По контингенту созданы классы: {', '.join(c.name for c in made)}."
        )
    else:
        messages.info(request, "Новых классов нет: контингент не заполнен или классы уже есть.")
    return redirect(_school_url(school.pk, year))


# --- the class page ------------------------------------------------------------------


def _stock_entries(school: School) -> QuerySet[FederalListEntry]:
    ids = Stock.objects.filter(school=school, copies__gt=0).values("entry_id")
    return FederalListEntry.objects.filter(pk__in=ids).order_by("grade_from", "title")


@access.member_required
def class_page(request: HttpRequest, class_id: int) -> HttpResponse:
    classroom = rules.classroom_for(request.user, class_id)
    school = classroom.school
    form = ClassroomEditForm(request.POST or None, instance=classroom, school=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Класс сохранён.")
        return redirect(classroom)
    items = services.class_set(classroom)
    pupils = list(
        Pupil.objects.filter(classroom=classroom, left_on__isnull=True).order_by(
            "last_name", "first_name", "pk"
        )
    )
    loans: dict[int, list[Loan]] = defaultdict(list)
    for loan in (
        Loan.objects.filter(pupil__in=pupils)
        .filter(Q(year_id=classroom.year_id) | Q(status__in=OUT_OF_SHELF))
        .exclude(status=Loan.Status.CANCELLED, year_id__lt=classroom.year_id)
        .select_related("entry")
        .order_by("entry__subject", "entry__key", "pk")
    ):
        loans[loan.pupil_id].append(loan)
    today = timezone.localdate()
    set_ids = {i.entry.pk for i in items}
    rows = []
    for pupil in pupils:
        mine = loans.get(pupil.pk, [])
        have = {ln.entry_id for ln in mine if ln.year_id == classroom.year_id}
        rows.append(
            {
                "pupil": pupil,
                "loans": mine,
                "missing": len(set_ids - have),
                "debt": any(ln.is_overdue(today) for ln in mine),
            }
        )
    issued = {
        e: n
        for e, n in Loan.objects.filter(
            classroom=classroom, status=Loan.Status.ISSUED, entry_id__in=set_ids
        )
        .values_list("entry_id")
        .annotate(n=Sum("copies"))
        .order_by()
    }
    free = services.fund.free_copies(school.pk, set_ids)
    holders: dict[int, int] = defaultdict(int)
    for pupil_loans in loans.values():
        for entry_id in {ln.entry_id for ln in pupil_loans if ln.year_id == classroom.year_id}:
            holders[entry_id] += 1
    set_rows = [
        {
            "item": i,
            "issued": issued.get(i.entry.pk, 0),
            "free": free.get(i.entry.pk, 0),
            # Red when the pupils still waiting for it outnumber the copies on the shelf.
            "short": len(pupils) - holders[i.entry.pk] > free.get(i.entry.pk, 0),
        }
        for i in items
    ]
    entries = _stock_entries(school)
    other_classes = (
        Classroom.objects.filter(school=school, year_id=classroom.year_id)
        .exclude(pk=classroom.pk)
        .order_by("grade", "letter")
    )
    return render(
        request,
        "circulation/class.html",
        {
            "school": school, "classroom": classroom, "rows": rows, "set_rows": set_rows,
            "form": form, "issue_form": IssueForm(entries=entries),
            "move_form": MoveForm(classes=other_classes), "pupil_form": PupilForm(),
            "open_copies": sum(issued.values()), "today": today,
            "conditions": [
                ("good", "Сдан", "btn-success"), ("worn", "Изношен", "btn-outline-warning"),
                ("damaged", "Испорчен", "btn-outline-danger"),
                ("lost", "Утерян", "btn-outline-dark"),
            ],
        },
    )  # fmt: skip


@require_POST
@access.member_required
def class_issue(request: HttpRequest, class_id: int) -> HttpResponse:
    classroom = rules.classroom_for(request.user, class_id)
    result = services.issue_set(classroom, request.user)
    if result.copies:
        messages.success(
            request,
            f"Выдано {result.copies} экз. учащимся: {len(result.pupils)}.",
        )
    elif not result.short:
        messages.info(request, "Выдавать нечего: у всех учащихся уже есть учебники комплекта.")
    for text in result.messages:
        messages.warning(request, text)
    return redirect(classroom)


@require_POST
@access.member_required
def class_accept(request: HttpRequest, class_id: int) -> HttpResponse:
    classroom = rules.classroom_for(request.user, class_id)
    copies = services.accept_all(classroom, request.user)
    messages.success(request, f"Принято {copies} экз.: все учебники класса сданы.")
    return redirect(classroom)


@require_POST
@access.member_required
def pupil_add(request: HttpRequest, class_id: int) -> HttpResponse:
    classroom = rules.classroom_for(request.user, class_id)
    form = PupilForm(request.POST)
    if form.is_valid():
        pupil = form.save(commit=False)
        pupil.school, pupil.classroom = classroom.school, classroom
        pupil.save()
        messages.success(request, f"{pupil.name} — в списке класса.")
    else:
        messages.error(request, "Укажите фамилию и имя учащегося.")
    return redirect(classroom)


def _back(pupil: Pupil) -> str:
    if pupil.classroom_id:
        return f"{pupil.classroom.get_absolute_url()}#p{pupil.pk}"
    return reverse("circulation_debtors", args=[pupil.school_id])


def _class_pupil(request: HttpRequest, classroom: Classroom) -> Pupil | None:
    try:
        return Pupil.objects.get(pk=int(request.POST.get("pupil", "")), classroom=classroom)
    except (ValueError, Pupil.DoesNotExist):
        messages.error(request, "Выберите учащегося из списка класса.")
        return None


@require_POST
@access.member_required
def pupil_issue(request: HttpRequest, class_id: int) -> HttpResponse:
    """An exception to the set: a second copy, another edition, a book outside the set."""
    classroom = rules.classroom_for(request.user, class_id)
    pupil = _class_pupil(request, classroom)
    if pupil is None:
        return redirect(classroom)
    form = IssueForm(request.POST, entries=_stock_entries(classroom.school))
    if not form.is_valid():
        messages.error(request, "Выберите учебник и число экземпляров.")
        return redirect(classroom)
    entry = form.cleaned_data["entry"]
    try:
        services.issue(
            classroom.school, entry, form.cleaned_data["copies"], pupil=pupil, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{pupil.name}: выдан «{entry.title}».")
    return redirect(f"{classroom.get_absolute_url()}#p{pupil.pk}")


@require_POST
@access.member_required
def pupil_move(request: HttpRequest, class_id: int) -> HttpResponse:
    classroom = rules.classroom_for(request.user, class_id)
    pupil = _class_pupil(request, classroom)
    if pupil is None:
        return redirect(classroom)
    classes = Classroom.objects.filter(school_id=pupil.school_id, year_id=classroom.year_id)
    form = MoveForm(
        request.POST, classes=classes.exclude(pk=classroom.pk).order_by("grade", "letter")
    )
    if not form.is_valid():
        messages.error(request, "Выберите класс из списка.")
    else:
        target = form.classroom()
        services.move(pupil, target)
        if target is None:
            messages.success(request, f"{pupil.name} выбыл из школы; долги остаются за ним.")
        else:
            messages.success(request, f"{pupil.name} переведён в {target.name}.")
    return redirect(classroom)


def _loan_back(request: HttpRequest, loan: Loan) -> str:
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    if loan.pupil_id:
        return _back(loan.pupil)
    return reverse("circulation_staff", args=[loan.school_id])


@require_POST
@access.member_required
def loan_return(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = rules.loan_for(request.user, loan_id)
    condition = request.POST.get("condition", "good")
    if condition == "cancel":
        try:
            services.cancel(loan, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(_loan_back(request, loan))
    try:
        copies = services.return_loans([loan], condition, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not copies:
            messages.info(request, "Этот учебник уже сдан.")
        elif condition == "lost":
            messages.warning(
                request,
                "Отмечено: учебник утерян. Оформите замену или списание на странице "
                "«Утерянные учебники».",
            )
    return redirect(_loan_back(request, loan))


# --- documents ------------------------------------------------------------------------


@access.member_required
def vedomost(request: HttpRequest, class_id: int, fmt: str) -> HttpResponse:
    classroom = rules.classroom_for(request.user, class_id)
    sheet = documents.class_sheet(classroom)
    _log_export(
        request,
        f"Ведомость выдачи учебников, {classroom.school.short_name}, {classroom.name} класс",
        len(sheet.pupils),
    )
    if fmt == "xlsx":
        return documents.sheet_xlsx(sheet)
    return documents.sheet_docx(sheet)


def _debtor_loans(school: School, classroom_id: int | None, today: dt.date):
    loans = (
        Loan.objects.filter(school=school, status=Loan.Status.ISSUED, due_on__lt=today)
        .select_related("entry", "pupil", "pupil__classroom", "classroom")
        .order_by("classroom__grade", "classroom__letter", "pupil__last_name", "pk")
    )
    if classroom_id:
        loans = loans.filter(Q(classroom_id=classroom_id) | Q(pupil__classroom_id=classroom_id))
    return loans


def _group_debtors(loans) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for loan in loans:
        key = ("p", loan.pupil_id) if loan.pupil_id else ("h", loan.holder)
        group = groups.get(key)
        if group is None:
            pupil = loan.pupil
            now = pupil.classroom if pupil and pupil.classroom_id else None
            group = groups[key] = {
                "name": loan.holder_label,
                "classroom": now or loan.classroom,
                "left": bool(pupil and pupil.left_on),
                "loans": [],
                "copies": 0,
            }
        group["loans"].append(loan)
        group["copies"] += loan.copies
    return list(groups.values())


@access.member_required
def debtors(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for_pupils(request.user, pk)
    today = timezone.localdate()
    try:
        class_id = int(request.GET.get("class", "") or 0) or None
    except ValueError:
        class_id = None
    classroom = get_object_or_404(Classroom, pk=class_id, school=school) if class_id else None
    groups = _group_debtors(_debtor_loans(school, class_id, today))
    view = request.GET.get("view", "")
    if view in ("print", "notice"):
        _log_export(
            request,
            ("Уведомления должникам" if view == "notice" else "Список должников")
            + f", {school.short_name}"
            + (f", {classroom.name} класс" if classroom else ""),
            len(groups),
        )
    template = {
        "print": "circulation/debtors_print.html",
        "notice": "circulation/notices.html",
    }.get(view, "circulation/debtors.html")
    classes = Classroom.objects.filter(school=school, year_id=years.start_year_for(today)).order_by(
        "grade", "letter"
    )
    return render(
        request,
        template,
        {
            "school": school, "groups": groups, "classroom": classroom, "today": today,
            "classes": classes, "copies": sum(g["copies"] for g in groups),
            "qs": f"class={class_id}" if class_id else "",
        },
    )  # fmt: skip


@access.member_required
def lost(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for_pupils(request.user, pk)
    loans = list(
        Loan.objects.filter(school=school, status=Loan.Status.LOST)
        .select_related("entry", "pupil", "classroom")
        .order_by("returned_on", "pk")
    )
    form = SettleForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        chosen = {int(x) for x in request.POST.getlist("loan") if x.isdigit()}
        try:
            act, receipt = services.settle_lost(
                school, [ln for ln in loans if ln.pk in chosen],
                replaced=form.cleaned_data["how"] == "replace",
                number=form.cleaned_data["number"], day=form.cleaned_data["date"],
                user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            done = f"Проведён {act}" + (f" и {receipt}" if receipt else "") + "."
            messages.success(request, done)
            return redirect("circulation_lost", school.pk)
    settled = (
        Loan.objects.filter(school=school, status=Loan.Status.SETTLED)
        .select_related("entry", "pupil", "document")
        .order_by("-document__date", "-pk")[:50]
    )
    return render(
        request,
        "circulation/lost.html",
        {"school": school, "loans": loans, "form": form, "settled": settled},
    )


@access.member_required
def staff(request: HttpRequest, pk: int) -> HttpResponse:
    """Books issued to teachers and to classrooms (кабинетный фонд)."""
    school = rules.school_for_pupils(request.user, pk)
    entries = _stock_entries(school)
    form = StaffIssueForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        entry = form.cleaned_data["entry"]
        try:
            services.issue(
                school, entry, form.cleaned_data["copies"], kind=form.cleaned_data["kind"],
                holder=form.cleaned_data["holder"], user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Выдано: «{entry.title}» — {form.cleaned_data['holder']}.")
            return redirect("circulation_staff", school.pk)
    loans = (
        Loan.objects.filter(school=school, pupil__isnull=True, status=Loan.Status.ISSUED)
        .select_related("entry")
        .order_by("holder", "entry__key")
    )
    return render(
        request, "circulation/staff.html", {"school": school, "form": form, "loans": loans}
    )


@access.member_required
def pupils_import(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for_pupils(request.user, pk)
    year = _year(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_pupils(school, year, read_rows(form.cleaned_data["file"]), request.user)
        except ValidationError as exc:
            errors = exc.messages
        except PupilImportError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"Список загружен: новых учащихся — {result.created}, переведено — "
                f"{result.moved}, новых классов — {result.classes}.",
            )
            return redirect(_school_url(school.pk, year))
    return render(
        request,
        "circulation/import.html",
        {"school": school, "form": form, "errors": errors, "year": year},
    )


@access.member_required
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for_pupils(request.user, pk)
    year = _year(request)
    plan = services.promotion_plan(school, year)
    if request.method == "POST":
        targets: dict[int, int | None] = {}
        for step in plan:
            value = request.POST.get(f"target_{step.classroom.pk}", "")
            if value == "skip":
                continue
            targets[step.classroom.pk] = int(value) if value.isdigit() else None
        try:
            made = services.promote(school, year, targets)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Классы на {years.label(year + 1, 'acc')} сформированы (новых: {len(made)}).",
            )
            return redirect(_school_url(school.pk, year + 1))
    has_next = Classroom.objects.filter(school=school, year_id=year + 1).exists()
    return render(
        request,
        "circulation/promote.html",
        {
            "school": school, "year": year, "plan": plan, "has_next": has_next,
            "grades": range(1, 12), "years": _year_choices(year),
        },
    )  # fmt: skip
