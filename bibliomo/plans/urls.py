from django.urls import path

from bibliomo.plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/current/", views.plan_current, name="plan_current"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/import/", views.plan_import, name="plan_import"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="plan_copy"),
    path("plans/<int:pk>/calendar/", views.plan_calendar, name="plan_calendar"),
    path("plans/<int:pk>/export/<str:fmt>/", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/<str:action>/", views.plan_action, name="plan_action"),
    path("plans/<int:plan_pk>/sections/new/", views.section_form, name="section_create"),
    path("plans/sections/<int:pk>/edit/", views.section_form, name="section_edit"),
    path("plans/sections/<int:section_pk>/items/new/", views.item_form, name="item_create"),
    path("plans/items/<int:pk>/", views.item_detail, name="plan_item"),
    path("plans/items/<int:pk>/edit/", views.item_form, name="item_edit"),
    path("plans/<str:kind>/<int:pk>/delete/", views.delete, name="plan_delete"),
    path("plans/<str:kind>/<int:pk>/move/<str:direction>/", views.move, name="plan_move"),
    path("plans/executions/<int:pk>/file/", views.execution_file, name="execution_file"),
]
