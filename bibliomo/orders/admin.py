from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.orders.models import OrderCampaign, OrderLine, PriceItem, PriceList, SchoolOrder


@admin.register(OrderCampaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "district", "deadline", "is_open"]
    list_filter = ["is_open"]


class LineInline(admin.TabularInline):
    model = OrderLine
    raw_id_fields = ["entry"]
    extra = 0


@admin.register(SchoolOrder)
class SchoolOrderAdmin(SimpleHistoryAdmin):
    list_display = ["school", "campaign", "status", "submitted_at", "approved_at"]
    list_filter = ["status"]
    raw_id_fields = ["school", "campaign"]
    inlines = [LineInline]


class PriceItemInline(admin.TabularInline):
    model = PriceItem
    raw_id_fields = ["entry"]
    extra = 0


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ["title", "district", "imported_at"]
    inlines = [PriceItemInline]
