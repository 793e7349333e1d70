from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "bibliomo.circulation"
    verbose_name = "Выдача учебников"
