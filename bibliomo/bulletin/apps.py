from django.apps import AppConfig


class BulletinConfig(AppConfig):
    name = "bibliomo.bulletin"
    verbose_name = "Информирование"
