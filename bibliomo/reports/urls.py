from django.urls import path

from bibliomo.reports import views

urlpatterns = [
    path("analysis/", views.analysis_list, name="analysis_list"),
    path("analysis/<int:start_year>/", views.analysis_detail, name="analysis_detail"),
    path("analysis/<int:start_year>/file.<str:fmt>", views.analysis_file, name="analysis_file"),
    path("analysis/<int:start_year>/carry/", views.analysis_carry, name="analysis_carry"),
]
