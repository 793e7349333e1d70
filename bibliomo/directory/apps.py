from django.apps import AppConfig
from django.db import models
from django.db.models.signals import pre_save


def strip_control_characters(sender, instance, raw=False, **kwargs) -> None:
    """Before any of our models is saved, strip control characters from its text fields
    (``lib.text``): nothing stored can then break a feed, a page or an exported file."""
    if raw or not sender.__module__.startswith("bibliomo."):
        return
    from bibliomo.lib.text import strip_control

    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                cleaned = strip_control(value)
                if cleaned != value:
                    setattr(instance, field.attname, cleaned)


class DirectoryConfig(AppConfig):
    name = "bibliomo.directory"
    verbose_name = "Справочник: районы и школы"

    def ready(self) -> None:
        pre_save.connect(strip_control_characters, dispatch_uid="strip_control_characters")
