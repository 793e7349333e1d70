"""Only the assets the pages use: every icon comes from the one SVG sprite."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_icon_used_is_in_the_sprite_and_no_icon_font_is_left():
    sprite = (ROOT / "static/img/icons.svg").read_text()
    have = set(re.findall(r'<symbol id="([a-z0-9-]+)"', sprite))
    used: set[str] = set()
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        used |= set(re.findall(r'\{% icon "([a-z0-9-]+)"', text))
        assert 'class="bi bi-' not in text, f"{path.name}: иконка шрифтом вместо {{% icon %}}"
    assert used
    assert used <= have, f"нет в static/img/icons.svg: {sorted(used - have)}"
    # Symbols nobody uses only add weight.
    assert have <= used | {"book-half"}, f"лишние символы: {sorted(have - used)}"
    assert not (ROOT / "static/vendor/bootstrap-icons").exists()
    assert not (ROOT / "static/vendor/htmx").exists()
