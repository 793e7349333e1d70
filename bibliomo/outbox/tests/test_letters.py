"""Every letter's text comes from a template through ``render_mail``."""

from __future__ import annotations

import ast
from pathlib import Path

from bibliomo.outbox.services import render_mail

APPS = Path(__file__).resolve().parents[2]


def test_a_text_letter_is_not_html_escaped(db, world):
    world.school_a.short_name = 'Школа № 1 "Радуга" & Co'
    text = render_mail(
        "stocktake/email_announced.txt",
        {"school_name": world.school_a.short_name, "campaign": None, "link": "http://x/1"},
    )
    assert text.startswith('Школа «Школа № 1 "Радуга" & Co»')
    assert "&quot;" not in text
    assert "&amp;" not in text


def test_blank_lines_left_by_conditions_fold_into_one():
    text = render_mail("consultations/email_step.txt", {"subject": "Вопрос", "url": "u"})
    assert "\n\n\n" not in text
    assert text.endswith("Открыть: u\n")


def _body_argument(call: ast.Call) -> ast.expr | None:
    if len(call.args) >= 3:
        return call.args[2]
    return next((k.value for k in call.keywords if k.arg == "body"), None)


def test_no_letter_is_written_in_the_code():
    """A letter's wording is for the people who run the district to read and change in
    one place: a body passed to ``queue_mail`` is never an f-string or a literal."""
    written = []
    for path in APPS.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            body = _body_argument(node) if name == "queue_mail" else None
            if isinstance(body, ast.JoinedStr | ast.Constant | ast.BinOp):
                written.append(f"{path.relative_to(APPS)}:{node.lineno}")
    assert written == []
