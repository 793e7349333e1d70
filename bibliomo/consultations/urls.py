from django.urls import path

from bibliomo.consultations import views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/faq/", views.faq, name="consultation_faq"),
    path("consultations/stats/", views.consultation_stats, name="consultation_stats"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/take/", views.consultation_take, name="consultation_take"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="consultation_close"),
    path(
        "consultations/<int:pk>/publish/", views.consultation_publish, name="consultation_publish"
    ),
    path("consultations/<int:pk>/file/", views.consultation_file, name="consultation_file"),
    path(
        "consultations/<int:pk>/file/<int:message_pk>/",
        views.consultation_file,
        name="consultation_message_file",
    ),
]
