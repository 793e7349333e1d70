from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "bibliomo.directory"
    verbose_name = "Справочник: районы и школы"
