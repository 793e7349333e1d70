from django.urls import path

from bibliomo.stats import views

urlpatterns = [
    path("stats/", views.stats_home, name="stats_home"),
    path("stats/district/", views.stats_district, name="stats_district"),
    path("stats/district/xlsx/", views.stats_district_xlsx, name="stats_district_xlsx"),
    path("stats/charts/<slug:kind>.svg", views.stats_chart, name="stats_chart"),
    path("stats/<int:school_pk>/<int:start_year>/", views.stats_report, name="stats_report"),
    path(
        "stats/<int:school_pk>/<int:start_year>/xlsx/",
        views.stats_report_xlsx,
        name="stats_report_xlsx",
    ),
    path("training/", views.training_home, name="training_home"),
    path("training/district/", views.training_district, name="training_district"),
    path("training/district/xlsx/", views.training_district_xlsx, name="training_district_xlsx"),
    path("training/<int:person_pk>/", views.training_person, name="training_person"),
    path(
        "training/course/<int:pk>/delete/",
        views.training_course_delete,
        name="training_course_delete",
    ),
    path("training/course/<int:pk>/file/", views.training_course_file, name="training_course_file"),
]
