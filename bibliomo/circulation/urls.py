from django.urls import path

from bibliomo.circulation import views

urlpatterns = [
    path("circulation/", views.home, name="circulation_home"),
    path("circulation/district/", views.district, name="circulation_district"),
    path("circulation/school/<int:pk>/", views.school_page, name="circulation_school"),
    path(
        "circulation/school/<int:pk>/from-enrolment/",
        views.from_enrolment,
        name="circulation_from_enrolment",
    ),
    path("circulation/school/<int:pk>/import/", views.pupils_import, name="circulation_import"),
    path("circulation/school/<int:pk>/promote/", views.promote, name="circulation_promote"),
    path("circulation/school/<int:pk>/debtors/", views.debtors, name="circulation_debtors"),
    path("circulation/school/<int:pk>/lost/", views.lost, name="circulation_lost"),
    path("circulation/school/<int:pk>/staff/", views.staff, name="circulation_staff"),
    path("circulation/class/<int:class_id>/", views.class_page, name="circulation_class"),
    path(
        "circulation/class/<int:class_id>/issue/", views.class_issue, name="circulation_class_issue"
    ),
    path(
        "circulation/class/<int:class_id>/accept/",
        views.class_accept,
        name="circulation_class_accept",
    ),
    path(
        "circulation/class/<int:class_id>/pupils/add/",
        views.pupil_add,
        name="circulation_pupil_add",
    ),
    path(
        "circulation/class/<int:class_id>/vedomost.<str:fmt>",
        views.vedomost,
        name="circulation_vedomost",
    ),
    path(
        "circulation/class/<int:class_id>/pupils/issue/",
        views.pupil_issue,
        name="circulation_pupil_issue",
    ),
    path(
        "circulation/class/<int:class_id>/pupils/move/",
        views.pupil_move,
        name="circulation_pupil_move",
    ),
    path("circulation/loans/<int:loan_id>/return/", views.loan_return, name="circulation_return"),
]
