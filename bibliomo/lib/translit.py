"""Cyrillic → Latin transliteration (the passport scheme of Приказ МВД № 889), for
logins and file names."""

from __future__ import annotations

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip


def latin(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        tr = _TABLE.get(low, ch)
        out.append(tr.capitalize() if ch != low and tr else tr)
    return "".join(out)
