from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from bibliomo.directory.models import District

# Each app that has demo data adds its loader here; they run in this order and each is
# idempotent.
LOADERS = [
    "bibliomo.directory.demo.load",
    "bibliomo.plans.demo.load",
    "bibliomo.fund.demo.load",
    "bibliomo.exchange.demo.load",
    "bibliomo.events.demo.load",
    "bibliomo.consultations.demo.load",
    "bibliomo.bulletin.demo.load",
    "bibliomo.orders.demo.load",
    "bibliomo.circulation.demo.load",
    "bibliomo.stocktake.demo.load",
    "bibliomo.stats.demo.load",
]


class Command(BaseCommand):
    help = (
        "Загружает демонстрационные данные Каменского района (повторный запуск ничего не меняет)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Загрузить, только если в базе ещё нет ни одного района",
        )

    def handle(self, *args, if_empty: bool, **options) -> None:
        if if_empty and District.objects.exists():
            self.stdout.write("База уже содержит данные — демо не загружается.")
        else:
            for path in LOADERS:
                import_string(path)()
            self.stdout.write(self.style.SUCCESS("Демо Каменского района загружено."))
        self.stdout.write(
            "Демо-входы (пароль demo): admin — администратор, head — руководитель ММО, "
            "department — Управление образования, librarian1…librarian3 — библиотекари школ."
        )
