from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "bibliomo.fund"
    verbose_name = "Учебный фонд"
