"""A plan from a DOCX with the seed's table (as ``exports.build_docx`` writes it, or as
people type it in Word): header paragraphs, the six-column table with section rows, and
three-column participation tables, sub-items as a nested table in the content cell.

All or nothing: the whole file is read first; any problem is reported in Russian with
the table and row, and nothing is saved.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from bibliomo.accounts.models import User
from bibliomo.directory.models import AcademicYear, District
from bibliomo.lib import history, uploads
from bibliomo.plans import exports
from bibliomo.plans import timing as tm
from bibliomo.plans.models import PlanItem, PlanSection, WorkPlan


class ImportFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ParsedItem:
    number: str
    content: str
    timing: tm.Timing
    responsible: str = ""
    place: str = ""
    expected_result: str = ""
    subitems_title: str = ""
    children: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedSection:
    number: str
    title: str
    layout: str
    items: list[ParsedItem] = field(default_factory=list)


@dataclass
class ParsedPlan:
    title: str = ""
    theme: str = ""
    goal: str = ""
    tasks: list[str] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


def _text(value: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", value).strip()


def _cell_text(cell) -> str:
    # Only the cell's own paragraphs: a nested table's text is read separately.
    return _text("\n".join(p.text for p in cell.paragraphs).strip("\n"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _unique_cells(row) -> list:
    """A row's cells with horizontally merged ones counted once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


_SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*\.?)\s+(.+)$", re.S)


class _Reader:
    def __init__(self) -> None:
        self.plan = ParsedPlan()
        self.errors: list[str] = []
        self.table_no = 0

    def error(self, row: int | None, message: str) -> None:
        where = f"Таблица {self.table_no}" + (f", строка {row}" if row else "")
        self.errors.append(f"{where}: {message}")

    def header(self, paragraphs: list[str]) -> str:
        """Title, theme, goal and tasks; returns the last free paragraph (a heading of a
        participation table that follows)."""
        plan = self.plan
        mode, last = "before", ""
        for text in paragraphs:
            if not text:
                continue
            if mode == "before" and text.lower().startswith("план"):
                mode = "title"
            if text.startswith(exports.THEME_LABEL):
                plan.theme, mode = text[len(exports.THEME_LABEL) :].strip(), "body"
            elif text.startswith(exports.GOAL_LABEL):
                plan.goal, mode = text[len(exports.GOAL_LABEL) :].strip(), "body"
            elif text.startswith(exports.TASKS_LABEL):
                mode = "tasks"
            elif mode == "tasks" and text[:1] in "-–—•":
                plan.tasks.append(text.lstrip("-–—• ").strip())
            elif mode == "title":
                plan.title = f"{plan.title} {text}".strip()
            elif _squash(text) != _squash(exports.CONTENT_HEADING):
                last = text
                if mode == "tasks":
                    mode = "body"
        return last

    def table(self, table: Table, heading: str) -> None:
        self.table_no += 1
        rows = table.rows
        if not rows:
            self.error(None, "таблица пуста")
            return
        headers = [_cell_text(c) for c in _unique_cells(rows[0])]
        if not headers or not headers[0].startswith("№"):
            self.error(1, "первая строка должна быть заголовком таблицы, начиная с графы «№ п/п»")
            return
        if len(headers) == len(exports.FULL_HEADERS):
            layout = PlanSection.Layout.FULL
        elif len(headers) == len(exports.PARTICIPATION_HEADERS):
            layout = PlanSection.Layout.PARTICIPATION
            number, title = _split_heading(heading)
            if not title:
                self.error(None, "перед таблицей участия нет заголовка раздела")
                return
            self.plan.sections.append(ParsedSection(number, title, layout))
        else:
            self.error(
                1,
                f"в таблице {len(headers)} граф, а ожидается 6 (№ п/п, Содержание, "
                "Ответственный, Сроки, Место проведения, Ожидаемый результат) или 3 "
                "(№ п/п, Мероприятия, Сроки)",
            )
            return
        current = self.plan.sections[-1] if layout == PlanSection.Layout.PARTICIPATION else None
        for index, row in enumerate(rows[1:], start=2):
            cells = _unique_cells(row)
            texts = [_cell_text(c) for c in cells]
            if not any(texts):
                continue
            if layout == PlanSection.Layout.FULL and len(cells) == 1:
                number, title = _split_heading(texts[0])
                current = ParsedSection(number, title, layout)
                self.plan.sections.append(current)
                continue
            if len(cells) != len(headers):
                self.error(
                    index, f"{len(cells)} граф вместо {len(headers)} — строка не по форме таблицы"
                )
                continue
            if current is None:
                self.error(index, "пункт стоит до первой строки с названием раздела")
                continue
            item = self.item(index, texts, cells[1], layout)
            if item:
                current.items.append(item)

    def item(self, index: int, texts: list[str], content_cell, layout: str) -> ParsedItem | None:
        number, content = texts[0], texts[1]
        timing_text = texts[3] if layout == PlanSection.Layout.FULL else texts[2]
        if not content:
            self.error(index, "графа «Содержание» пуста")
            return None
        try:
            when = tm.parse(timing_text)
        except ValueError as exc:
            self.error(index, f"графа «Сроки»: {exc}")
            return None
        item = ParsedItem(number=number, content=content, timing=when)
        if layout == PlanSection.Layout.FULL:
            item.responsible, item.place, item.expected_result = texts[2], texts[4], texts[5]
        for nested in content_cell.tables:
            nested_rows = nested.rows
            head = [_cell_text(c) for c in _unique_cells(nested_rows[0])] if nested_rows else []
            if len(head) != 2 or not head[0].startswith("№"):
                self.error(index, "вложенная таблица подпунктов должна иметь графы «№» и тему")
                return None
            item.subitems_title = head[1]
            for sub_index, sub in enumerate(nested_rows[1:], start=2):
                sub_texts = [_cell_text(c) for c in _unique_cells(sub)]
                if len(sub_texts) != 2 or not sub_texts[1]:
                    self.error(index, f"подпункт {sub_index - 1}: нужны номер и текст")
                    return None
                item.children.append((sub_texts[0], sub_texts[1]))
        return item


def _split_heading(text: str) -> tuple[str, str]:
    match = _SECTION_NUMBER.match(text.strip())
    if match:
        return match.group(1), _text(match.group(2))
    return "", _text(text)


def parse_docx(data: bytes, name: str = "") -> ParsedPlan:
    unreadable = ImportFailed(["Файл не читается как документ Word (.docx)."])
    if not data.startswith(b"PK"):
        raise unreadable
    try:
        uploads.check_container(data, name or "план.docx", "документ Word (.docx)")
    except ValidationError as exc:
        raise ImportFailed(exc.messages) from exc
    try:
        document = open_docx(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise unreadable from exc
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged document
        raise ImportFailed(["Файл повреждён: документ Word не удалось прочитать."]) from exc
    reader = _Reader()
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraphs.append(_text(block.text))
        else:
            heading = reader.header(paragraphs)
            paragraphs = []
            reader.table(block, heading)
    if reader.table_no == 0:
        reader.errors.append("В документе нет таблицы плана (№ п/п, Содержание, …, Сроки).")
    elif not reader.plan.sections:
        reader.errors.append("В таблице плана нет ни одного раздела.")
    if reader.errors:
        raise ImportFailed(reader.errors)
    reader.plan.metadata = exports.read_metadata(document)
    return reader.plan


_INDICATOR_WORDS = {
    "публикаци": PlanItem.Indicator.PUBLICATIONS,
    "участник": PlanItem.Indicator.PARTICIPANTS,
    "консультаци": PlanItem.Indicator.CONSULTATIONS,
    "мероприяти": PlanItem.Indicator.EVENTS,
}


def _guess_indicator(result: str) -> str:
    lowered = result.lower()
    if not lowered.startswith("количество"):
        return ""
    return next((kind for stem, kind in _INDICATOR_WORDS.items() if stem in lowered), "")


@transaction.atomic
def save(parsed: ParsedPlan, district: District, year: AcademicYear, user: User) -> WorkPlan:
    plan = WorkPlan(
        district=district,
        year=year,
        title=parsed.title or f"План работы ММО на {year.label('acc')}",
        theme=parsed.theme,
        goal=parsed.goal,
        tasks="\n".join(parsed.tasks),
    )
    history.record_by(plan, user)
    plan.save()
    extra = parsed.metadata.get("items", {}) if isinstance(parsed.metadata, dict) else {}
    people = {u.username: u for u in User.objects.filter(district=district, is_active=True)}
    for s_index, parsed_section in enumerate(parsed.sections):
        section = PlanSection.objects.create(
            plan=plan,
            order=s_index,
            number=parsed_section.number,
            title=parsed_section.title,
            layout=parsed_section.layout,
        )
        for r_index, parsed_item in enumerate(parsed_section.items):
            meta = extra.get(f"{s_index}.{r_index}", {})
            indicator = meta.get("indicator") if isinstance(meta, dict) else None
            if indicator not in PlanItem.Indicator.values:
                indicator = _guess_indicator(parsed_item.expected_result)
            item = PlanItem(
                section=section,
                order=r_index,
                number=parsed_item.number,
                content=parsed_item.content,
                responsible=parsed_item.responsible,
                place=parsed_item.place,
                expected_result=parsed_item.expected_result,
                subitems_title=parsed_item.subitems_title,
                indicator=indicator,
            )
            item.timing = parsed_item.timing
            item.save()
            linked = [people[u] for u in meta.get("people", []) if u in people]
            if linked:
                item.responsible_people.set(linked)
            for c_index, (number, content) in enumerate(parsed_item.children):
                PlanItem.objects.create(
                    section=section, parent=item, order=c_index, number=number, content=content
                )
    return plan


def import_docx(
    upload, district: District, year: AcademicYear, user: User | None = None
) -> WorkPlan:
    """Read the file and create the plan for ``year`` as a draft; ImportFailed lists
    every problem (nothing is saved then)."""
    if WorkPlan.objects.filter(district=district, year=year).exists():
        raise ImportFailed([f"План на {year.label('acc')} уже есть: загрузите файл в другой год."])
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    return save(parse_docx(data, getattr(upload, "name", "") or ""), district, year, user)
