from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "bibliomo.events"
    verbose_name = "Мероприятия"
