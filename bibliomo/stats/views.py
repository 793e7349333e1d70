"""Pages of the library statistics and of professional development."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.directory.models import AcademicYear
from bibliomo.lib import tables, uploads, years
from bibliomo.stats import charts, exports, oo1, rules, services
from bibliomo.stats.forms import CourseForm, FundForm, QualificationForm, ReportForm, fund_initial
from bibliomo.stats.models import Qualification


def default_start_year() -> int:
    """The year whose statistics are due: the current one from May, else the last one."""
    today = timezone.localdate()
    current = years.start_year_for(today)
    return current if 5 <= today.month <= 8 else current - 1


def _year(request: HttpRequest, start_year: int | None = None) -> AcademicYear:
    """The year of ``?year=`` (or of the path); one the system does not know answers the
    plain «no such year» page."""
    raw = request.GET.get("year") if start_year is None else str(start_year)
    default = default_start_year()
    known = AcademicYear.objects.known() | {default}
    return services.year_of(years.parse(raw, known, default))


@access.member_required
def stats_home(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    if rules.can_see_district(request.user, district.pk):
        return redirect("stats_district")
    if request.user.school_id is None:
        raise PermissionDenied("Статистику сдаёт библиотекарь школы.")
    return redirect("stats_report", request.user.school_id, default_start_year())


@access.member_required
def stats_report(request: HttpRequest, school_pk: int, start_year: int) -> HttpResponse:
    school = rules.school_for(request.user, school_pk)
    year = _year(request, start_year)
    report = services.report_for(school, year)
    ledger = services.ledger_lines(school, report.ledger_year)
    values = services.fund_values(report, ledger)
    editable = rules.can_edit_report(request.user, school, report)
    form = ReportForm(instance=report)
    fund_form = FundForm(initial=fund_initial(values), ledger_locked=ledger is not None)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "reopen":
            rules.check(
                rules.can_reopen(request.user, school, report),
                "Вернуть отчёт может руководитель ММО или Управление.",
            )
            services.reopen(report, request.user)
            messages.success(request, "Отчёт возвращён библиотекарю на исправление.")
            return redirect(report.get_absolute_url())
        rules.check(editable, "Изменять этот отчёт нельзя.")
        form = ReportForm(request.POST, instance=report)
        fund_form = FundForm(
            request.POST, initial=fund_initial(values), ledger_locked=ledger is not None
        )
        if form.is_valid() and fund_form.is_valid():
            report = form.save(commit=False)
            services.save_report(report, fund_form.values(), ledger, request.user)
            if action == "submit":
                try:
                    services.submit(report, request.user)
                except ValidationError as exc:
                    for text in exc.messages:
                        messages.error(request, text)
                    messages.info(request, "Черновик сохранён, но отчёт не сдан.")
                else:
                    messages.success(request, "Отчёт сдан.")
            else:
                messages.success(request, "Черновик сохранён.")
            return redirect(report.get_absolute_url())
    if not editable:
        # Each input disabled rather than a disabled fieldset: a fieldset would also take
        # the keyboard's focus from the table's scroll box on a phone.
        for field in [*form.fields.values(), *fund_form.fields.values()]:
            field.disabled = True
    problems = oo1.check(values) if report.pk else []
    return render(
        request,
        "stats/report.html",
        {
            "school": school,
            "year": year,
            "report": report,
            "form": form,
            "fund_form": fund_form,
            "ledger": ledger,
            "editable": editable,
            "can_reopen": report.is_submitted and rules.can_reopen(request.user, school, report),
            "problems": problems,
            "indicators": report.indicators(values) if report.pk else [],
            "previous_year": year.start_year - 1,
            "next_year": year.start_year + 1,
        },
    )


@access.member_required
def stats_report_xlsx(request: HttpRequest, school_pk: int, start_year: int) -> HttpResponse:
    school = rules.school_for(request.user, school_pk)
    year = _year(request, start_year)
    report = services.report_for(school, year)
    values = services.fund_values(report, services.ledger_lines(school, report.ledger_year))
    book = exports.report_workbook(report, values)
    return tables.book_response(
        book, f"ОО-1 раздел 2.6 — {school.short_name} {year.short_label}.xlsx"
    )


# The page keeps to what fits a screen; the XLSX has every indicator.
SHOWN_INDICATORS = ["Читаемость", "Посещаемость", "Книгообеспеченность", "Обновляемость фонда"]
# Soft hyphens let the long words break in a narrow heading.
SHOWN_LABELS = [
    "Читаемость",
    "Посещаемость",
    "Книго\u00adобеспечен\u00adность",
    "Обновля\u00adемость, %",
]


@access.require(rules.can_see_district)
def stats_district(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    year = _year(request)
    table = services.district_table(district, year)
    now, before = table.totals, table.previous_totals
    comparison = [
        (label, getattr(before, name), getattr(now, name), table.change(name))
        for label, name in (
            ("Читателей", "readers"),
            ("Посещений", "visits"),
            ("Книговыдача", "loans"),
            ("Массовых мероприятий", "events"),
        )
    ] + [
        (
            "Фонд на конец года, экз.",
            before.fund["01"]["held"],
            now.fund["01"]["held"],
            oo1.change_percent(now.fund["01"]["held"], before.fund["01"]["held"]),
        )
    ]
    return render(
        request,
        "stats/district.html",
        {
            "year": year,
            "table": table,
            "comparison": comparison,
            "readers_change": table.change("readers"),
            "indicator_names": SHOWN_LABELS,
            "lines": [
                (row, [row.indicator_map().get(n) for n in SHOWN_INDICATORS]) for row in table.rows
            ],
            "total_indicators": [
                {i.name: i.value for i in table.totals.indicators()}.get(n)
                for n in SHOWN_INDICATORS
            ],
            "previous_year": year.start_year - 1,
            "next_year": year.start_year + 1,
        },
    )


@access.require(rules.can_see_district)
def stats_district_xlsx(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    year = _year(request)
    book = exports.district_workbook(services.district_table(district, year))
    return tables.book_response(book, f"Статистика библиотек {year.short_label}.xlsx")


CHARTS = ("provision", "fund-per-reader", "renewal", "readers", "loans")


@csp_exempt()  # an image of its own: pygal's drawing carries its own <style>
@access.require(rules.can_see_district)
def stats_chart(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in CHARTS:
        raise Http404("Нет такой диаграммы")
    district = access.district_or_404(request)
    year = _year(request)
    if kind == "provision":
        from bibliomo.fund.services import provision_by_school

        schools = list(district.schools.filter(is_active=True).order_by("short_name"))
        found = provision_by_school(schools, year.start_year, pairs=False)
        values = [
            (
                s.short_name,
                round(found[s.pk][0].percent, 1)
                if s.pk in found and found[s.pk][0].percent is not None
                else None,
            )
            for s in schools
        ]
        svg = charts.bars_by_school(
            f"Обеспеченность учебниками, % — {year.short_label}", values, " %"
        )
    elif kind in ("readers", "loans"):
        start_years = list(range(year.start_year - 4, year.start_year + 1))
        series = services.district_series(district, start_years)
        label = "Читателей" if kind == "readers" else "Книговыдача"
        svg = charts.lines_over_years(
            f"{label} по годам (сданные отчёты)",
            [years.short_label(y) for y in start_years],
            {label: [getattr(series[y], kind) or None for y in start_years]},
        )
    else:
        table = services.district_table(district, year)
        name = "Книгообеспеченность" if kind == "fund-per-reader" else "Обновляемость фонда"
        values = [
            (row.school.short_name, row.indicator_map().get(name))
            for row in table.rows
            if row.report is not None
        ]
        unit = " %" if kind == "renewal" else ""
        title = (
            f"Книгообеспеченность, экз. на читателя — {year.short_label}"
            if kind == "fund-per-reader"
            else f"Обновляемость фонда, % — {year.short_label}"
        )
        svg = charts.bars_by_school(title, values, unit)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


# --- professional development -------------------------------------------------------------


@access.member_required
def training_home(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    if rules.can_see_district(request.user, district.pk):
        return redirect("training_district")
    return redirect("training_person", request.user.pk)


@access.require(rules.can_see_district)
def training_district(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    year = _year(request)
    rows = services.training_table(district, year.start_year)
    return render(
        request,
        "stats/training_district.html",
        {
            "year": year,
            "rows": rows,
            "outdated": sum(1 for r in rows if r.outdated),
            "previous_year": year.start_year - 1,
            "next_year": year.start_year + 1,
        },
    )


@access.require(rules.can_see_district)
def training_district_xlsx(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    year = _year(request)
    rows = services.training_table(district, year.start_year)
    from bibliomo.accounts.models import PersonalDataExport

    PersonalDataExport.objects.create(
        user=request.user, what="Повышение квалификации библиотекарей (XLSX)", rows=len(rows)
    )
    book = exports.training_workbook(rows, year.start_year)
    return tables.book_response(book, f"Повышение квалификации {year.short_label}.xlsx")


@access.member_required
def training_person(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = rules.person_for(request.user, person_pk)
    can_edit = rules.can_edit_training(request.user, person)
    qualification = Qualification.objects.filter(person=person).first() or Qualification(
        person=person
    )
    q_form = QualificationForm(instance=qualification, prefix="q")
    c_form = CourseForm(prefix="c")
    if request.method == "POST":
        rules.check(can_edit, "Изменять эти сведения может сам библиотекарь или руководитель.")
        if request.POST.get("action") == "course":
            c_form = CourseForm(request.POST, request.FILES, prefix="c")
            if c_form.is_valid():
                course = c_form.save(commit=False)
                course.person = person
                course.save()
                messages.success(request, "Курсы добавлены.")
                return redirect("training_person", person.pk)
        else:
            q_form = QualificationForm(request.POST, instance=qualification, prefix="q")
            if q_form.is_valid():
                q_form.save()
                messages.success(request, "Сведения сохранены.")
                return redirect("training_person", person.pk)
    start_year = years.start_year_for(timezone.localdate())
    return render(
        request,
        "stats/training_person.html",
        {
            "person": person,
            "qualification": qualification,
            "q_form": q_form,
            "c_form": c_form,
            "can_edit": can_edit,
            "courses": person.courses.order_by("-date_to"),
            "events": services.attended_events(person),
            "start_year": start_year,
        },
    )


@require_POST
@login_required
def training_course_delete(request: HttpRequest, pk: int) -> HttpResponse:
    course = rules.course_for(request.user, pk)
    person = course.person
    rules.check(
        rules.can_edit_training(request.user, person),
        "Удалять курсы может сам библиотекарь или руководитель.",
    )
    course.delete()
    messages.success(request, "Курсы удалены.")
    return redirect("training_person", person.pk)


@login_required
def training_course_file(request: HttpRequest, pk: int) -> HttpResponse:
    return uploads.serve(rules.course_for(request.user, pk).file)
