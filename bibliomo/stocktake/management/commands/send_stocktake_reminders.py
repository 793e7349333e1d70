from django.core.management.base import BaseCommand

from bibliomo.stocktake.services import send_reminders


class Command(BaseCommand):
    help = (
        "Напоминает школам, не подавшим опись инвентаризации, о сроке (раз в день, в "
        "последние дни перед сроком). Запускать ежедневно из cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=3, help="За сколько дней до срока напоминать (3)"
        )

    def handle(self, *args, days: int, **options) -> None:
        sent = send_reminders(days_before=days)
        self.stdout.write(f"Напоминаний поставлено в очередь: {sent}.")
