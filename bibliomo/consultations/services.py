"""The consultation lifecycle (новый → в работе → ответ дан → закрыт, reopened by the
librarian's reply), with a letter to the other side at each step, the FAQ and counts."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.consultations.models import Category, Consultation, Message
from bibliomo.lib import history, years
from bibliomo.outbox.services import queue_mail, render_mail

Status = Consultation.Status


def heads_of(district_id: int) -> list[str]:
    return list(
        User.objects.filter(district_id=district_id, role=Role.HEAD, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _notify(consultation: Consultation, to: Iterable[str], event: str) -> None:
    recipients = [e for e in to if e]
    if not recipients:
        return
    subject = {
        "new": "Новый вопрос",
        "in_work": "Вопрос взят в работу",
        "answered": "Дан ответ на вопрос",
        "closed": "Вопрос закрыт",
        "reply": "Новое сообщение по вопросу",
    }[event]
    queue_mail(
        recipients,
        f"{subject}: {consultation.subject}",
        render_mail(
            "consultations/email_step.txt",
            {
                "c": consultation,
                "event": event,
                "subject": subject,
                "url": settings.SITE_URL + consultation.get_absolute_url(),
            },
        ),
    )


def _author_email(consultation: Consultation) -> list[str]:
    return [consultation.author.email]


def ask(consultation: Consultation, *, recorded_by: User | None = None) -> Consultation:
    """Save a new question (from the site, or recorded by the head from a call or letter)."""
    with transaction.atomic():
        consultation.status = Status.NEW
        consultation.created_at = consultation.waiting_since = timezone.now()
        consultation.recorded_by = recorded_by
        consultation.save()
        update_plan_indicator(consultation.district_id, timezone.localdate(consultation.created_at))
        _notify(consultation, heads_of(consultation.district_id), "new")
        if recorded_by is not None and recorded_by != consultation.author:
            _notify(consultation, _author_email(consultation), "new")
    return consultation


def take(consultation: Consultation, user: User) -> None:
    """The head starts on a new question; one already in work, answered or closed stays
    as it is (a closed question is never reopened this way)."""
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.status != Status.NEW:
            raise PermissionDenied("Взять в работу можно только новый вопрос.")
        consultation.status = Status.IN_WORK
        history.record_by(consultation, user)
        consultation.save(update_fields=["status"])
        _notify(consultation, _author_email(consultation), "in_work")


def reply(consultation: Consultation, user: User, text: str, attachment=None) -> Message:
    """A message from either side. The head's is the answer; the author's reopens."""
    with transaction.atomic():
        from_author = user.pk == consultation.author_id
        message = Message.objects.create(
            consultation=consultation,
            author=user,
            text=text,
            attachment=attachment or "",
            is_answer=not from_author,
        )
        history.record_by(consultation, user)
        if from_author:
            if consultation.status != Status.NEW:
                consultation.status = Status.IN_WORK
            consultation.waiting_since = timezone.now()
            consultation.save()
            _notify(consultation, heads_of(consultation.district_id), "reply")
        else:
            consultation.status = Status.ANSWERED
            consultation.answered_at = timezone.now()
            consultation.save()
            _notify(consultation, _author_email(consultation), "answered")
    return message


def close(consultation: Consultation, user: User) -> None:
    with transaction.atomic():
        consultation.status = Status.CLOSED
        consultation.closed_at = timezone.now()
        history.record_by(consultation, user)
        consultation.save()
        recipients = _author_email(consultation)
        if user.pk == consultation.author_id:
            recipients = heads_of(consultation.district_id)
        _notify(consultation, recipients, "closed")


# --- FAQ -------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b")
HIDDEN = "[…]"


def anonymize(text: str, names: Iterable[str]) -> str:
    """Remove e-mails, phones and the given names (people, schools) from ``text``."""
    text = _EMAIL.sub(HIDDEN, text)
    text = _PHONE.sub(HIDDEN, text)
    for name in sorted({n for n in names if n and len(n) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), HIDDEN, text, flags=re.IGNORECASE)
    return text


def _personal_names(consultation: Consultation) -> list[str]:
    names: list[str] = []
    people = {consultation.author, *(m.author for m in consultation.messages.all())}
    for person in people:
        names += [person.full_name, person.short_name, person.last_name]
        names.append(f"{person.first_name} {person.patronymic}".strip())
    if consultation.school is not None:
        names += [consultation.school.short_name, consultation.school.full_name]
    return names


def faq_draft(consultation: Consultation) -> tuple[str, str]:
    names = _personal_names(consultation)
    answers = [m.text for m in consultation.messages.all() if m.is_answer]
    return anonymize(consultation.question, names), anonymize("\n\n".join(answers), names)


def publish(consultation: Consultation, question: str, answer: str, user: User) -> None:
    consultation.faq_question = anonymize(question, _personal_names(consultation))
    consultation.faq_answer = anonymize(answer, _personal_names(consultation))
    consultation.is_published = True
    history.record_by(consultation, user)
    consultation.save()


def unpublish(consultation: Consultation, user: User) -> None:
    consultation.is_published = False
    history.record_by(consultation, user)
    consultation.save()


# --- counts ----------------------------------------------------------------------------


def counts(district_id: int, start, end) -> dict:
    """Questions of the period by category, month and school."""
    rows = Consultation.objects.filter(
        district_id=district_id, created_at__date__gte=start, created_at__date__lte=end
    )
    by_category = Counter(
        dict(rows.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
    )
    by_month: Counter[tuple[int, int]] = Counter()
    for year, month, n in (
        rows.annotate(y=ExtractYear("created_at"), m=ExtractMonth("created_at"))
        .values_list("y", "m")
        .annotate(n=Count("pk"))
        .values_list("y", "m", "n")
    ):
        by_month[(year, month)] += n
    by_school = Counter(
        dict(
            rows.values_list("school__short_name")
            .annotate(n=Count("pk"))
            .values_list("school__short_name", "n")
        )
    )
    return {
        "total": rows.count(),
        "by_category": by_category,
        "by_month": by_month,
        "by_school": by_school,
    }


def update_plan_indicator(district_id: int, day: dt.date) -> list:
    """The year's count of questions as the indicator of the plan items measured by
    consultations («оказание методической поддержки … по заявкам библиотекарей»): one
    record per item, updated with every new question."""
    from bibliomo.plans.models import ExecutionStatus, PlanItem
    from bibliomo.plans.services import find_items, record_execution

    start, end = years.bounds(years.start_year_for(day))
    today = timezone.localdate()
    data = counts(district_id, start, end)
    parts = [
        f"{label.lower()} — {data['by_category'][value]}"
        for value, label in Category.choices
        if data["by_category"].get(value)
    ]
    note = f"Консультаций по заявкам библиотекарей: {data['total']}" + (
        f" ({'; '.join(parts)})." if parts else "."
    )
    records = []
    for item in find_items(district_id, start, PlanItem.Indicator.CONSULTATIONS):
        records.append(
            record_execution(
                item,
                date=min(today, end),
                status=ExecutionStatus.DONE if today > end else ExecutionStatus.IN_PROGRESS,
                note=note,
                indicator_value=data["total"],
                source=item,
            )
        )
    return records
