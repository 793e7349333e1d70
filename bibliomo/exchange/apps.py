from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bibliomo.exchange"
    verbose_name = "Обменно-резервный фонд"
