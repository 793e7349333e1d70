from django.urls import path

from bibliomo.stocktake import views

app_name = "stocktake"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path("<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("<int:pk>/accept/", views.campaign_accept, name="campaign_accept"),
    path("school/<int:pk>/", views.stocktake_detail, name="stocktake"),
    path("school/<int:pk>/count/", views.count_screen, name="count"),
    path("school/<int:pk>/lines/<int:line>/", views.line_save, name="line_save"),
    path("school/<int:pk>/add/", views.line_add, name="line_add"),
    path("school/<int:pk>/sheet.xlsx", views.sheet_xlsx, name="sheet_xlsx"),
    path("school/<int:pk>/upload/", views.sheet_upload, name="upload"),
    path("school/<int:pk>/commission/", views.commission_save, name="commission"),
    path("school/<int:pk>/submit/", views.stocktake_submit, name="submit"),
    path("school/<int:pk>/accept/", views.stocktake_accept, name="accept"),
    path("school/<int:pk>/return/", views.stocktake_return, name="return"),
    path("school/<int:pk>/act.<str:fmt>", views.act_file, name="act"),
    path("school/<int:pk>/ask/", views.ask, name="ask"),
]
