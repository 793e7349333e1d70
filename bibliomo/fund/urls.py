from django.urls import path

from bibliomo.fund import views

urlpatterns = [
    path("fund/", views.fund_home, name="fund_home"),
    path("fund/provision/", views.district_provision, name="fund_district_provision"),
    path("fund/school/<int:pk>/", views.school_stock, name="fund_school"),
    path("fund/school/<int:pk>/import/", views.stock_import, name="fund_stock_import"),
    path("fund/school/<int:pk>/curriculum/", views.curriculum, name="fund_curriculum"),
    path(
        "fund/school/<int:pk>/curriculum/copy/", views.curriculum_copy, name="fund_curriculum_copy"
    ),
    path(
        "fund/school/<int:pk>/curriculum/<int:row_id>/delete/",
        views.curriculum_delete,
        name="fund_curriculum_delete",
    ),
    path("fund/school/<int:pk>/enrolment/", views.enrolment, name="fund_enrolment"),
    path(
        "fund/school/<int:pk>/enrolment/forecast/",
        views.enrolment_forecast,
        name="fund_enrolment_forecast",
    ),
    path(
        "fund/school/<int:pk>/enrolment/stay-share/",
        views.enrolment_stay_share,
        name="fund_enrolment_stay_share",
    ),
    path("fund/district/stay-share/", views.district_stay_share, name="fund_district_stay_share"),
    path("fund/school/<int:pk>/documents/", views.documents, name="fund_documents"),
    path(
        "fund/school/<int:pk>/documents/new/<str:kind>/",
        views.document_create,
        name="fund_document_create",
    ),
    path("fund/school/<int:pk>/ksu/", views.ksu, name="fund_ksu"),
    path("fund/school/<int:pk>/card/<int:entry_id>/", views.entry_card, name="fund_card"),
    path("fund/school/<int:pk>/card/<int:entry_id>/worn/", views.mark_worn, name="fund_mark_worn"),
    path("fund/school/<int:pk>/provision/", views.school_provision, name="fund_school_provision"),
    path("fund/documents/<int:doc_id>/", views.document_detail, name="fund_document"),
    path("fund/documents/<int:doc_id>/post/", views.document_post, name="fund_document_post"),
    path(
        "fund/documents/<int:doc_id>/reverse/", views.document_reverse, name="fund_document_reverse"
    ),
    path("fund/documents/<int:doc_id>/delete/", views.document_delete, name="fund_document_delete"),
    path("fund/documents/<int:doc_id>/act.docx", views.document_act_docx, name="fund_act_docx"),
    path(
        "fund/documents/<int:doc_id>/lines/<int:line_id>/delete/",
        views.line_delete,
        name="fund_line_delete",
    ),
]
