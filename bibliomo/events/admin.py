from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.events.models import AgendaItem, Event, Minutes, Registration


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["speaker"]
    fields = ["order", "topic", "speaker", "speaker_name", "speaker_org", "duration_minutes"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "district", "status"]
    list_filter = ["district", "kind", "status", "organiser"]
    search_fields = ["title"]
    inlines = [AgendaInline]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "event", "status", "attended", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["person", "event"]


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "event", "is_published"]
    raw_id_fields = ["event", "chair", "secretary"]
