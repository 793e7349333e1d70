from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from bibliomo.consultations import rules, services
from bibliomo.consultations.models import Category, Consultation
from bibliomo.lib import apihelpers
from bibliomo.lib.apihelpers import PageNumberPagination

router = Router(tags=["Консультации"])


class MessageOut(Schema):
    author_id: int
    text: str
    is_answer: bool
    created_at: dt.datetime


class ConsultationOut(Schema):
    id: int
    author_id: int
    school_id: int | None
    category: str
    channel: str
    subject: str
    question: str
    status: str
    created_at: dt.datetime
    due_date: dt.date
    overdue: bool
    is_published: bool

    @staticmethod
    def resolve_overdue(obj: Consultation) -> bool:
        return obj.is_overdue()


class ConsultationDetailOut(ConsultationOut):
    messages: list[MessageOut]

    @staticmethod
    def resolve_messages(obj: Consultation):
        return list(obj.messages.all())


class FaqOut(Schema):
    id: int
    category: str
    subject: str
    question: str
    answer: str

    @staticmethod
    def resolve_question(obj: Consultation) -> str:
        return obj.faq_question

    @staticmethod
    def resolve_answer(obj: Consultation) -> str:
        return obj.faq_answer


class QuestionIn(Schema):
    category: str
    subject: str
    question: str


class MessageIn(Schema):
    text: str


@router.get(
    "/consultations",
    response=list[ConsultationOut],
    summary="Консультации: свои (библиотекарь) или все района (руководитель, Управление)",
)
@paginate(PageNumberPagination, page_size=100)
def list_consultations(request: HttpRequest, status: str = ""):
    district_id = apihelpers.district_id(request)
    rows = rules.visible(request.user, district_id).order_by("-created_at")
    return rows.filter(status=status) if status else rows


@router.get("/consultations/faq", response=list[FaqOut], summary="Вопросы и ответы (поиск)")
@paginate(PageNumberPagination, page_size=100)
def faq(request: HttpRequest, q: str = ""):
    rows = Consultation.objects.filter(
        district_id=apihelpers.district_id(request), is_published=True
    )
    return rows.search(q) if q else rows


@router.get(
    "/consultations/{consultation_id}", response=ConsultationDetailOut, summary="Консультация"
)
def get_consultation(request: HttpRequest, consultation_id: int):
    return rules.consultation_for(request.user, consultation_id)


@router.post("/consultations", response={201: ConsultationOut}, summary="Задать вопрос")
def ask(request: HttpRequest, payload: QuestionIn):
    if payload.category not in Category.values:
        raise HttpError(422, "category: неизвестная тема вопроса.")
    if not payload.subject.strip() or not payload.question.strip():
        raise HttpError(422, "subject, question: заполните тему и текст вопроса.")
    consultation = Consultation(
        district_id=apihelpers.district_id(request), author=request.user, **payload.dict()
    )
    return 201, services.ask(consultation)


@router.post(
    "/consultations/{consultation_id}/messages",
    response={201: ConsultationOut},
    summary="Ответ руководителя или сообщение автора",
)
def post_message(request: HttpRequest, consultation_id: int, payload: MessageIn):
    consultation = rules.consultation_for(request.user, consultation_id)
    if not rules.is_party(request.user, consultation):
        raise HttpError(403, "Отвечать может руководитель ММО или автор вопроса.")
    if not rules.can_write(request.user, consultation):
        raise HttpError(409, "Вопрос закрыт.")
    services.reply(consultation, request.user, payload.text)
    return 201, consultation


@router.post(
    "/consultations/{consultation_id}/take",
    response=ConsultationOut,
    summary="Взять новый вопрос в работу (руководитель ММО)",
)
def take(request: HttpRequest, consultation_id: int):
    consultation = rules.consultation_for(request.user, consultation_id)
    rules.check(
        rules.can_take(request.user, consultation),
        "Взять в работу новый вопрос может руководитель ММО.",
    )
    services.take(consultation, request.user)
    return consultation


@router.post(
    "/consultations/{consultation_id}/close",
    response=ConsultationOut,
    summary="Закрыть вопрос (руководитель ММО или автор)",
)
def close(request: HttpRequest, consultation_id: int):
    consultation = rules.consultation_for(request.user, consultation_id)
    rules.check(
        rules.can_close(request.user, consultation),
        "Закрыть вопрос может руководитель ММО или автор.",
    )
    services.close(consultation, request.user)
    return consultation
