from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.textbooks.models import Curriculum, FederalListEdition, FederalListEntry


@admin.register(FederalListEdition)
class FederalListEditionAdmin(admin.ModelAdmin):
    list_display = ["title", "order_date", "entry_count", "imported_at"]


@admin.register(FederalListEntry)
class FederalListEntryAdmin(SimpleHistoryAdmin):
    list_display = [
        "number", "title", "authors", "grades", "publisher", "status", "use_until", "is_unified",
    ]  # fmt: skip
    list_filter = ["status", "level", "is_unified"]
    search_fields = ["number", "title", "authors"]


@admin.register(Curriculum)
class CurriculumAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "grade", "subject", "entry", "copies_per_student"]
    list_filter = ["year"]
    raw_id_fields = ["school", "entry"]
