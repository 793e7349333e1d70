"""Demo data of the bulletin for Каменский район.

The registry holds the official documents this domain runs on as references — kind,
number, date, issuing body, title and a short note in our own words — never their
text. News, publications, materials and partners are fictional. Idempotent: every
object is looked up by its natural key first.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.bulletin import indicators
from bibliomo.bulletin.models import (
    Attachment,
    Document,
    JointEvent,
    Material,
    News,
    Newsletter,
    Partner,
    Publication,
)
from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import District, School
from bibliomo.lib import years

D = Document.Kind
S = Document.Status
MINPROS = "Минпросвещения России"
FPU_TITLE = (
    "Об утверждении федерального перечня учебников, допущенных к использованию при "
    "реализации имеющих государственную аккредитацию образовательных программ начального "
    "общего, основного общего, среднего общего образования организациями, осуществляющими "
    "образовательную деятельность"
)
PRAVO = "http://publication.pravo.gov.ru/"

# (key, kind, number, date, issuer, title, status, replaced by key, amends key, tags, summary)
DOCUMENTS: list[tuple] = [
    ("273", D.LAW, "273-ФЗ", dt.date(2012, 12, 29), "",
     "Об образовании в Российской Федерации", S.IN_FORCE, None, None,
     "учебники, закон",
     "Основной закон об образовании. Для библиотеки важно: обучающиеся бесплатно получают "
     "учебники на время обучения (ст. 35), школа выбирает учебники из федерального перечня "
     "(ст. 18)."),
    ("78", D.LAW, "78-ФЗ", dt.date(1994, 12, 29), "",
     "О библиотечном деле", S.IN_FORCE, None, None,
     "библиотечное дело, закон",
     "Закон о библиотеках: права пользователей, обязанности библиотек, сохранность фондов. "
     "Действует и для школьных библиотек."),
    ("403", D.LAW, "403-ФЗ", dt.date(2019, 12, 2), "",
     "О внесении изменений в Федеральный закон «Об образовании в Российской Федерации» и "
     "отдельные законодательные акты Российской Федерации", S.IN_FORCE, None, None,
     "учебники, ФПУ, закон",
     "Основание для предельного срока использования учебников, исключённых из федерального "
     "перечня (ст. 4 ч. 3). Срок указывается в приказе для каждого учебника."),
    ("1077", D.ORDER, "1077", dt.date(2012, 10, 8), "Минкультуры России",
     "Об утверждении Порядка учета документов, входящих в состав библиотечного фонда",
     S.IN_FORCE, None, None, "учет фонда",
     "Порядок учёта библиотечного фонда: единицы учёта, поступление и выбытие, итоги "
     "движения, проверка фонда. Зарегистрирован Минюстом 14.05.2013 № 28390, действует "
     "с 03.06.2013."),
    ("2488", D.ORDER, "2488", dt.date(2000, 8, 24), "Минобразования России",
     "Об учете библиотечного фонда библиотек образовательных учреждений",
     S.IN_FORCE, None, None, "учет фонда, учебники",
     "Рекомендации школьным библиотекам по учёту фонда; здесь описано, чем учёт "
     "многоэкземплярной учебной литературы отличается от учёта основного фонда."),
    ("345", D.ORDER, "345", dt.date(2018, 12, 28), MINPROS,
     "О федеральном перечне учебников, рекомендуемых к использованию при реализации "
     "имеющих государственную аккредитацию образовательных программ начального общего, "
     "основного общего, среднего общего образования",
     S.REPLACED, "254", None, "учебники, ФПУ",
     "Прежний федеральный перечень. Учебники, перешедшие из него в перечни № 254 и № 858, "
     "можно использовать до 25.09.2025."),
    ("254", D.ORDER, "254", dt.date(2020, 5, 20), MINPROS, FPU_TITLE,
     S.REPLACED, "858", None, "учебники, ФПУ",
     "Предыдущий федеральный перечень учебников. Его учебники, не вошедшие в перечень "
     "№ 858, используются до срока, указанного для каждого из них."),
    ("766", D.ORDER, "766", dt.date(2020, 12, 23), MINPROS,
     "О внесении изменений в федеральный перечень учебников, утвержденный приказом "
     "Министерства просвещения Российской Федерации от 20 мая 2020 г. № 254",
     S.REPLACED, "858", "254", "учебники, ФПУ",
     "Изменения в перечень № 254; учебники, исключённые этим приказом, перечислены в "
     "приложении 3 к приказу № 858."),
    ("858", D.ORDER, "858", dt.date(2022, 9, 21), MINPROS,
     FPU_TITLE + " и установления предельного срока использования исключенных учебников",
     S.IN_FORCE, None, None, "учебники, ФПУ",
     "Действующий федеральный перечень учебников (в силе с 12.11.2022). Приложение 1 — "
     "перечень; приложение 2 — учебники перечня № 254 с предельными сроками использования; "
     "приложение 3 — учебники, исключённые приказом № 766. По нему формируется заказ."),
    ("556", D.ORDER, "556", dt.date(2023, 7, 21), MINPROS,
     "О внесении изменений в федеральный перечень учебников, утвержденный приказом "
     "Министерства просвещения Российской Федерации от 21 сентября 2022 г. № 858",
     S.IN_FORCE, None, "858", "учебники, ФПУ",
     "Изменения в перечень № 858: проверьте, не затронуты ли учебники, которые использует школа."),
    ("119", D.ORDER, "119", dt.date(2024, 2, 21), MINPROS,
     "О внесении изменений в федеральный перечень учебников, утвержденный приказом "
     "Министерства просвещения Российской Федерации от 21 сентября 2022 г. № 858",
     S.IN_FORCE, None, "858", "учебники, ФПУ",
     "Изменения в перечень № 858; учесть при заказе учебников."),
    ("347", D.ORDER, "347", dt.date(2024, 5, 21), MINPROS,
     "О внесении изменений в федеральный перечень учебников, утвержденный приказом "
     "Министерства просвещения Российской Федерации от 21 сентября 2022 г. № 858",
     S.IN_FORCE, None, "858", "учебники, ФПУ",
     "Изменения в перечень № 858; учесть при заказе учебников."),
    ("769", D.ORDER, "769", dt.date(2024, 11, 5), MINPROS,
     "О внесении изменений в федеральный перечень учебников, утвержденный приказом "
     "Министерства просвещения Российской Федерации от 21 сентября 2022 г. № 858",
     S.IN_FORCE, None, "858", "учебники, ФПУ, ЕГУ",
     "Последние изменения в перечень № 858: предельные сроки использования исключённых "
     "учебников и единые государственные учебники (ЕГУ), которые входят в перечень с 2026 "
     "года. По нему заполняются формы мониторинга 2.1 и 2.2."),
    ("1053", D.ORDER, "1053", dt.date(2022, 12, 2), MINPROS,
     "Об утверждении порядка формирования федерального перечня учебников, допущенных к "
     "использованию при реализации имеющих государственную аккредитацию образовательных "
     "программ начального общего, основного общего, среднего общего образования "
     "организациями, осуществляющими образовательную деятельность",
     S.IN_FORCE, None, None, "учебники, ФПУ",
     "Как учебники включаются в федеральный перечень и исключаются из него."),
    ("499", D.ORDER, "499", dt.date(2024, 7, 18), MINPROS,
     "Об утверждении федерального перечня электронных образовательных ресурсов, "
     "допущенных к использованию при реализации имеющих государственную аккредитацию "
     "образовательных программ начального общего, основного общего, среднего общего "
     "образования", S.IN_FORCE, None, None, "ЭОР",
     "Федеральный перечень электронных образовательных ресурсов — справочник для "
     "библиотекаря при подборе цифровых материалов."),
    ("715", D.ORDER, "715", dt.date(2016, 6, 15), "Минобрнауки России",
     "Об утверждении Концепции развития школьных информационно-библиотечных центров",
     S.IN_FORCE, None, None, "ИБЦ, развитие библиотек",
     "Концепция школьных информационно-библиотечных центров: ориентир при модернизации "
     "школьной библиотеки и планировании её работы."),
    ("gost", D.STANDARD, "Р 7.0.97-2016", dt.date(2016, 12, 8),
     "Росстандарт",
     "Система стандартов по информации, библиотечному и издательскому делу. "
     "Организационно-распорядительная документация. Требования к оформлению документов",
     S.IN_FORCE, None, None, "делопроизводство",
     "Как оформлять протоколы заседаний, акты и другие организационные документы ММО и "
     "школьной библиотеки."),
]  # fmt: skip

# One paragraph per line: the description keeps line breaks as written.
QUEST_TEXT = "\n".join(
    [
        "Квест «Тайна пропавшей страницы»",
        "Сценарий для читателей 5–6 классов (команды по 5–6 человек, 40–45 минут).",
        "",
        "Завязка. Библиотекарь сообщает: из старой книги сказок пропала последняя страница, "
        "и сказка осталась без конца. Найти страницу помогут подсказки, спрятанные в "
        "библиотеке.",
        "",
        "Станция 1. «Каталог». По шифру на карточке команда находит на полке книгу; в ней — "
        "первая подсказка.",
        "Станция 2. «Словарная». Нужно расшифровать старинные слова из сказки с помощью "
        "толкового словаря.",
        "Станция 3. «Иллюстратор». По трём картинкам угадать книги и авторов; первые буквы "
        "названий складываются в слово-ключ.",
        "Станция 4. «Переплётная мастерская». Команда собирает разрезанную страницу, как пазл.",
        "",
        "Финал. Команды читают найденную страницу вслух и придумывают свой вариант концовки. "
        "Итог: книжная выставка «Сказки, которые мы дочитали» и рекомендательный список.",
        "",
        "Что понадобится: карточки с шифрами, толковый словарь, 3–4 иллюстрации, конверты, "
        "разрезанная копия страницы, маршрутные листы.",
    ]
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _person(last_name: str, district: District) -> User | None:
    return User.objects.filter(district=district, last_name=last_name).first()


@transaction.atomic
def load() -> None:
    district = District.objects.filter(name=DISTRICT).first()
    head = _user("head")
    if district is None or head is None:
        return
    _documents(district)
    _news(district, head)
    _publications(district)
    _materials(district, head)
    _partners(district)


def _documents(district: District) -> None:
    by_key: dict[str, Document] = {}
    for key, kind, number, date, issuer, title, _status, *_rest, tags, summary in DOCUMENTS:
        doc, _ = Document.objects.get_or_create(
            district=district,
            kind=kind,
            number=number,
            date=date,
            defaults={
                "issuer": issuer,
                "title": title,
                "status": S.IN_FORCE,
                "tags": tags,
                "summary": summary,
                "url": PRAVO if kind != D.STANDARD else "",
            },
        )
        by_key[key] = doc
    # Links between documents once all of them exist.
    for key, *_head, status, replaced_by, amends, _tags, _summary in DOCUMENTS:
        doc = by_key[key]
        doc.status = status
        doc.replaced_by = by_key[replaced_by] if replaced_by else None
        doc.amends = by_key[amends] if amends else None
        doc.save()


def _news(district: District, head: User) -> None:
    today = timezone.localdate()
    items = [
        dict(
            kind=News.Kind.WEBINAR,
            title="Вебинар АКИПКРО «Школьная библиотека как информационный центр»",
            body="<p>Краевой институт повышения квалификации приглашает педагогов-библиотекарей "
            "на вебинар. Участие бесплатное, ссылка на подключение — в письме-рассылке.</p>"
            "<ul><li>современные формы работы ИБЦ;</li><li>ответы на вопросы участников.</li></ul>",
            event_date=today + dt.timedelta(days=10),
        ),
        dict(
            kind=News.Kind.COMPETITION,
            title="Краевой конкурс «Библиотекарь года»: приём заявок",
            body="<p>Приглашаем принять участие в профессиональном конкурсе. Положение о "
            "конкурсе — во вложении к письму организаторов; заявки принимает руководитель ММО."
            "</p>",
            deadline=today + dt.timedelta(days=25),
        ),
        dict(
            kind=News.Kind.NEWS,
            title="Итоги заседания ММО: квест как форма продвижения чтения",
            body="<p>На мартовском заседании коллеги поделились опытом проведения "
            "<strong>читательских квестов</strong>. Сценарий выложен в методическую копилку."
            "</p>",
        ),
        dict(
            kind=News.Kind.WEBINAR,
            title="Вебинар АКИПКРО «Современные формы работы БИЦ»",
            body="<p>Краевой вебинар для педагогов-библиотекарей. Запись и материалы "
            "вебинара — на сайте института.</p>",
            event_date=dt.date(2022, 2, 10),
            participants=14,
            published_at=timezone.make_aware(dt.datetime(2022, 2, 1, 10, 0)),
        ),
        dict(
            kind=News.Kind.WEBINAR,
            title="Вебинар «Формирование заказа учебников»",
            body="<p>Разбор порядка формирования заказа учебников по федеральному перечню.</p>",
            event_date=today - dt.timedelta(days=40),
            participants=12,
        ),
    ]
    for i, item in enumerate(items):
        if not News.objects.filter(district=district, title=item["title"]).exists():
            item.setdefault("published_at", timezone.now() - dt.timedelta(days=3 * i))
            news = News.objects.create(district=district, author=head, **item)
            indicators.news_saved(news)
    webinar = News.objects.filter(district=district, kind=News.Kind.WEBINAR).first()
    if not Newsletter.objects.filter(district=district).exists() and webinar:
        newsletter = Newsletter.objects.create(
            district=district,
            subject="Анонс вебинара АКИПКРО",
            body="<p>Уважаемые коллеги!</p><p>Приглашаем на краевой вебинар. Подробности — "
            "по ссылке ниже.</p>",
            created_by=head,
        )
        newsletter.news.add(webinar)


def _publications(district: District) -> None:
    # (author's last name, title, venue kind, venue, date); the first three belong to the
    # year of the founding plan, whose indicator counts them.
    today = timezone.localdate()
    rows = [
        ("Кузнецова", "Квест «Тайна пропавшей страницы» в сельской школе", "site",
         "Сайт АКИПКРО", dt.date(2022, 4, 12)),
        ("Соколова", "Опыт работы ММО библиотекарей Каменского района", "journal",
         "Журнал «Школьная библиотека»", dt.date(2021, 11, 15)),
        ("Морозова", "Неделя детской книги в нашей школе", "site",
         "Сайт АКИПКРО", dt.date(2022, 3, 30)),
        ("Волкова", "Школьная библиотека и районный музей: совместные уроки", "newspaper",
         "Районная газета", today - dt.timedelta(days=30)),
        ("Кузнецова", "Как мы проводим библиотечные уроки", "site",
         "Библиотечный сайт «Первое сентября»", today - dt.timedelta(days=60)),
    ]  # fmt: skip
    for last_name, title, venue_kind, venue, date in rows:
        author = _person(last_name, district)
        if author and not Publication.objects.filter(district=district, title=title).exists():
            Publication.objects.create(
                district=district,
                author=author,
                title=title,
                venue_kind=venue_kind,
                venue=venue,
                date=date,
                url="https://example.org/publication",
            )
    for start in {years.start_year_for(row[4]) for row in rows}:
        indicators.update_publication_count(district.pk, start)


def _materials(district: District, head: User) -> None:
    librarian = _person("Кузнецова", district) or head
    quest, created = Material.objects.get_or_create(
        district=district,
        title="Квест «Тайна пропавшей страницы»",
        defaults={
            "author": librarian,
            "kind": Material.Kind.QUEST,
            "description": QUEST_TEXT,
            "grade_from": 5,
            "grade_to": 6,
            "tags": "продвижение чтения, квест, сказки",
        },
    )
    if created:
        Attachment.objects.create(
            material=quest,
            file=ContentFile(QUEST_TEXT.encode(), name="kvest.txt"),
            name="Квест «Тайна пропавшей страницы».txt",
            size=len(QUEST_TEXT.encode()),
        )
    others = [
        (Material.Kind.LEAFLET, "Памятка «Как беречь учебник»", 1, 11, "учебники, сохранность",
         "Памятка для учащихся и родителей: обложка, закладка, чистые руки, возврат в срок."),
        (Material.Kind.SCENARIO, "Сценарий «Посвящение в читатели»", 1, 2, "первоклассники",
         "Праздник для первоклассников: знакомство с библиотекой, правила, клятва читателя."),
        (Material.Kind.METHODICAL, "Методическая разработка «Библиотечный урок по каталогу»",
         5, 7, "библиотечный урок, каталог",
         "Урок знакомства с каталогом и расстановкой фонда, с практическим заданием."),
    ]  # fmt: skip
    for kind, title, g1, g2, tags, description in others:
        Material.objects.get_or_create(
            district=district,
            title=title,
            defaults={
                "author": head,
                "kind": kind,
                "grade_from": g1,
                "grade_to": g2,
                "tags": tags,
                "description": description,
            },
        )


def _partners(district: District) -> None:
    school = School.objects.filter(district=district).order_by("pk").first()
    rows = [
        (Partner.Kind.LIBRARY, "Центральная районная библиотека", "г. Камень-на-Оби",
         "Заведующая детским отделом", "+7 (38584) 2-30-01", "library@example.org",
         "Совместные акции к Неделе детской книги, обменные выставки.",
         "Неделя детской книги: громкие чтения", 45),
        (Partner.Kind.MUSEUM, "Районный краеведческий музей", "г. Камень-на-Оби",
         "Научный сотрудник", "+7 (38584) 2-30-02", "museum@example.org",
         "Уроки краеведения в музее, выставки из фондов музея в школьных библиотеках.",
         "Урок краеведения «Мой край в книгах»", 28),
        (Partner.Kind.NEWSPAPER, "Районная газета", "г. Камень-на-Оби",
         "Редактор", "+7 (38584) 2-30-03", "gazeta@example.org",
         "Публикации о работе школьных библиотек и ММО.",
         "Материал о районном конкурсе чтецов", None),
        (Partner.Kind.CULTURE, "Районный дом культуры", "г. Камень-на-Оби",
         "Художественный руководитель", "+7 (38584) 2-30-04", "dk@example.org",
         "Литературные праздники и конкурсы чтецов на сцене дома культуры.",
         "Конкурс чтецов «Живая классика»: муниципальный этап", 60),
    ]  # fmt: skip
    for kind, name, address, person, phone, email, notes, event, count in rows:
        partner, created = Partner.objects.get_or_create(
            district=district,
            name=name,
            defaults={
                "kind": kind,
                "address": address,
                "contact_person": person,
                "phone": phone,
                "email": email,
                "notes": notes,
            },
        )
        if created:
            joint = JointEvent.objects.create(
                partner=partner,
                date=timezone.localdate() - dt.timedelta(days=50),
                title=event,
                school=school,
                participants=count,
            )
            indicators.joint_event_saved(joint)
