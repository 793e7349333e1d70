from django.urls import path

from bibliomo.textbooks import views

urlpatterns = [
    path("textbooks/", views.entry_list, name="textbook_list"),
    path("textbooks/suggest/", views.suggest, name="textbook_suggest"),
    path("textbooks/import/", views.fpu_import, name="textbook_import"),
]
