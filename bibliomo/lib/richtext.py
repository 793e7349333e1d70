"""Text with simple formatting written by users, made safe with nh3.

What survives: paragraphs, line breaks, bold/italic, lists, quotes, small headings and
links (http, https, mailto — opened without a referrer). Everything else (scripts, styles,
event handlers, iframes, javascript: links) is removed. Plain text without tags gets its
paragraphs and line breaks kept.
"""

from __future__ import annotations

import re
from html import unescape

import nh3
from django.utils.html import escape, strip_tags

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_HAS_TAG = re.compile(r"<[a-zA-Z/!]")


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return "".join("<p>" + escape(b).replace("\n", "<br>") + "</p>" for b in blocks)


def clean(text: str) -> str:
    """Safe HTML for |safe output; stored instead of what the user typed."""
    if not text:
        return ""
    if not _HAS_TAG.search(text):
        return _paragraphs(text)
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style"},
    ).strip()


def to_plain(html: str) -> str:
    """The text of sanitised HTML, for e-mail's plain part and for search."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", html or "")
    text = re.sub(r"(?i)</(p|li|h3|h4|blockquote)>", "\n\n", text)
    text = re.sub(r"(?i)<li>", "• ", text)
    plain = strip_tags(text)
    return re.sub(r"\n{3,}", "\n\n", unescape(plain)).strip()
