from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bibliomo.reports"
    verbose_name = "Анализ работы ММО"
