from django.urls import path

from bibliomo.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("prices/", views.price_lists, name="prices"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path("<int:pk>/consolidated/", views.consolidated, name="consolidated"),
    path("<int:pk>/consolidated.xlsx", views.consolidated_xlsx, name="consolidated_xlsx"),
    path("<int:pk>/form<int:number>.xlsx", views.district_form, name="district_form"),
    path("<int:pk>/unified/", views.district_unified, name="district_unified"),
    path(
        "<int:pk>/form2-<int:part>.xlsx", views.district_unified_xlsx, name="district_unified_xlsx"
    ),
    path("order/<int:pk>/", views.order_detail, name="order"),
    path("order/<int:pk>/order.xlsx", views.order_xlsx, name="order_xlsx"),
    path("order/<int:pk>/form<int:number>.xlsx", views.school_form, name="school_form"),
    path("order/<int:pk>/unified/", views.school_unified, name="school_unified"),
    path(
        "order/<int:pk>/form2-<int:part>.xlsx",
        views.school_unified_xlsx,
        name="school_unified_xlsx",
    ),
    path("order/<int:pk>/lines/", views.lines_save, name="lines_save"),
    path("order/<int:pk>/add/", views.line_add, name="line_add"),
    path("order/<int:pk>/recompute/", views.order_recompute, name="recompute"),
    path("order/<int:pk>/submit/", views.order_submit, name="submit"),
    path("order/<int:pk>/approve/", views.order_approve, name="approve"),
    path("order/<int:pk>/return/", views.order_return, name="return"),
    path("order/<int:pk>/reopen/", views.order_reopen, name="reopen"),
    path("order/<int:pk>/reopen-request/", views.order_reopen_request, name="reopen_request"),
    path("order/<int:pk>/receipt/", views.delivery_create, name="delivery"),
]
