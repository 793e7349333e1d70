"""Case-insensitive search that works for Cyrillic on SQLite and PostgreSQL alike.

SQLite's LIKE folds case for ASCII only, so models keep a normalised copy of their
searchable text (lower case, ё → е, single spaces) and queries are normalised the same
way, then matched word by word with a plain ``contains``.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

Q = TypeVar("Q", bound=Any)  # a queryset: the module itself imports no Django

_SPACES = re.compile(r"\s+")
_QUOTES = re.compile(r"[«»\"'„“”]")


def normalize(*parts: object) -> str:
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    text = _QUOTES.sub(" ", text.casefold().replace("ё", "е"))
    return _SPACES.sub(" ", text).strip()


def words(query: str) -> list[str]:
    return [w for w in normalize(query).split(" ") if w]


def filter_words(queryset: Q, query: str, field: str = "search_text") -> Q:
    """Keep rows whose ``field`` contains every word of ``query``."""
    for word in words(query):
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
