from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from bibliomo.outbox.services import send_queued


class Command(BaseCommand):
    help = "Отправляет письма из очереди исходящей почты (запускается по расписанию, cron)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="Не больше N писем за запуск")
        parser.add_argument(
            "--loop", type=int, default=0, metavar="SECONDS", help="Повторять каждые N секунд"
        )

    def handle(self, *args, limit: int, loop: int, **options) -> None:
        while True:
            sent, failed = send_queued(limit=limit)
            self.stdout.write(f"Отправлено: {sent}, не удалось: {failed}")
            if not loop:
                return
            time.sleep(loop)
