from django.apps import AppConfig


class TextbooksConfig(AppConfig):
    name = "bibliomo.textbooks"
    verbose_name = "Учебники (федеральный перечень)"
