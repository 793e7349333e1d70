from django.contrib import admin
from django.urls import include, path

from bibliomo.api import api
from bibliomo.lib.http import health

admin.site.site_header = "BiblioMO — администрирование"
admin.site.site_title = "BiblioMO"
admin.site.index_title = "Данные системы"

urlpatterns = [
    path("", include("bibliomo.accounts.urls")),
    path("", include("bibliomo.directory.urls")),
    path("", include("bibliomo.plans.urls")),
    path("", include("bibliomo.textbooks.urls")),
    path("", include("bibliomo.fund.urls")),
    path("", include("bibliomo.exchange.urls")),
    path("", include("bibliomo.events.urls")),
    path("", include("bibliomo.consultations.urls")),
    path("", include("bibliomo.bulletin.urls")),
    path("orders/", include("bibliomo.orders.urls")),
    path("", include("bibliomo.circulation.urls")),
    path("stocktake/", include("bibliomo.stocktake.urls")),
    path("", include("bibliomo.stats.urls")),
    path("", include("bibliomo.reports.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
]
