from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.plans.models import PlanItem, PlanItemExecution, PlanSection, WorkPlan


class SectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0


@admin.register(WorkPlan)
class WorkPlanAdmin(SimpleHistoryAdmin):
    list_display = ["district", "year", "status", "approved_on"]
    list_filter = ["status", "district"]
    inlines = [SectionInline]


@admin.register(PlanItem)
class PlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "section", "timing_kind", "indicator"]
    list_filter = ["indicator", "section__plan__district"]
    raw_id_fields = ["section", "parent", "responsible_people"]


@admin.register(PlanItemExecution)
class PlanItemExecutionAdmin(SimpleHistoryAdmin):
    list_display = ["item", "date", "status", "indicator_value", "created_by"]
    list_filter = ["status"]
    raw_id_fields = ["item", "created_by"]
