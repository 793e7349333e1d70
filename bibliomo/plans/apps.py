from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "bibliomo.plans"
    verbose_name = "План работы ММО"
