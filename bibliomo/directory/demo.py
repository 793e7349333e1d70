"""The demo district: Каменский район of Алтайский край with fictional schools and people.

Idempotent: every object is found by its natural key before it is created, so running
``load_demo`` again changes nothing. The schools, people, phones and e-mails are
invented; only the district and the association are real.
"""

from __future__ import annotations

from django.db import transaction

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import AcademicYear, District, Region, School

DEMO_PASSWORD = "demo"  # noqa: S105 — the demo's published password

REGION = "Алтайский край"
DISTRICT = "Каменский район"
ASSOCIATION = (
    "Муниципальное методическое объединение библиотекарей общеобразовательных "
    "учреждений Каменского района"
)
DEPARTMENT = "Управление образования Каменского района"

# (short name, kind, village, lat, lon, parent short name or None)
SCHOOLS: list[tuple[str, str, str, float, float, str | None]] = [
    (
        "Гимназия «Радуга»",
        School.Kind.GYMNASIUM,
        "г. Камень-на-Оби, ул. Школьная, 7",
        53.7921,
        81.3395,
        None,
    ),
    (
        "Лицей «Парус»",
        School.Kind.LYCEUM,
        "г. Камень-на-Оби, ул. Речная, 12",
        53.7850,
        81.3560,
        None,
    ),
    (
        "Ромашкинская СОШ",
        School.Kind.SOSH,
        "с. Ромашкино, ул. Центральная, 1",
        53.9300,
        81.1200,
        None,
    ),
    ("Вишнёвская СОШ", School.Kind.SOSH, "с. Вишнёвое, ул. Садовая, 3", 53.6500, 81.6200, None),
    ("Солнечная СОШ", School.Kind.SOSH, "с. Солнечное, ул. Мира, 15", 53.9900, 81.5600, None),
    ("Берёзовская ООШ", School.Kind.OOSH, "с. Берёзовка, ул. Лесная, 2", 53.6100, 81.2000, None),
    ("Рябиновская СОШ", School.Kind.SOSH, "с. Рябиновка, ул. Школьная, 9", 53.7200, 80.9800, None),
    ("Калиновская ООШ", School.Kind.OOSH, "с. Калиновка, пер. Почтовый, 4", 53.8700, 81.7900, None),
    ("Ключевская СОШ", School.Kind.SOSH, "с. Ключевое, ул. Родниковая, 6", 54.0900, 81.2600, None),
    ("Луговская СОШ", School.Kind.SOSH, "с. Луговое, ул. Полевая, 11", 53.5300, 81.4500, None),
    (
        "Сосновская ООШ",
        School.Kind.OOSH,
        "пос. Сосновый Бор, ул. Таёжная, 5",
        53.8100,
        80.7800,
        None,
    ),
    ("Кедровская СОШ", School.Kind.SOSH, "с. Кедровка, ул. Кедровая, 8", 54.1500, 81.6800, None),
    ("Журавлёвская СОШ", School.Kind.SOSH, "с. Журавлёво, ул. Озёрная, 14", 53.4300, 81.1000, None),
    (
        "Малоромашкинская НОШ",
        School.Kind.NOSH,
        "с. Малое Ромашкино, ул. Новая, 2",
        53.9700,
        81.0400,
        "Ромашкинская СОШ",
    ),
    (
        "Заречная ООШ",
        School.Kind.OOSH,
        "пос. Заречный, ул. Береговая, 1",
        53.6200,
        81.7400,
        "Вишнёвская СОШ",
    ),
]

# (username or None for people without a login, last, first, patronymic, position, role,
#  school short name or None, phone)
PEOPLE: list[tuple[str | None, str, str, str, str, str, str | None, str]] = [
    (
        "head",
        "Соколова",
        "Анна",
        "Викторовна",
        "педагог-библиотекарь, руководитель ММО",
        Role.HEAD,
        "Гимназия «Радуга»",
        "+7 (38584) 2-10-01",
    ),
    (
        "department",
        "Петрова",
        "Елена",
        "Николаевна",
        "главный специалист Управления образования",
        Role.DEPARTMENT,
        None,
        "+7 (38584) 2-20-02",
    ),
    (
        "librarian1",
        "Кузнецова",
        "Ольга",
        "Петровна",
        "педагог-библиотекарь",
        Role.LIBRARIAN,
        "Ромашкинская СОШ",
        "+7 (38584) 3-11-01",
    ),
    (
        "librarian2",
        "Морозова",
        "Татьяна",
        "Ивановна",
        "библиотекарь",
        Role.LIBRARIAN,
        "Вишнёвская СОШ",
        "+7 (38584) 3-12-02",
    ),
    (
        "librarian3",
        "Волкова",
        "Наталья",
        "Сергеевна",
        "педагог-библиотекарь",
        Role.LIBRARIAN,
        "Солнечная СОШ",
        "+7 (38584) 3-13-03",
    ),
    (
        None,
        "Лебедева",
        "Ирина",
        "Александровна",
        "педагог-библиотекарь",
        Role.LIBRARIAN,
        "Лицей «Парус»",
        "+7 (38584) 3-14-04",
    ),
    (
        None,
        "Новикова",
        "Светлана",
        "Михайловна",
        "библиотекарь",
        Role.LIBRARIAN,
        "Берёзовская ООШ",
        "+7 (38584) 3-15-05",
    ),
    (
        None,
        "Фёдорова",
        "Людмила",
        "Васильевна",
        "педагог-библиотекарь",
        Role.LIBRARIAN,
        "Рябиновская СОШ",
        "+7 (38584) 3-16-06",
    ),
    (
        None,
        "Смирнова",
        "Галина",
        "Юрьевна",
        "библиотекарь",
        Role.LIBRARIAN,
        "Калиновская ООШ",
        "+7 (38584) 3-17-07",
    ),
    (
        None,
        "Попова",
        "Марина",
        "Алексеевна",
        "педагог-библиотекарь",
        Role.LIBRARIAN,
        "Ключевская СОШ",
        "+7 (38584) 3-18-08",
    ),
    (
        None,
        "Васильева",
        "Оксана",
        "Геннадьевна",
        "библиотекарь",
        Role.LIBRARIAN,
        "Луговская СОШ",
        "+7 (38584) 3-19-09",
    ),
    (
        None,
        "Зайцева",
        "Любовь",
        "Николаевна",
        "библиотекарь",
        Role.LIBRARIAN,
        "Сосновская ООШ",
        "+7 (38584) 3-20-10",
    ),
    (
        None,
        "Павлова",
        "Вера",
        "Дмитриевна",
        "педагог-библиотекарь",
        Role.LIBRARIAN,
        "Кедровская СОШ",
        "+7 (38584) 3-21-11",
    ),
    (
        None,
        "Семёнова",
        "Елена",
        "Олеговна",
        "библиотекарь",
        Role.LIBRARIAN,
        "Журавлёвская СОШ",
        "+7 (38584) 3-22-12",
    ),
]

LOGINS = ["admin", "head", "department", "librarian1", "librarian2", "librarian3"]


def _full_name(short: str, kind: str) -> str:
    org = "Муниципальное бюджетное общеобразовательное учреждение"
    return f"{org} «{short.replace('«', '').replace('»', '')}» Каменского района Алтайского края"


def _email(username: str | None, last_name: str) -> str:
    from bibliomo.lib.translit import latin

    return f"{username or latin(last_name).lower()}@example.org"


@transaction.atomic
def load() -> District:
    region, _ = Region.objects.get_or_create(name=REGION)
    district, _ = District.objects.get_or_create(
        region=region,
        name=DISTRICT,
        defaults={
            "association_name": ASSOCIATION,
            "education_department": DEPARTMENT,
            "lat": 53.7905,
            "lon": 81.3461,
        },
    )
    for start in (2021, 2022, 2023, 2024, 2025, 2026):
        AcademicYear.open(start)

    schools: dict[str, School] = {}
    for short, kind, address, lat, lon, parent in SCHOOLS:
        school, _ = School.objects.get_or_create(
            district=district,
            short_name=short,
            defaults={
                "full_name": _full_name(short, kind),
                "kind": kind,
                "address": address,
                "lat": lat,
                "lon": lon,
                "parent": schools.get(parent) if parent else None,
                "phone": f"+7 (38584) 2-{31 + len(schools):02d}-{17 + 3 * len(schools):02d}",
                "email": f"school{len(schools) + 1}@example.org",
            },
        )
        schools[short] = school

    for username, last, first, patronymic, position, role, school, phone in PEOPLE:
        login = username or f"demo-{last.lower()}"
        person = User.objects.filter(username=login).first()
        if person is None:
            person = User(username=login)
            person.last_name, person.first_name, person.patronymic = last, first, patronymic
            person.position, person.role, person.phone = position, role, phone
            person.district = district
            person.school = schools.get(school) if school else None
            person.email = _email(username, last)
            person.pd_consent = True
            if username:
                person.set_password(DEMO_PASSWORD)
            else:
                person.set_unusable_password()
            person.save()

    if not User.objects.filter(username="admin").exists():
        admin = User(
            username="admin",
            last_name="Администратор",
            first_name="Системы",
            role=Role.ADMIN,
            email="admin@example.org",
            is_staff=True,
            is_superuser=True,
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    return district
