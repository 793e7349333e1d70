from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bibliomo.consultations import services, workdays
from bibliomo.consultations.models import Category, Channel, Consultation
from bibliomo.directory.models import AcademicYear

Status = Consultation.Status
TZ = zoneinfo.ZoneInfo("Asia/Barnaul")


@pytest.fixture
def question(world):
    def _make(author=None, **fields) -> Consultation:
        author = author or world.librarian
        c = Consultation(
            district=world.district,
            author=author,
            category=fields.pop("category", Category.WRITEOFF),
            subject=fields.pop("subject", "Списание учебников"),
            question=fields.pop("question", "Как списать учебники?"),
            **fields,
        )
        return services.ask(c)

    return _make


# --- working days ----------------------------------------------------------------------


def test_friday_question_is_due_after_the_weekend():
    friday = dt.date(2022, 3, 18)
    assert workdays.add_working_days(friday, 3) == dt.date(2022, 3, 23)  # Wednesday
    assert not workdays.is_overdue(friday, 3, dt.date(2022, 3, 23))
    assert workdays.is_overdue(friday, 3, dt.date(2022, 3, 24))


def test_saturday_question_counts_from_monday():
    assert workdays.add_working_days(dt.date(2022, 3, 19), 1) == dt.date(2022, 3, 21)


def test_public_holidays_are_not_working_days():
    # 30.12.2021 (Thursday) + 3 working days: 31.12.2021 was a transferred day off, then
    # the New Year holidays; work resumed on 10.01.2022.
    assert workdays.add_working_days(dt.date(2021, 12, 30), 3) == dt.date(2022, 1, 12)
    assert not workdays.is_working_day(dt.date(2022, 3, 8))


@pytest.mark.parametrize(
    ("asked", "due"),
    [
        # 01.11.2025 (Saturday) was a working day; 03.11 and 04.11 were days off.
        (dt.date(2025, 10, 30), dt.date(2025, 11, 5)),
        # 28.12.2024 (Saturday) was a working day; 30.12.2024–08.01.2025 were days off.
        (dt.date(2024, 12, 26), dt.date(2025, 1, 9)),
    ],
)
def test_transferred_working_saturdays_count(asked, due):
    assert workdays.add_working_days(asked, 3) == due


def test_transferred_working_saturday_is_a_working_day():
    assert workdays.is_working_day(dt.date(2025, 11, 1))
    assert not workdays.is_working_day(dt.date(2025, 11, 3))


def test_overdue_uses_the_setting_and_stops_when_answered(world, question, settings):
    settings.CONSULTATION_ANSWER_DAYS = 2
    c = question()
    c.waiting_since = dt.datetime(2022, 3, 18, 17, tzinfo=TZ)  # Friday
    c.save()
    assert c.due_date == dt.date(2022, 3, 22)
    assert not c.is_overdue(dt.date(2022, 3, 22))
    assert c.is_overdue(dt.date(2022, 3, 23))
    services.reply(c, world.head, "Ответ")
    assert not c.is_overdue(dt.date(2022, 3, 23))


# --- lifecycle -------------------------------------------------------------------------


def test_lifecycle_with_a_letter_at_each_step(world, question):
    c = question()
    assert [m.to for m in mail.outbox] == [[world.head.email]]
    assert "Новый вопрос" in mail.outbox[0].subject
    services.take(c, world.head)
    assert c.status == Status.IN_WORK and mail.outbox[-1].to == [world.librarian.email]
    services.reply(c, world.head, "Составьте акт списания.")
    assert c.status == Status.ANSWERED and c.answered_at is not None
    assert "Дан ответ" in mail.outbox[-1].subject and mail.outbox[-1].to == [world.librarian.email]
    # the librarian's reply reopens the question and restarts the clock
    before = c.waiting_since
    services.reply(c, world.librarian, "А если учебник утерян?")
    assert c.status == Status.IN_WORK and c.waiting_since > before
    assert mail.outbox[-1].to == [world.head.email]
    services.reply(c, world.head, "Тогда — по причине «утрата».")
    services.close(c, world.head)
    assert c.status == Status.CLOSED and mail.outbox[-1].to == [world.librarian.email]
    assert len(mail.outbox) == 6
    assert c.history.first().history_user == world.head


def test_head_records_a_phone_question(world, login):
    response = login(world.head).post(
        reverse("consultation_create") + "?recorded=1",
        {
            "author": world.librarian_b.pk,
            "channel": Channel.PHONE,
            "category": Category.ORDER,
            "subject": "Заказ",
            "question": "Сколько заказывать?",
        },
    )
    assert response.status_code == 302
    c = Consultation.objects.get()
    assert (c.author, c.school, c.channel, c.recorded_by) == (
        world.librarian_b,
        world.school_b,
        Channel.PHONE,
        world.head,
    )
    assert {tuple(m.to) for m in mail.outbox} == {(world.head.email,), (world.librarian_b.email,)}


def test_librarian_cannot_record_for_someone_else(world, login):
    login(world.librarian).post(
        reverse("consultation_create") + "?recorded=1",
        {
            "author": world.librarian_b.pk,
            "channel": Channel.PHONE,
            "category": Category.ORDER,
            "subject": "Заказ",
            "question": "Сколько заказывать?",
        },
    )
    c = Consultation.objects.get()
    assert c.author == world.librarian and c.channel == Channel.WEB


def test_permissions(world, login, question):
    c = question()
    url = reverse("consultation_detail", args=[c.pk])
    assert login(world.librarian).get(url).status_code == 200
    assert login(world.librarian_b).get(url).status_code == 403
    assert login(world.department).get(url).status_code == 200
    assert login(world.outsider).get(url).status_code == 404
    # the other librarian can neither answer nor close
    login(world.librarian_b).post(url, {"text": "Влезаю"})
    assert not c.messages.exists()
    assert (
        login(world.librarian_b).post(reverse("consultation_close", args=[c.pk])).status_code == 403
    )
    assert login(world.librarian).post(reverse("consultation_take", args=[c.pk])).status_code == 403
    # the list shows a librarian only their own questions
    question(author=world.librarian_b, subject="Чужой вопрос")
    page = login(world.librarian).get(reverse("consultation_list")).content.decode()
    assert "Списание учебников" in page and "Чужой вопрос" not in page
    page = login(world.department).get(reverse("consultation_list")).content.decode()
    assert "Списание учебников" in page and "Чужой вопрос" in page


def test_answer_with_attachment_is_served_only_to_those_who_may_see(
    world, login, question, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    c = question()
    upload = SimpleUploadedFile("образец.txt", "Акт списания".encode(), "text/plain")
    login(world.head).post(
        reverse("consultation_detail", args=[c.pk]), {"text": "Образец", "attachment": upload}
    )
    message = c.messages.get()
    assert message.is_answer
    url = reverse("consultation_message_file", args=[c.pk, message.pk])
    response = login(world.librarian).get(url)
    assert b"".join(response.streaming_content).decode() == "Акт списания"
    assert login(world.librarian_b).get(url).status_code == 403


def test_overdue_stands_out_for_the_head(world, login, question, settings):
    settings.CONSULTATION_ANSWER_DAYS = 1
    late = question(subject="Старый вопрос")
    late.waiting_since = timezone.now() - dt.timedelta(days=10)
    late.save()
    question(subject="Свежий вопрос")
    page = login(world.head).get(reverse("consultation_list")).content.decode()
    assert page.count("consultation-overdue") == 1
    assert "просрочен" in page


def test_list_query_count_is_bounded(world, login, question, django_assert_max_num_queries):
    for n in range(40):
        question(subject=f"Вопрос {n}")
    client = login(world.head)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("consultation_list"))
    assert response.content.decode().count("Вопрос ") >= 40


# --- FAQ -------------------------------------------------------------------------------


def test_anonymize_removes_personal_details():
    text = (
        "Кузнецова Ольга Петровна из «Каменской СОШ № 1» (olga@example.org, "
        "+7 (38584) 3-11-01, 8 913 123-45-67) спрашивает."
    )
    clean = services.anonymize(text, ["Кузнецова Ольга Петровна", "Кузнецова", "Каменской СОШ № 1"])
    assert "Кузнецова" not in clean and "olga@" not in clean and "123-45-67" not in clean
    assert clean.count(services.HIDDEN) >= 4


def test_publish_strips_names_and_faq_search_is_cyrillic_and_case_insensitive(
    world, login, question
):
    c = question(
        subject="СПИСАНИЕ учебников",
        question="Я, Кузнецова, из школы Каменская СОШ № 1: как списать?",
    )
    services.reply(c, world.head, "Кузнецова Тест, составьте акт. Звоните 8 913 123-45-67.")
    response = login(world.head).get(reverse("consultation_publish", args=[c.pk]))
    form_html = response.content.decode()
    assert "Кузнецова" not in form_html.split("<form", 1)[1]
    login(world.head).post(
        reverse("consultation_publish", args=[c.pk]),
        {"question": "Кузнецова спрашивает: как списать?", "answer": "Составьте акт."},
    )
    c.refresh_from_db()
    assert c.is_published and "Кузнецова" not in c.faq_question
    for query in ("списание", "Списание", "СПИСАНИЕ УЧЕБНИКОВ", "акт"):
        page = login(world.librarian_b).get(reverse("consultation_faq"), {"q": query})
        assert "Составьте акт." in page.content.decode(), query
    page = login(world.librarian_b).get(reverse("consultation_faq"), {"q": "инвентаризация"})
    assert "Составьте акт." not in page.content.decode()
    page = login(world.outsider).get(reverse("consultation_faq"), {"q": "списание"})
    assert "Составьте акт." not in page.content.decode()


def test_only_the_head_publishes(world, login, question):
    c = question()
    response = login(world.department).post(
        reverse("consultation_publish", args=[c.pk]), {"question": "в", "answer": "о"}
    )
    assert response.status_code == 403
    c.refresh_from_db()
    assert not c.is_published


# --- counts ----------------------------------------------------------------------------


def test_counts_by_category_month_and_school(world, login, question):
    for author, category, day in [
        (world.librarian, Category.WRITEOFF, dt.datetime(2021, 10, 5, 12, tzinfo=TZ)),
        (world.librarian, Category.ORDER, dt.datetime(2022, 3, 1, 12, tzinfo=TZ)),
        (world.librarian_b, Category.ORDER, dt.datetime(2022, 3, 31, 12, tzinfo=TZ)),
        (world.librarian_b, Category.ORDER, dt.datetime(2022, 9, 1, 12, tzinfo=TZ)),  # next year
    ]:
        c = question(author=author, category=category)
        Consultation.objects.filter(pk=c.pk).update(created_at=day)
    question(author=world.outsider)  # another district
    data = services.counts(world.district.pk, dt.date(2021, 9, 1), dt.date(2022, 8, 31))
    assert data["total"] == 3
    assert data["by_category"] == {Category.WRITEOFF: 1, Category.ORDER: 2}
    assert data["by_month"] == {(2021, 10): 1, (2022, 3): 2}
    assert data["by_school"] == {"Каменская СОШ № 1": 2, "Луговская СОШ": 1}
    AcademicYear.open(2021)
    page = login(world.department).get(reverse("consultation_stats"), {"year": 2021})
    assert "Всего вопросов: <strong>3</strong>" in page.content.decode()
    assert login(world.librarian).get(reverse("consultation_stats")).status_code == 403


def test_question_with_a_disguised_file_is_rejected_and_nothing_saved(
    world, login, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("акт.docx", b"MZ\x90\x00 executable", "application/octet-stream")
    response = login(world.librarian).post(
        reverse("consultation_create"),
        {
            "category": Category.WRITEOFF,
            "subject": "Акт",
            "question": "Проверьте акт",
            "attachment": fake,
        },
    )
    assert response.status_code == 200
    assert "не соответствует расширению" in response.content.decode()
    assert not Consultation.objects.exists() and not mail.outbox
