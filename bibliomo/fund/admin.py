from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.fund.models import Document, DocumentLine, Enrolment, Holding


class LineInline(admin.TabularInline):
    model = DocumentLine
    raw_id_fields = ["entry"]
    extra = 0


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    # Posted documents change the ledger only through the posting service.
    list_display = ["__str__", "school", "kind", "status", "posted_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["school", "counterparty", "reverses", "posted_by"]
    readonly_fields = ["status", "posted_at", "posted_by"]
    inlines = [LineInline]


@admin.register(Holding)
class HoldingAdmin(admin.ModelAdmin):
    list_display = ["school", "entry", "receipt_year", "copies", "worn"]
    raw_id_fields = ["school", "entry"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "grade", "classes", "students", "is_forecast"]
    list_filter = ["year", "is_forecast"]
    raw_id_fields = ["school"]
