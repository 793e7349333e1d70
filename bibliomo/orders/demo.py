"""Demo: an open order campaign for next year in the demo district, a few schools
submitted and one approved. Idempotent.

It uses the demo's curriculum, enrolment and fund. Where the district has none yet, it
first makes a small fictional set of its own (a dozen textbooks, their use by grade, the
students and the stock), so the campaign always has something to show.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, DocumentLine, Enrolment
from bibliomo.lib import years
from bibliomo.orders import services
from bibliomo.orders.models import OrderCampaign
from bibliomo.textbooks.models import Curriculum, FederalListEntry

# (number, subject, title, authors, grades, publisher, parts, price, use_until)
ENTRIES = [
    ("1.1.1.1.1.1.1", "Русский язык", "Русский язык", "Канакина В. П., Горецкий В. Г.", "1",
     "Просвещение", 1, "412.50", None),
    ("1.1.1.1.1.1.2", "Русский язык", "Русский язык", "Канакина В. П., Горецкий В. Г.", "2",
     "Просвещение", 2, "598.00", None),
    ("1.1.1.3.1.1.1", "Математика", "Математика", "Моро М. И., Волкова С. И.", "1",
     "Просвещение", 2, "640.00", None),
    ("1.1.1.3.1.1.2", "Математика", "Математика", "Моро М. И., Бантова М. А.", "2",
     "Просвещение", 2, "655.00", None),
    ("1.1.2.4.1.1.1", "Математика", "Математика", "Виленкин Н. Я., Жохов В. И.", "5",
     "Просвещение", 2, "720.00", None),
    ("1.1.2.4.1.1.2", "Математика", "Математика", "Виленкин Н. Я., Жохов В. И.", "6",
     "Просвещение", 2, "720.00", None),
    ("1.1.2.3.1.1.1", "История", "История. Всеобщая история. История Древнего мира",
     "Вигасин А. А., Годер Г. И.", "5", "Просвещение", 1, "535.00", None),
    ("1.1.2.3.1.9.1", "История", "История Древнего мира (издание 2019 г.)",
     "Михайловский Ф. А.", "5", "Русское слово", 1, None, "until"),
    ("1.1.2.5.1.1.1", "Физика", "Физика", "Перышкин И. М., Иванов А. И.", "7",
     "Просвещение", 1, "610.00", None),
    ("1.1.2.4.2.1.1", "Алгебра", "Алгебра", "Макарычев Ю. Н., Миндюк Н. Г.", "7",
     "Просвещение", 1, "580.00", None),
    ("1.1.2.2.1.1.1", "Английский язык", "Английский язык", "Ваулина Ю. Е., Дули Д.", "5",
     "Просвещение", 1, "690.00", None),
    ("1.1.3.5.1.1.1", "Физика", "Физика", "Мякишев Г. Я., Буховцев Б. Б.", "10-11",
     "Просвещение", 1, "745.00", None),
]  # fmt: skip

OLD_HISTORY, NEW_HISTORY = "1.1.2.3.1.9.1", "1.1.2.3.1.1.1"


def _entries(current: int) -> dict[str, FederalListEntry]:
    result = {}
    for number, subject, title, authors, grades, publisher, parts, price, until in ENTRIES:
        first, _, last = grades.partition("-")
        entry = FederalListEntry.objects.filter(key=number).first()
        if entry is None:
            entry = FederalListEntry.objects.create(
                number=number,
                subject=subject,
                title=title,
                authors=authors,
                grades=grades,
                grade_from=int(first),
                grade_to=int(last or first),
                publisher=publisher,
                parts=parts,
                price=Decimal(price) if price else None,
                status="excluded" if until else "included",
                # Usable this year, not through the next one: its copies expire.
                use_until=dt.date(current + 2, 5, 31) if until else None,
            )
        result[number] = entry
    return result


def _fund_data(district: District, current: int) -> None:
    """A small fictional curriculum, enrolment and stock for the district's schools."""
    entries = _entries(current)
    rnd = random.Random(2024)  # noqa: S311 — repeatable demo figures
    uses = [
        (e.grade_from + i, e)
        for e in entries.values()
        for i in range(e.grade_to - e.grade_from + 1)
    ]
    for school in School.objects.filter(district=district, is_active=True).order_by("pk"):
        size = rnd.choice([8, 12, 15, 20, 25])
        students = {g: max(3, size + rnd.randint(-4, 4)) for g in range(1, 12)}
        for grade, n in students.items():
            Enrolment.objects.get_or_create(
                school=school, year_id=current, grade=grade, defaults={"students": n}
            )
        receipt = Document.objects.create(
            school=school, kind=Document.Kind.RECEIPT, number="ДЕМО-1",
            date=dt.date(current, 9, 1), source="opening", note="Ввод остатков (демо)",
        )  # fmt: skip
        held = {}
        for year in (current, current + 1):
            for grade, entry in uses:
                number = entry.key
                if number == NEW_HISTORY and year == current:
                    continue
                if number == OLD_HISTORY and year == current + 1:
                    continue
                Curriculum.objects.get_or_create(
                    school=school, year_id=year, grade=grade, subject=entry.subject, entry=entry
                )
                if year == current:
                    # The stock served this year's students, give or take a few copies.
                    held[entry.pk] = held.get(entry.pk, 0) + max(
                        0, students[grade] + rnd.randint(-5, 3)
                    )
        DocumentLine.objects.bulk_create(
            DocumentLine(
                document=receipt,
                entry_id=e,
                copies=n,
                price=Decimal("0"),
                receipt_year=current - rnd.randint(0, 4),
            )
            for e, n in held.items()
            if n
        )
        fund.post(receipt)


@transaction.atomic
def load() -> None:
    district = District.objects.filter(name="Каменский район").first()
    if district is None:
        return
    current = years.start_year_for(timezone.localdate())
    target = current + 1
    for y in (current, target):
        AcademicYear.open(y)
    if OrderCampaign.objects.filter(district=district, target_year_id=target).exists():
        return
    if not Curriculum.objects.filter(school__district=district).exists():
        _fund_data(district, current)
    head = User.objects.filter(username="head").first()
    campaign = services.open_campaign(
        district,
        target,
        dt.date(target, 3, 15),
        reserve_percent=Decimal("2"),
        note="Заказы подаются после обмена между школами: "
        "сначала перераспределяем, потом покупаем.",
        user=head,
    )
    librarians = {
        u.school_id: u for u in User.objects.filter(district=district, school__isnull=False)
    }
    # The demo logins' schools first: librarian1's order is approved, librarian2's
    # submitted, librarian3's returned with a comment.
    logins = {
        u.school_id: u.username
        for u in User.objects.filter(username__in=["librarian1", "librarian2", "librarian3"])
    }
    orders = sorted(
        campaign.orders.select_related("school"),
        key=lambda o: (logins.get(o.school_id, "z"), o.school.short_name),
    )
    orders[2:4] = orders[2:4][::-1] if len(orders) > 3 else orders[2:4]
    department = User.objects.filter(username="department").first()
    for i, order in enumerate(orders[:4]):
        user = librarians.get(order.school_id)
        line = order.lines.filter(quantity__gt=0).order_by("entry__key").first()
        if line is not None and i == 0:
            services.update_line(
                line, quantity=line.quantity + 2, reason=line.reason or "other",
                note="Два комплекта в резерв для новых учеников", user=user,
            )  # fmt: skip
        services.submit(order, user, today=min(timezone.localdate(), campaign.deadline))
    if orders:
        services.approve(orders[0], department)
    if len(orders) > 4:
        services.return_order(
            orders[3],
            "Проверьте количество по физике: прогноз 10 класса выше, чем в прошлом году.",
            department,
        )
        order = orders[4]
        order.started_at = timezone.now()
        order.save(update_fields=["started_at"])
