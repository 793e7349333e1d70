from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "bibliomo.outbox"
    verbose_name = "Исходящая почта"
