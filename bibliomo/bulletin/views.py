from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.accounts.models import User
from bibliomo.bulletin import indicators, rules, selectors, services
from bibliomo.bulletin.forms import (
    DocumentForm,
    JointEventForm,
    MaterialForm,
    NewsForm,
    NewsletterForm,
    PartnerForm,
    PublicationForm,
)
from bibliomo.bulletin.models import (
    Attachment,
    Document,
    JointEvent,
    Material,
    News,
    Newsletter,
    Partner,
    Publication,
    tag_filter,
)
from bibliomo.directory.models import AcademicYear
from bibliomo.lib import search, uploads, years
from bibliomo.lib.http import paginate, query_string_without_page


def _is_head(request: HttpRequest) -> bool:
    district = access.current_district(request.user)
    return rules.can_manage(request.user, district.pk if district else None)


def _list_context(request: HttpRequest, items: QuerySet, **extra: Any) -> dict[str, Any]:
    return {
        "page": paginate(request, items, per_page=30),
        "query": request.GET.get("q", "").strip(),
        "qs": query_string_without_page(request),
        "can_manage": _is_head(request),
        **extra,
    }


def _save_files(files: list, **owner: Any) -> None:
    for upload in files:
        Attachment.objects.create(file=upload, name=upload.name, size=upload.size, **owner)


# --- news ----------------------------------------------------------------------------


@access.member_required
def news_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    items = News.objects.filter(district=district).prefetch_related("attachments")
    kind = request.GET.get("kind", "")
    if kind in News.Kind.values:
        items = items.filter(kind=kind)
    if request.GET.get("open") == "1":
        items = items.filter(kind=News.Kind.COMPETITION, deadline__gte=timezone.localdate())
    items = search.filter_words(items, request.GET.get("q", ""))
    return render(
        request,
        "bulletin/news_list.html",
        _list_context(request, items, district=district, kinds=News.Kind.choices, kind=kind),
    )


@access.member_required
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    news = rules.news_for(request.user, pk)
    return render(
        request,
        "bulletin/news_detail.html",
        {"news": news, "attachments": news.attachments.all(), "can_manage": _is_head(request)},
    )


@access.require(rules.can_manage, owner=(News, "district_id"))
def news_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    news = rules.news_for(request.user, pk, edit=True) if pk else None
    form = NewsForm(request.POST or None, request.FILES or None, instance=news, district=district)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if saved.author_id is None:
                saved.author = request.user
            saved.save()
            _save_files(form.cleaned_data["files"], news=saved)
            indicators.news_saved(saved, request.user)
        messages.success(request, f"Новость «{saved.title}» опубликована.")
        return redirect(saved)
    return render(request, "bulletin/news_form.html", {"form": form, "news": news})


@require_POST
@access.require(rules.can_manage, owner=(News, "district_id"))
def news_delete(request: HttpRequest, pk: int) -> HttpResponse:
    news = rules.news_for(request.user, pk, edit=True)
    with transaction.atomic():
        indicators.forget(news)
        news.delete()
    messages.success(request, f"Новость «{news.title}» удалена.")
    return redirect("news_list")


@access.member_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = rules.attachment_for(request.user, pk)
    if attachment.material_id:
        Material.objects.filter(pk=attachment.material_id).update(downloads=F("downloads") + 1)
    return uploads.serve(attachment.file, attachment.name)


@require_POST
@access.member_required
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = rules.attachment_for(request.user, pk, edit=True)
    owner = attachment.news or attachment.material
    attachment.file.delete(save=False)
    attachment.delete()
    messages.success(request, f"Файл «{attachment.name}» удалён.")
    return redirect(owner)


# --- documents -------------------------------------------------------------------------


@access.member_required
def document_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    items = Document.objects.filter(district=district).select_related("replaced_by")
    kind = request.GET.get("kind", "")
    if kind in Document.Kind.values:
        items = items.filter(kind=kind)
    in_force = request.GET.get("in_force") == "1"
    if in_force:
        items = items.filter(status=Document.Status.IN_FORCE)
    tag = request.GET.get("tag", "")
    items = tag_filter(items, tag)
    items = search.filter_words(items, request.GET.get("q", ""))
    return render(
        request,
        "bulletin/document_list.html",
        _list_context(
            request,
            items,
            district=district,
            kinds=Document.Kind.choices,
            kind=kind,
            in_force=in_force,
            tag=tag,
        ),
    )


@access.member_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = rules.document_for(request.user, pk)
    return render(
        request,
        "bulletin/document_detail.html",
        {
            "document": document,
            "replaces": document.replaces.all(),
            "amendments": document.amendments.order_by("date"),
            "can_manage": _is_head(request),
        },
    )


@access.member_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    document = rules.document_for(request.user, pk)
    return uploads.serve(document.file)


@access.require(rules.can_manage, owner=(Document, "district_id"))
def document_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    document = rules.document_for(request.user, pk, edit=True) if pk else None
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document, district=district
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Документ «{saved.reference}» сохранён.")
        return redirect(saved)
    return render(request, "bulletin/document_form.html", {"form": form, "document": document})


# --- newsletters ---------------------------------------------------------------------------


@access.require(rules.can_manage)
def newsletter_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    items = Newsletter.objects.filter(district=district)
    return render(
        request,
        "bulletin/newsletter_list.html",
        _list_context(request, items, district=district),
    )


@access.require(rules.can_manage, owner=(Newsletter, "district_id"))
def newsletter_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    newsletter = rules.newsletter_for(request.user, pk) if pk else None
    if newsletter and newsletter.is_sent:
        messages.error(request, "Отправленную рассылку изменить нельзя.")
        return redirect(newsletter)
    initial = {}
    if newsletter is None and request.GET.get("news"):
        news = rules.news_for(request.user, int(request.GET["news"]))
        initial = {"subject": news.title, "body": news.body, "news": [news.pk]}
    form = NewsletterForm(
        request.POST or None, instance=newsletter, district=district, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if saved.created_by_id is None:
            saved.created_by = request.user
        saved.save()
        form.save_m2m()
        messages.success(request, "Рассылка сохранена. Проверьте письмо и отправьте его.")
        return redirect(saved)
    return render(
        request, "bulletin/newsletter_form.html", {"form": form, "newsletter": newsletter}
    )


@access.require(rules.can_manage, owner=(Newsletter, "district_id"))
def newsletter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    newsletter = rules.newsletter_for(request.user, pk)
    _text, html = services.render_letter(newsletter, request.user)
    recipients = selectors.audience(newsletter)
    return render(
        request,
        "bulletin/newsletter_detail.html",
        {
            "newsletter": newsletter,
            "preview_html": html,
            "recipient_count": recipients.count(),
            "counts": selectors.delivery_counts(newsletter) if newsletter.is_sent else None,
        },
    )


@require_POST
@access.require(rules.can_manage, owner=(Newsletter, "district_id"))
def newsletter_send(request: HttpRequest, pk: int) -> HttpResponse:
    newsletter = rules.newsletter_for(request.user, pk)
    if newsletter.is_sent:
        messages.info(request, "Эта рассылка уже отправлена.")
        return redirect(newsletter)
    result = services.send_newsletter(newsletter, request.user)
    messages.success(
        request,
        f"Писем поставлено в очередь: {result.queued}; "
        f"не отправлено отписавшимся: {result.skipped}.",
    )
    return redirect(newsletter)


@csrf_exempt  # one-click unsubscribe (RFC 8058) is a POST from the mail provider
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the signed token names the person. GET asks, POST unsubscribes (mail
    scanners follow links with GET, so a GET alone changes nothing)."""
    parsed = services.read_unsubscribe_token(token)
    person = User.objects.filter(pk=parsed[0], is_active=True).first() if parsed else None
    if person is None:
        return render(request, "bulletin/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        services.unsubscribe(person, parsed[1])
        done = True
    return render(
        request,
        "bulletin/unsubscribe.html",
        {
            "person": person,
            "done": done,
            "already": not done and not selectors.is_subscribed(person),
        },
    )


@require_POST
@access.member_required
def subscription(request: HttpRequest) -> HttpResponse:
    if request.POST.get("subscribe") == "1":
        services.resubscribe(request.user)
        messages.success(request, "Вы снова получаете рассылки ММО.")
    else:
        services.unsubscribe(request.user)
        messages.success(request, "Вы отписались от рассылок ММО.")
    return redirect("profile")


# --- publications ---------------------------------------------------------------------


def _year_param(request: HttpRequest) -> int:
    return AcademicYear.objects.parse(request.GET.get("year"))


@access.member_required
def publication_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    sees_all = rules.can_see_all_publications(request.user, district.pk)
    start_year = _year_param(request)
    items = selectors.publications_of_year(district.pk, start_year).select_related("author")
    if not sees_all:
        items = items.filter(author=request.user)
    author = request.GET.get("author", "")
    if sees_all and author.isdigit():
        items = items.filter(author_id=int(author))
    venue_kind = request.GET.get("venue_kind", "")
    if venue_kind in Publication.Venue.values:
        items = items.filter(venue_kind=venue_kind)
    items = search.filter_words(items, request.GET.get("q", ""))
    this_year = years.start_year_for(timezone.localdate())
    return render(
        request,
        "bulletin/publication_list.html",
        _list_context(
            request,
            items,
            district=district,
            sees_all=sees_all,
            start_year=start_year,
            year_choices=range(this_year, this_year - 6, -1),
            stats=selectors.publication_stats(district.pk, start_year) if sees_all else None,
            authors=selectors.members_for_filter(district.pk) if sees_all else (),
            author=author,
            venue_kinds=Publication.Venue.choices,
            venue_kind=venue_kind,
            user_id=request.user.pk,
        ),
    )


@access.member_required
def publication_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    publication = rules.publication_for(request.user, pk, edit=True) if pk else None
    form = PublicationForm(
        request.POST or None, request.FILES or None, instance=publication, district=district
    )
    if publication is None:
        form.instance.author = request.user
    old_date = publication.date if publication else None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            indicators.publication_changed(saved, request.user, old_date=old_date)
        messages.success(request, f"Публикация «{saved.title}» сохранена.")
        return redirect("publication_list")
    return render(
        request, "bulletin/publication_form.html", {"form": form, "publication": publication}
    )


@require_POST
@access.member_required
def publication_delete(request: HttpRequest, pk: int) -> HttpResponse:
    publication = rules.publication_for(request.user, pk, edit=True)
    with transaction.atomic():
        publication.delete()
        indicators.publication_changed(publication, request.user)
    messages.success(request, f"Публикация «{publication.title}» удалена.")
    return redirect("publication_list")


@access.member_required
def publication_file(request: HttpRequest, pk: int) -> HttpResponse:
    publication = rules.publication_for(request.user, pk)
    return uploads.serve(publication.file)


# --- materials -----------------------------------------------------------------------------


@access.member_required
def material_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    items = Material.objects.filter(district=district).select_related("author")
    kind = request.GET.get("kind", "")
    if kind in Material.Kind.values:
        items = items.filter(kind=kind)
    grade = request.GET.get("grade", "")
    if grade.isdigit():
        g = int(grade)
        items = items.exclude(grade_from__gt=g).exclude(grade_to__lt=g)
    tag = request.GET.get("tag", "")
    items = tag_filter(items, tag)
    items = search.filter_words(items, request.GET.get("q", ""))
    return render(
        request,
        "bulletin/material_list.html",
        _list_context(
            request,
            items,
            district=district,
            kinds=Material.Kind.choices,
            kind=kind,
            grade=grade,
            grades=range(1, 12),
            tag=tag,
        ),
    )


@access.member_required
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = rules.material_for(request.user, pk)
    return render(
        request,
        "bulletin/material_detail.html",
        {
            "material": material,
            "files": material.files.all(),
            "can_edit": material.author_id == request.user.pk or _is_head(request),
        },
    )


@access.member_required
def material_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    material = rules.material_for(request.user, pk, edit=True) if pk else None
    form = MaterialForm(
        request.POST or None, request.FILES or None, instance=material, district=district
    )
    if material is None:
        form.instance.author = request.user
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            _save_files(form.cleaned_data["files"], material=saved)
        messages.success(request, f"Материал «{saved.title}» сохранён.")
        return redirect(saved)
    return render(request, "bulletin/material_form.html", {"form": form, "material": material})


# --- partners -------------------------------------------------------------------------------


@access.member_required
def partner_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    items = Partner.objects.filter(district=district)
    kind = request.GET.get("kind", "")
    if kind in Partner.Kind.values:
        items = items.filter(kind=kind)
    items = search.filter_words(items, request.GET.get("q", ""))
    items = items.annotate(event_count=Count("events"), last_event=Max("events__date")).order_by(
        "name"
    )
    return render(
        request,
        "bulletin/partner_list.html",
        _list_context(request, items, district=district, kinds=Partner.Kind.choices, kind=kind),
    )


@access.member_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = rules.partner_for(request.user, pk)
    can_manage = rules.can_manage(request.user, partner.district_id)
    form = JointEventForm(request.POST or None, partner=partner)
    if request.method == "POST":
        rules.check(can_manage, "Добавлять совместные мероприятия может руководитель ММО.")
        if form.is_valid():
            with transaction.atomic():
                event = form.save()
                indicators.joint_event_saved(event, request.user)
            messages.success(request, f"Мероприятие «{event.title}» добавлено.")
            return redirect(partner)
    return render(
        request,
        "bulletin/partner_detail.html",
        {
            "partner": partner,
            "events": partner.events.select_related("school", "event"),
            "form": form,
            "can_manage": can_manage,
        },
    )


@access.require(rules.can_manage, owner=(Partner, "district_id"))
def partner_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    partner = rules.partner_for(request.user, pk, edit=True) if pk else None
    form = PartnerForm(request.POST or None, instance=partner, district=district)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Партнёр «{saved.name}» сохранён.")
        return redirect(saved)
    return render(request, "bulletin/partner_form.html", {"form": form, "partner": partner})


@require_POST
@access.require(rules.can_manage, owner=(JointEvent, "partner__district_id"))
def joint_event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.joint_event_for(request.user, pk)
    with transaction.atomic():
        indicators.forget(event)
        event.delete()
    messages.success(request, f"Мероприятие «{event.title}» удалено.")
    return redirect(event.partner)
