from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.consultations.models import Consultation, Message


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Consultation)
class ConsultationAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "author", "category", "status", "created_at", "is_published"]
    list_filter = ["district", "category", "status", "channel", "is_published"]
    search_fields = ["subject"]
    raw_id_fields = ["author", "school", "recorded_by"]
    inlines = [MessageInline]
