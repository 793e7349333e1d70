from django.urls import path

from bibliomo.exchange import views

urlpatterns = [
    path("exchange/", views.fund_page, name="exchange_fund"),
    path("exchange/export.xlsx", views.fund_export, name="exchange_fund_export"),
    path("exchange/adjust/<int:school_pk>/<int:entry_pk>/", views.adjust, name="exchange_adjust"),
    path("exchange/request/", views.request_copies, name="exchange_request"),
    path("exchange/plans/", views.plan_list, name="exchange_plans"),
    path("exchange/plans/<int:pk>/", views.plan_detail, name="exchange_plan"),
    path(
        "exchange/plans/<int:pk>/lines/<int:line_pk>/",
        views.plan_line,
        name="exchange_plan_line",
    ),
    path("exchange/plans/<int:pk>/apply/", views.plan_apply, name="exchange_plan_apply"),
    path("exchange/transfers/", views.transfer_list, name="exchange_transfers"),
    path("exchange/transfers/export.xlsx", views.transfer_export, name="exchange_transfer_export"),
    path("exchange/transfers/<int:pk>/", views.transfer_detail, name="exchange_transfer"),
    path("exchange/transfers/<int:pk>/act.docx", views.transfer_act, name="exchange_act"),
    path(
        "exchange/transfers/<int:pk>/<slug:action>/",
        views.transfer_action,
        name="exchange_transfer_action",
    ),
]
