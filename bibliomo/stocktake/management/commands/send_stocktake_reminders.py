from bibliomo.lib.reminders import DeadlineReminderCommand
from bibliomo.stocktake.services import send_reminders


class Command(DeadlineReminderCommand):
    help = (
        "Напоминает школам, не подавшим опись инвентаризации, о сроке (раз в день, в "
        "последние дни перед сроком). Запускать ежедневно из cron."
    )

    def send_reminders(self, days_before: int) -> int:
        return send_reminders(days_before=days_before)
