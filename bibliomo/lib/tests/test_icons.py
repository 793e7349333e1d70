"""Every icon a template asks for is in the one sprite, and no page asks for the old font."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SPRITE = Path(settings.BASE_DIR) / "static" / "img" / "icons.svg"


def _templates() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in TEMPLATES.rglob("*.html")]


def test_every_icon_used_is_in_the_sprite():
    symbols = set(re.findall(r'<symbol id="([a-z0-9-]+)"', SPRITE.read_text(encoding="utf-8")))
    used = {
        (path.relative_to(TEMPLATES).as_posix(), name)
        for path, text in _templates()
        for name in re.findall(r'{%\s*icon\s+"([a-z0-9-]+)"', text)
    }
    missing = sorted(f"{where}: {name}" for where, name in used if name not in symbols)
    assert missing == []
    assert len(used) > 20  # the scan found the templates' icons


def test_no_template_uses_the_icon_font():
    font = sorted(
        path.relative_to(TEMPLATES).as_posix()
        for path, text in _templates()
        if re.search(r'<i class="bi bi-', text)
    )
    assert font == []
