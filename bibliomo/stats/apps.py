from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "bibliomo.stats"
    verbose_name = "Статистика библиотек и повышение квалификации"
