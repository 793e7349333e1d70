from django.urls import path

from bibliomo.directory import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/export.xlsx", views.school_export, name="school_export"),
    path("schools/new/", views.school_form, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_form, name="school_edit"),
    path("schools/<int:pk>/toggle-active/", views.school_toggle_active, name="school_toggle"),
    path("people/", views.person_list, name="person_list"),
    path("people/export.xlsx", views.person_export, name="person_export"),
    path("people/new/", views.person_form, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_form, name="person_edit"),
    path("people/<int:pk>/toggle-active/", views.person_toggle_active, name="person_toggle"),
]
