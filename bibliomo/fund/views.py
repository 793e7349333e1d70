"""Pages of the textbook fund: a school's stock, curriculum, enrolment, documents and
reports, and the district's provision. A librarian works on their own school; the head
and the department read every school of the district."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.circulation.selectors import issued_by_entry
from bibliomo.directory.models import AcademicYear, School
from bibliomo.exchange.models import Transfer
from bibliomo.fund import act_docx, calc, exports, reports, rules, services
from bibliomo.fund.calc import Provision
from bibliomo.fund.forms import (
    CurriculumForm,
    DistrictStayShareForm,
    DocumentForm,
    IntakeForm,
    LineForm,
    SchoolStayShareForm,
    WornForm,
)
from bibliomo.fund.models import Document, Enrolment, Holding, Reason
from bibliomo.fund.stock_import import StockImportError, import_stock
from bibliomo.lib import files, history, replica, years
from bibliomo.lib.formfields import UploadForm
from bibliomo.lib.http import paginate, query_string_without_page
from bibliomo.lib.tables import read_rows
from bibliomo.textbooks.models import Curriculum, FederalListEntry

LOW_PROVISION = 90.0  # per cent: below it a school or a pair is marked


def _year(request: HttpRequest) -> int:
    return AcademicYear.objects.parse(request.GET.get("year"))


def _year_choices(year: int) -> list[dict]:
    known = AcademicYear.objects.known() | {year}
    return [{"value": y, "label": years.short_label(y)} for y in sorted(known)]


def _context(request: HttpRequest, school: School, **extra) -> dict:
    return {
        "school": school,
        "can_edit": rules.can_edit(request.user, school),
        **extra,
    }


@access.member_required
def fund_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    district = access.district_or_404(request)
    if not rules.sees_district(user, district.pk) and user.school_id:
        return redirect("fund_school", user.school_id)
    return redirect("fund_district_provision")


@access.member_required
def school_stock(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    query = request.GET.get("q", "").strip()
    entries = FederalListEntry.objects.filter(holdings__school=school, holdings__copies__gt=0)
    if query:
        entries = entries.search(query)
    entries = entries.annotate(
        copies=Sum("holdings__copies", filter=Q(holdings__school=school)),
        worn=Sum("holdings__worn", filter=Q(holdings__school=school)),
        batches=Count("holdings", filter=Q(holdings__school=school, holdings__copies__gt=0)),
    ).order_by("key")
    year = _year(request)
    totals = Holding.objects.filter(school=school, copies__gt=0).aggregate(
        total_copies=Sum("copies"), titles=Count("entry", distinct=True)
    )
    page = paginate(request, entries)
    # The balance is «on the shelf + in pupils' hands»: show both.
    page.object_list = list(page.object_list)
    issued = issued_by_entry(school.pk, [e.pk for e in page.object_list])
    for entry in page.object_list:
        entry.issued = issued.get(entry.pk, 0)
        entry.on_shelf = entry.copies - entry.issued
    totals["issued"] = sum(issued_by_entry(school.pk).values())
    totals["on_shelf"] = (totals["total_copies"] or 0) - totals["issued"]
    return render(
        request,
        "fund/stock.html",
        _context(
            request, school, page=page, query=query, year=year,
            totals=totals, qs=query_string_without_page(request),
        ),
    )  # fmt: skip


# --- curriculum ---------------------------------------------------------------------


@access.member_required
def curriculum(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    year = _year(request)
    form = None
    if request.method == "POST":
        rules.check_edit(request.user, school, "Изменять перечень может только библиотекарь школы.")
    if rules.can_edit(request.user, school):
        form = CurriculumForm(request.POST or None, school=school, year=year)
        if request.method == "POST" and form.is_valid():
            AcademicYear.open(year)
            form.save()
            messages.success(request, "Учебник добавлен в перечень.")
            return redirect(f"{request.path}?year={year}")
    rows = (
        Curriculum.objects.filter(school=school, year_id=year)
        .select_related("entry")
        .order_by("grade", "subject", "entry__key")
    )
    return render(
        request,
        "fund/curriculum.html",
        _context(request, school, rows=rows, year=year, form=form, years=_year_choices(year)),
    )


@require_POST
@access.member_required
def curriculum_delete(request: HttpRequest, pk: int, row_id: int) -> HttpResponse:
    school = rules.school_for(request.user, pk, edit=True)
    row = rules.curriculum_row_for(request.user, school, row_id)
    year = row.year_id
    row.delete()
    messages.success(request, "Строка перечня удалена.")
    return redirect(f"{reverse('fund_curriculum', args=[school.pk])}?year={year}")


@require_POST
@access.member_required
def curriculum_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Start next year's list from this year's: the usual case is few changes."""
    school = rules.school_for(request.user, pk, edit=True)
    year = _year(request)
    AcademicYear.open(year + 1)
    existing = set(
        Curriculum.objects.filter(school=school, year_id=year + 1).values_list(
            "grade", "subject", "entry_id"
        )
    )
    new = [
        Curriculum(
            school=school,
            year_id=year + 1,
            grade=r.grade,
            subject=r.subject,
            entry_id=r.entry_id,
            copies_per_student=r.copies_per_student,
        )
        for r in Curriculum.objects.filter(school=school, year_id=year)
        if (r.grade, r.subject, r.entry_id) not in existing
    ]
    with transaction.atomic():
        for row in new:
            row.save()
    messages.success(request, f"Перенесено строк: {len(new)}.")
    return redirect(f"{reverse('fund_curriculum', args=[school.pk])}?year={year + 1}")


# --- enrolment ----------------------------------------------------------------------


def _enrolment_form(data, rows: dict[int, Enrolment], grades: range) -> forms.Form:
    form = forms.Form(data)
    for grade in grades:
        row = rows.get(grade)
        form.fields[f"classes_{grade}"] = forms.IntegerField(
            min_value=0, max_value=50, required=False, initial=row.classes if row else None
        )
        form.fields[f"students_{grade}"] = forms.IntegerField(
            min_value=0, max_value=2000, required=False, initial=row.students if row else None
        )
    return form


@access.member_required
def enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    year = _year(request)
    rows = {e.grade: e for e in Enrolment.objects.filter(school=school, year_id=year)}
    # Only the grades the school teaches: a basic school (ООШ) has no 10th or 11th.
    grades = school.grades
    form = _enrolment_form(request.POST if request.method == "POST" else None, rows, grades)
    if request.method == "POST":
        rules.check_edit(
            request.user, school, "Изменять контингент может только библиотекарь школы."
        )
        if form.is_valid():
            AcademicYear.open(year)
            with transaction.atomic():
                for grade in grades:
                    students = form.cleaned_data[f"students_{grade}"]
                    classes = form.cleaned_data[f"classes_{grade}"]
                    row = rows.get(grade)
                    if students is None:
                        if row:
                            row.delete()
                        continue
                    row = row or Enrolment(
                        school=school, year_id=year, grade=grade, is_forecast=False
                    )
                    row.students, row.classes = students, classes if classes is not None else 1
                    row.save()
            messages.success(request, f"Контингент на {years.label(year, 'acc')} сохранён.")
            return redirect(f"{request.path}?year={year}")
    grid = [
        {
            "grade": g,
            "row": rows.get(g),
            "classes": form[f"classes_{g}"],
            "students": form[f"students_{g}"],
        }
        for g in grades
    ]
    total = sum(r.students for g, r in rows.items() if g in grades)
    return render(
        request,
        "fund/enrolment.html",
        _context(
            request, school, year=year, grid=grid, total=total, form=form,
            intake_form=IntakeForm(), years=_year_choices(year),
            is_forecast=any(r.is_forecast for r in rows.values()),
            **_stay_context(school, year, rows),
        ),
    )  # fmt: skip


STAY_SOURCES = {
    calc.STAY_SCHOOL: "задана школой",
    calc.STAY_ACTUAL: "по факту прошлого года",
    calc.STAY_DISTRICT: "по умолчанию района",
}


def _stay_context(school: School, year: int, rows: dict[int, Enrolment]) -> dict:
    """The card «Переход из 9 в 10 класс»: the share the forecast from ``year`` uses."""
    if school.last_grade < 10:
        return {"stay": None}
    share = services.stay_shares([school.pk], year)[school.pk]
    ninth = rows.get(9)
    return {
        "stay": {
            "share": share.value,
            "source": STAY_SOURCES[share.source],
            "ninth": ninth.students if ninth else None,
            "tenth": calc.half_up(ninth.students * share.value) if ninth else None,
            "default": school.district.stay_in_10th_default,
            "form": SchoolStayShareForm(instance=school),
        }
    }


@require_POST
@access.member_required
def enrolment_stay_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The school's own 9 → 10 share: set by its librarian, or cleared to be automatic."""
    school = rules.school_for(request.user, pk, edit=True)
    year = _year(request)
    form = SchoolStayShareForm(request.POST, instance=school)
    if not form.is_valid():
        messages.error(request, "Доля переходящих в 10 класс — число от 0 до 1, например 0,6.")
    else:
        history.record_by(school, request.user)
        form.save()
        messages.success(request, "Доля переходящих в 10 класс сохранена.")
    return redirect(f"{reverse('fund_enrolment', args=[school.pk])}?year={year}")


@require_POST
@access.member_required
def enrolment_forecast(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill next year by cohort: grade g next year = grade g−1 now; grade 1 from the intake."""
    school = rules.school_for(request.user, pk, edit=True)
    year = _year(request)
    form = IntakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите ожидаемый набор в 1 класс — целое число.")
        return redirect(f"{reverse('fund_enrolment', args=[school.pk])}?year={year}")
    services.fill_forecast(school, year, form.cleaned_data["intake"])
    messages.success(
        request, f"Прогноз на {years.label(year + 1, 'acc')} заполнен; его можно поправить."
    )
    return redirect(f"{reverse('fund_enrolment', args=[school.pk])}?year={year + 1}")


# --- documents ----------------------------------------------------------------------


@access.member_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    kind = request.GET.get("kind", "")
    docs = (
        Document.objects.filter(school=school)
        .annotate(copies=Sum("lines__copies"), line_count=Count("lines"))
        .order_by("-date", "-pk")
    )
    if kind in Document.Kind.values:
        docs = docs.filter(kind=kind)
    return render(
        request,
        "fund/documents.html",
        _context(
            request,
            school,
            page=paginate(request, docs),
            kind=kind,
            qs=query_string_without_page(request),
        ),
    )


@access.member_required
def document_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    school = rules.school_for(request.user, pk, edit=True)
    if kind not in Document.Kind.values:
        raise PermissionDenied("Неизвестный вид документа.")
    form = DocumentForm(request.POST or None, kind=kind, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        doc = form.save(commit=False)
        doc.school = school
        doc.kind = kind
        doc.save()
        messages.success(
            request,
            f"{doc} {doc.agree('создан', 'создана')}. Добавьте строки и проведите документ.",
        )
        return redirect(doc)
    return render(
        request, "fund/document_form.html", _context(request, school, form=form, kind=kind)
    )


@access.member_required
def document_detail(request: HttpRequest, doc_id: int) -> HttpResponse:
    doc = rules.document_for(request.user, doc_id)
    can_edit = rules.can_edit(request.user, doc.school)
    if request.method == "POST":
        rules.check_edit(
            request.user, doc.school, "Изменять документы может только библиотекарь школы."
        )
    form = None
    if can_edit and not doc.is_posted:
        form = LineForm(request.POST or None, kind=doc.kind)
        if request.method == "POST" and form.is_valid():
            line = form.save(commit=False)
            line.document = doc
            line.save()
            messages.success(request, "Строка добавлена.")
            return redirect(doc)
    lines = doc.lines.select_related("entry").order_by("pk")
    totals = lines.aggregate(copies=Sum("copies"))
    total_sum = sum((line.total for line in lines), start=0)
    reversed_by = Document.objects.filter(reverses=doc).first()
    return render(
        request,
        "fund/document_detail.html",
        _context(
            request,
            doc.school,
            doc=doc,
            lines=lines,
            form=form,
            totals=totals,
            total_sum=total_sum,
            reversed_by=reversed_by,
            unpriced=services.unpriced_lines(doc),
        ),
    )


@require_POST
@access.member_required
def line_delete(request: HttpRequest, doc_id: int, line_id: int) -> HttpResponse:
    doc = rules.document_for(request.user, doc_id, edit=True)
    if doc.is_posted:
        messages.error(
            request, "Проведённый документ не изменяется; его можно только отменить (сторно)."
        )
        return redirect(doc)
    rules.line_for(request.user, doc, line_id).delete()
    messages.success(request, "Строка удалена.")
    return redirect(doc)


@require_POST
@access.member_required
def document_post(request: HttpRequest, doc_id: int) -> HttpResponse:
    doc = rules.document_for(request.user, doc_id, edit=True)
    try:
        services.post(doc, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"{doc} {doc.agree('проведён', 'проведена')}: фонд школы изменён."
        )
    return redirect(doc)


@require_POST
@access.member_required
def document_reverse(request: HttpRequest, doc_id: int) -> HttpResponse:
    doc = rules.document_for(request.user, doc_id, edit=True)
    try:
        mirror = services.reverse(doc, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(doc)
    messages.success(
        request, f"{doc} {doc.agree('отменён', 'отменена')}: проведён обратный документ {mirror}."
    )
    return redirect(mirror)


@require_POST
@access.member_required
def document_delete(request: HttpRequest, doc_id: int) -> HttpResponse:
    doc = rules.document_for(request.user, doc_id, edit=True)
    if doc.is_posted:
        messages.error(request, "Проведённый документ удалить нельзя.")
        return redirect(doc)
    school_id = doc.school_id
    doc.delete()
    messages.success(request, "Черновик удалён.")
    return redirect("fund_documents", school_id)


@access.member_required
def document_act_docx(request: HttpRequest, doc_id: int) -> HttpResponse:
    """The write-off act as DOCX, or as PDF with ``?format=pdf`` (the plan's conversion)."""
    doc = rules.document_for(request.user, doc_id)
    if not rules.can_print_act(doc):
        raise PermissionDenied("Акт списания формируется только для списания.")
    if doc.reason == Reason.TRANSFER:
        # Books passed to another school stay in the state's property: the papers are the
        # act of acceptance and transfer (ОКУД 0504101), not a write-off act.
        transfer = Transfer.objects.filter(writeoff=doc).first()
        if transfer is not None:
            query = "?format=pdf" if request.GET.get("format") == "pdf" else ""
            return redirect(reverse("exchange_act", args=[transfer.pk]) + query)
        raise PermissionDenied(
            "Передача в другую школу оформляется актом приёма-передачи (ОКУД 0504101), "
            "а не актом списания."
        )
    name = f"Акт списания № {doc.number} от {doc.date:%d.%m.%Y}"
    return files.docx_or_pdf(act_docx.writeoff_act(doc), name, request.GET.get("format", "docx"))


@access.member_required
def stock_import(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk, edit=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            doc = import_stock(school, read_rows(form.cleaned_data["file"]), request.user)
        except ValidationError as exc:
            errors = exc.messages
        except StockImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, f"Остатки загружены и проведены: {doc}.")
            return redirect("fund_school", school.pk)
    return render(
        request, "fund/stock_import.html", _context(request, school, form=form, errors=errors)
    )


# --- reports ------------------------------------------------------------------------


@access.member_required
def ksu(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    year = AcademicYear.objects.parse_calendar(request.GET.get("year"))
    report = reports.ksu(school, year)
    if request.GET.get("format") == "xlsx":
        return exports.ksu_xlsx(report)
    return render(
        request,
        "fund/ksu.html",
        _context(
            request,
            school,
            report=report,
            year=year,
            year_choices=range(year - 3, year + 2),
            reason_columns=reports.REASON_COLUMNS,
        ),
    )


@access.member_required
def entry_card(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    entry = get_object_or_404(FederalListEntry, pk=entry_id)
    lines = reports.card(school, entry)
    if request.GET.get("format") == "xlsx":
        return exports.card_xlsx(school, entry, lines)
    batches = Holding.objects.filter(school=school, entry=entry, copies__gt=0).order_by(
        "receipt_year"
    )
    return render(
        request,
        "fund/card.html",
        _context(request, school, entry=entry, lines=lines, batches=batches),
    )


@require_POST
@access.member_required
def mark_worn(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    school = rules.school_for(request.user, pk, edit=True)
    entry = get_object_or_404(FederalListEntry, pk=entry_id)
    form = WornForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("fund_card", school.pk, entry.pk)
    year, worn = form.cleaned_data["receipt_year"], form.cleaned_data["worn"]
    try:
        services.mark_worn(school, entry, year, worn)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Изношенных в партии {year} года: {worn} экз.")
    return redirect("fund_card", school.pk, entry.pk)


def _pair_rows(pairs, next_students: dict[int, int]) -> list[dict]:
    return [
        {
            "pair": p,
            "next_students": next_students.get(p.grade),
            "low": p.percent is not None and p.percent < LOW_PROVISION,
        }
        for p in pairs
    ]


@access.member_required
@replica.report
def school_provision(request: HttpRequest, pk: int) -> HttpResponse:
    school = rules.school_for(request.user, pk)
    year = _year(request)
    total, pairs = services.provision_by_school([school.pk], year).get(school.pk, (None, []))
    next_students = services.students_by_grade([school.pk], year + 1).get(school.pk, {})
    rows = _pair_rows(pairs, next_students)
    if request.GET.get("format") == "xlsx":
        return exports.school_provision_xlsx(school, year, total, rows)
    return render(
        request,
        "fund/provision_school.html",
        _context(
            request,
            school,
            year=year,
            total=total,
            rows=rows,
            years=_year_choices(year),
            low=LOW_PROVISION,
        ),
    )


@access.member_required
@replica.report
def district_provision(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    year = _year(request)
    schools = list(School.objects.filter(district=district, is_active=True).order_by("short_name"))
    visible = {s.pk for s in schools if rules.can_view(request.user, s)}
    by_school = services.provision_by_school(district, year, pairs=False)

    rows, total = [], Provision(0, 0)
    for school in schools:
        prov = by_school.get(school.pk, (Provision(0, 0), []))[0]
        total = total + prov
        low = prov.percent is not None and prov.percent < LOW_PROVISION
        shortage = prov.students - prov.covered
        link = school.pk in visible
        rows.append(
            {"school": school, "prov": prov, "shortage": shortage, "link": link, "low": low}
        )
    if request.GET.get("format") == "xlsx":
        return exports.district_provision_xlsx(district, year, total, rows)
    return render(
        request,
        "fund/provision_district.html",
        {
            "district": district,
            "year": year,
            "rows": rows,
            "total": total,
            "total_shortage": total.students - total.covered,
            "years": _year_choices(year),
            "low": LOW_PROVISION,
            "stay_form": DistrictStayShareForm(instance=district)
            if rules.sees_district(request.user, district.pk)
            else None,
        },
    )


@require_POST
@access.require(rules.sees_district)
def district_stay_share(request: HttpRequest) -> HttpResponse:
    """The district's default 9 → 10 share: the head of the association or the department."""
    district = access.district_or_404(request)
    form = DistrictStayShareForm(request.POST, instance=district)
    if not form.is_valid():
        messages.error(request, "Доля переходящих в 10 класс — число от 0 до 1, например 0,5.")
    else:
        form.save()
        messages.success(request, "Доля переходящих в 10 класс по району сохранена.")
    return redirect("fund_district_provision")
