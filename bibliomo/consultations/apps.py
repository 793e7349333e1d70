from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "bibliomo.consultations"
    verbose_name = "Консультации"
