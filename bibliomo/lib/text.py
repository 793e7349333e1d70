"""Text as stored: without control characters.

A control character (a stray byte pasted from another program, or typed on purpose) is
invisible on a page but breaks XML — the RSS/Atom feeds, DOCX and XLSX files — for
everyone. Pure functions: no Django.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; the two
# non-characters and lone surrogates that XML 1.0 forbids.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\r\n]+")


def strip_control(text: str, *, multiline: bool = True) -> str:
    """``text`` without control characters; a one-line text (``multiline=False``) also
    has its tabs and line breaks turned into spaces."""
    text = _CONTROL.sub("", text)
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    return text
