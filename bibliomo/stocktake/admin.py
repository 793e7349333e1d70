from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.stocktake.models import Campaign, Stocktake


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "district", "order_number", "deadline", "is_open"]
    list_filter = ["district", "is_open"]


@admin.register(Stocktake)
class StocktakeAdmin(SimpleHistoryAdmin):
    list_display = ["school", "campaign", "status", "shortage_copies", "surplus_copies"]
    list_filter = ["status", "campaign"]
    raw_id_fields = ["writeoff", "receipt"]
