from django.core.management.base import BaseCommand

from bibliomo.events.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Ставит в очередь напоминания о мероприятиях (с повесткой и файлом .ics), "
        "когда подошло выбранное время до начала. Запускается по расписанию, например "
        "каждые 10 минут."
    )

    def handle(self, *args, **options) -> None:
        events, letters = send_due_reminders()
        self.stdout.write(f"Напоминаний: мероприятий {events}, писем {letters}.")
