from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bibliomo.accounts"
    verbose_name = "Пользователи"
