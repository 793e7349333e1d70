"""Demo consultations in every state, one of them published to the FAQ. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.consultations import services
from bibliomo.consultations.models import Category, Channel, Consultation, Message
from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import District

Status = Consultation.Status

# (login of the author, category, channel, subject, question, answer or "", status,
#  when asked: a date of the 2021/2022 plan's year or days ago, published)
QUESTIONS = [
    (
        "librarian1",
        Category.WRITEOFF,
        Channel.WEB,
        "Списание учебников с истёкшим сроком использования",
        "Как оформить акт списания учебников, исключённых из федерального перечня? "
        "Мой телефон для связи +7 (38584) 3-11-01.",
        "Составьте акт списания по причине «истечение предельного срока использования», "
        "укажите приказ, исключивший учебник, и дату предельного срока. Акт утверждает "
        "директор, затем данные вносятся в КСУ (часть 2).",
        Status.CLOSED,
        dt.date(2021, 11, 15),
        True,
    ),
    (
        "librarian2",
        Category.ORDER,
        Channel.PHONE,
        "Заказ учебников для 5 класса",
        "Сколько комплектов учебников заказывать при росте контингента 5 классов?",
        "Потребность считается по прогнозу числа учащихся: 5 класс следующего года — это "
        "нынешний 4 класс. Из потребности вычитается пригодный фонд и поступления по обмену.",
        Status.ANSWERED,
        dt.date(2022, 3, 2),
        False,
    ),
    (
        "librarian3",
        Category.FUND,
        Channel.WEB,
        "Сроки инвентаризации учебного фонда",
        "В какие сроки проводится инвентаризация учебного фонда в этом году?",
        "",
        Status.IN_WORK,
        3,
        False,
    ),
    (
        "librarian1",
        Category.EXCHANGE,
        Channel.EMAIL,
        "Передача учебников в обменный фонд",
        "Можно ли передать излишки учебников литературы в другую школу на время?",
        "",
        Status.NEW,
        12,
        False,
    ),
]


@transaction.atomic
def load() -> None:
    district = District.objects.get(name=DISTRICT)
    head = User.objects.get(username="head")
    now = timezone.now()
    for login, category, channel, subject, question, answer, status, ago, published in QUESTIONS:
        if Consultation.objects.filter(district=district, subject=subject).exists():
            continue
        author = User.objects.get(username=login)
        asked = (
            timezone.make_aware(dt.datetime.combine(ago, dt.time(11)))
            if isinstance(ago, dt.date)
            else now - dt.timedelta(days=ago)
        )
        c = Consultation.objects.create(
            district=district,
            author=author,
            category=category,
            channel=channel,
            subject=subject,
            question=question,
            status=status,
            created_at=asked,
            waiting_since=asked,
            recorded_by=head if channel != Channel.WEB else None,
        )
        if answer:
            Message.objects.create(
                consultation=c,
                author=head,
                text=answer,
                is_answer=True,
                created_at=asked + dt.timedelta(days=1),
            )
            c.answered_at = asked + dt.timedelta(days=1)
        if status == Status.CLOSED:
            c.closed_at = asked + dt.timedelta(days=2)
        if published:
            c.is_published = True
            c.faq_question = (
                "Как оформить акт списания учебников, исключённых из федерального перечня?"
            )
            c.faq_answer = answer
        c.save()
    # The plan item «оказание методической поддержки … по заявкам» counts them.
    services.update_plan_indicator(district.pk, dt.date(2022, 3, 1))
    services.update_plan_indicator(district.pk, timezone.localdate())
