"""The minutes (протокол) as a DOCX in the usual layout of an organisational document
(ГОСТ Р 7.0.97-2016): heading, date and number, chair, secretary, attendance, agenda, then
«слушали — выступили — решили» for each item, signatures."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bibliomo.events.models import Minutes
from bibliomo.lib import docs


def _person(user) -> str:
    return user.full_name if user else "—"


def _signature_name(user) -> str:
    # In a signature block the initials go first: «И. О. Фамилия».
    if not user:
        return ""
    initials = " ".join(f"{p[0]}." for p in (user.first_name, user.patronymic) if p)
    return f"{initials} {user.last_name}".strip()


def present_count(minutes: Minutes) -> int:
    """Those present: everyone marked as attending, and the chair and the secretary, who
    were there even when nobody ticked them on the list."""
    people = set(
        minutes.event.registrations.filter(attended=True).values_list("person_id", flat=True)
    )
    people |= {p for p in (minutes.chair_id, minutes.secretary_id) if p}
    return len(people)


def minutes_docx(minutes: Minutes) -> bytes:
    event = minutes.event
    agenda = list(event.agenda.select_related("speaker__school"))
    present = present_count(minutes)

    doc = docs.a4_document(14)

    def para(text: str = "", *, bold: bool = False, center: bool = False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        return p

    para(event.district.association_name, bold=True, center=True)
    para()
    para("ПРОТОКОЛ", bold=True, center=True)
    para(f"{minutes.date:%d.%m.%Y}{' ' * 8}№ {minutes.number}")
    if event.place:
        para(event.place)
    para()
    para(f"Заседание: «{event.title}»")
    para(f"Председатель — {_person(minutes.chair)}")
    para(f"Секретарь — {_person(minutes.secretary)}")
    para(f"Присутствовали: {present} чел.")
    if minutes.invited.strip():
        para(f"Приглашённые: {minutes.invited.strip()}")
    para()
    para("ПОВЕСТКА ДНЯ:", bold=True)
    for item in agenda:
        para(f"{item.order}. «{item.topic.rstrip('.')}». Докладчик — {item.speaker_full}.")
    for item in agenda:
        para()
        para(f"{item.order}. СЛУШАЛИ:", bold=True)
        para(f"{item.speaker_full} — «{item.topic.rstrip('.')}». {item.heard}".strip())
        if item.discussed.strip():
            para("ВЫСТУПИЛИ:", bold=True)
            para(item.discussed.strip())
        para("РЕШИЛИ:", bold=True)
        para(item.decision.strip() or "Информацию принять к сведению.")
    para()
    para()
    para(f"Председатель{' ' * 6}__________{' ' * 6}{_signature_name(minutes.chair)}")
    para()
    para(f"Секретарь{' ' * 11}__________{' ' * 6}{_signature_name(minutes.secretary)}")
    return docs.to_bytes(doc)
