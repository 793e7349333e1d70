from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "bibliomo.orders"
    verbose_name = "Заказ учебников"
