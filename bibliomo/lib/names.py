"""Russian personal names: «Фамилия Имя Отчество» in documents, «Фамилия И. О.» in lists."""

from __future__ import annotations


def full_name(last: str, first: str, patronymic: str = "") -> str:
    return " ".join(p for p in (last.strip(), first.strip(), patronymic.strip()) if p)


def short_name(last: str, first: str, patronymic: str = "") -> str:
    initials = " ".join(f"{p.strip()[0]}." for p in (first, patronymic) if p and p.strip())
    return f"{last.strip()} {initials}".strip()
