from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.consultations import rules, services
from bibliomo.consultations.forms import PublishForm, QuestionForm, RecordedQuestionForm, ReplyForm
from bibliomo.consultations.models import Category, Consultation, Message
from bibliomo.directory.models import AcademicYear
from bibliomo.lib import uploads
from bibliomo.lib.http import paginate, query_string_without_page


@access.member_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    overseer = rules.sees_all(request.user, district.pk)
    rows = rules.visible(request.user, district.pk).select_related("author", "school")
    status = request.GET.get("status", "")
    if status == "open":
        rows = rows.open()
    elif status in Consultation.Status.values:
        rows = rows.filter(status=status)
    category = request.GET.get("category", "")
    if category in Category.values:
        rows = rows.filter(category=category)
    page = paginate(request, rows.order_by("-waiting_since"))
    today = timezone.localdate()
    for c in page:
        c.overdue = c.is_overdue(today)
    return render(
        request,
        "consultations/consultation_list.html",
        {
            "page": page,
            "overseer": overseer,
            "is_head": rules.can_record(request.user, district.pk),
            "status": status,
            "category": category,
            "statuses": Consultation.Status.choices,
            "categories": Category.choices,
            "qs": query_string_without_page(request),
        },
    )


@access.member_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    recorded = rules.can_record(request.user, district.pk) and request.GET.get("recorded") == "1"
    if recorded:
        form = RecordedQuestionForm(request.POST or None, request.FILES or None, district=district)
    else:
        form = QuestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        consultation = form.save(commit=False)
        consultation.district = district
        if not recorded:
            consultation.author = request.user
        services.ask(consultation, recorded_by=request.user if recorded else None)
        messages.success(request, "Вопрос отправлен руководителю ММО.")
        return redirect(consultation)
    return render(
        request, "consultations/consultation_form.html", {"form": form, "recorded": recorded}
    )


@access.member_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = rules.consultation_for(request.user, pk)
    can = rules.actions(request.user, consultation)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        rules.check(can["write"], "Отвечать может руководитель ММО или автор открытого вопроса.")
        if form.is_valid():
            services.reply(
                consultation,
                request.user,
                form.cleaned_data["text"],
                form.cleaned_data.get("attachment"),
            )
            messages.success(request, "Сообщение отправлено.")
            return redirect(consultation)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "c": consultation,
            "thread": consultation.messages.select_related("author"),
            "form": form,
            "can": can,
            "is_head": rules.answers(request.user, consultation),
            "overdue": consultation.is_overdue(),
        },
    )


@require_POST
@access.member_required
def consultation_take(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = rules.consultation_for(request.user, pk)
    rules.check(
        rules.can_take(request.user, consultation),
        "Взять в работу новый вопрос может руководитель ММО.",
    )
    services.take(consultation, request.user)
    messages.success(request, "Вопрос взят в работу.")
    return redirect(consultation)


@require_POST
@access.member_required
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = rules.consultation_for(request.user, pk)
    rules.check(
        rules.can_close(request.user, consultation),
        "Закрыть вопрос может руководитель ММО или автор.",
    )
    services.close(consultation, request.user)
    messages.success(request, "Вопрос закрыт.")
    return redirect(consultation)


@access.member_required
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = rules.consultation_for(request.user, pk)
    rules.check(
        rules.can_publish(request.user, consultation), "Это может сделать руководитель ММО."
    )
    if request.method == "POST" and "unpublish" in request.POST:
        services.unpublish(consultation, request.user)
        messages.success(request, "Вопрос снят с публикации.")
        return redirect(consultation)
    if consultation.is_published:
        initial = {"question": consultation.faq_question, "answer": consultation.faq_answer}
    else:
        question, answer = services.faq_draft(consultation)
        initial = {"question": question, "answer": answer}
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.publish(
            consultation, form.cleaned_data["question"], form.cleaned_data["answer"], request.user
        )
        messages.success(request, "Вопрос и ответ опубликованы в разделе «Вопросы и ответы».")
        return redirect(consultation)
    return render(
        request, "consultations/consultation_publish.html", {"c": consultation, "form": form}
    )


@access.member_required
def consultation_file(request: HttpRequest, pk: int, message_pk: int | None = None) -> HttpResponse:
    consultation = rules.consultation_for(request.user, pk)
    if message_pk is None:
        return uploads.serve(consultation.attachment)
    message = get_object_or_404(Message, pk=message_pk, consultation=consultation)
    return uploads.serve(message.attachment)


@access.member_required
def faq(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    query = request.GET.get("q", "").strip()
    rows = Consultation.objects.filter(district=district, is_published=True)
    category = request.GET.get("category", "")
    if category in Category.values:
        rows = rows.filter(category=category)
    if query:
        rows = rows.search(query)
    return render(
        request,
        "consultations/faq.html",
        {
            "page": paginate(request, rows.order_by("category", "-answered_at")),
            "query": query,
            "category": category,
            "categories": Category.choices,
            "qs": query_string_without_page(request),
        },
    )


@access.require(rules.sees_all)
def consultation_stats(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    # Only the dates are needed: an unsaved instance of a known year will do.
    # Only the dates are needed: an unsaved instance of a known year will do.
    year = AcademicYear(start_year=AcademicYear.objects.parse(request.GET.get("year")))
    known = AcademicYear.objects.known()
    data = services.counts(district.pk, year.start_date, year.end_date)
    months = []
    day = year.start_date
    while day <= year.end_date:
        months.append((day, data["by_month"].get((day.year, day.month), 0)))
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    categories = [(label, data["by_category"].get(value, 0)) for value, label in Category.choices]
    schools = sorted(
        ((name or "без школы", n) for name, n in data["by_school"].items()),
        key=lambda x: (-x[1], x[0]),
    )
    return render(
        request,
        "consultations/consultation_stats.html",
        {
            "year": year,
            "total": data["total"],
            "months": months,
            "categories": categories,
            "schools": schools,
            "previous": year.start_year - 1 if year.start_year - 1 in known else None,
            "following": year.start_year + 1 if year.start_year + 1 in known else None,
        },
    )
