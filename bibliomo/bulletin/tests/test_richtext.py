import pytest
from django.urls import reverse

from bibliomo.bulletin.models import Material, News
from bibliomo.lib import richtext

HOSTILE = (
    '<p onclick="steal()">Привет<script>alert(1)</script></p>'
    '<a href="javascript:alert(2)">ссылка</a>'
    '<a href="https://akipkro.ru/" target="_blank">АКИПКРО</a>'
    '<img src="x" onerror="alert(3)">'
    '<iframe src="https://evil.example"></iframe>'
    "<style>body{display:none}</style>"
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>'
    '<svg onload="alert(4)"><circle/></svg>'
    "<strong>важно</strong><ul><li>пункт</li></ul>"
)


def test_hostile_html_is_neutralised():
    clean = richtext.clean(HOSTILE)
    for bad in (
        "<script",
        "alert",
        "onclick",
        "onerror",
        "onload",
        "javascript:",
        "<iframe",
        "<style",
        "<img",
        "<svg",
        "data:text",
        "target=",
    ):
        assert bad not in clean, bad
    # Allowed formatting survives; links lose the referrer.
    assert "<strong>важно</strong>" in clean
    assert "<li>пункт</li>" in clean
    assert '<a href="https://akipkro.ru/" rel="noopener noreferrer nofollow">АКИПКРО</a>' in clean
    assert "Привет" in clean


def test_plain_text_keeps_paragraphs_and_is_escaped():
    assert richtext.clean("Строка 1\nСтрока 2\n\nАбзац & <3") == (
        "<p>Строка 1<br>Строка 2</p><p>Абзац &amp; &lt;3</p>"
    )
    assert richtext.to_plain("<p>a &amp; b</p><ul><li>x</li></ul>") == "a & b\n\n• x"


@pytest.mark.parametrize("model", [News, Material])
def test_models_store_only_sanitised_html(world, model):
    extra = (
        {"kind": News.Kind.NEWS, "title": "t", "body": HOSTILE}
        if model is News
        else {
            "kind": Material.Kind.QUEST,
            "title": "t",
            "description": HOSTILE,
            "author": world.librarian,
        }
    )
    obj = model.objects.create(district=world.district, **extra)
    obj.refresh_from_db()
    stored = obj.body if model is News else obj.description
    assert "<script" not in stored
    assert "alert" not in stored
    assert "<strong>" in stored
    # The search column holds words, not markup.
    assert "<" not in obj.search_text
    assert "важно" in obj.search_text


def test_news_page_shows_sanitised_text(world, login):
    page = login(world.head)
    response = page.post(
        reverse("news_create"), {"kind": "news", "title": "Опасная новость", "body": HOSTILE}
    )
    news = News.objects.get(title="Опасная новость")
    assert response.status_code == 302
    assert news.author == world.head
    html = login(world.librarian).get(reverse("news_detail", args=[news.pk])).content.decode()
    assert "<strong>важно</strong>" in html
    assert "alert(" not in html
    assert "javascript:" not in html
