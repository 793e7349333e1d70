from django.apps import AppConfig


class StocktakeConfig(AppConfig):
    name = "bibliomo.stocktake"
    verbose_name = "Инвентаризация учебного фонда"
