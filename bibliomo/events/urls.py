from django.urls import path

from bibliomo.events import views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/calendar/", views.event_calendar, name="event_calendar"),
    path("events/subscribe/", views.calendar_subscribe, name="calendar_subscribe"),
    path("events/feed/<str:key>.ics", views.calendar_feed, name="calendar_feed"),
    path("events/new/", views.event_form, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_form, name="event_edit"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/registrations/", views.event_registrations, name="event_registrations"),
    path(
        "events/<int:pk>/participants.xlsx",
        views.event_participants_xlsx,
        name="event_participants_xlsx",
    ),
    path("events/<int:pk>/agenda/new/", views.agenda_form, name="agenda_create"),
    path("events/<int:pk>/agenda/<int:item_pk>/edit/", views.agenda_form, name="agenda_edit"),
    path("events/<int:pk>/agenda/<int:item_pk>/delete/", views.agenda_delete, name="agenda_delete"),
    path(
        "events/<int:pk>/agenda/<int:item_pk>/material/",
        views.agenda_material,
        name="agenda_material",
    ),
    path("events/<int:pk>/minutes/", views.minutes_detail, name="minutes_detail"),
    path("events/<int:pk>/minutes/edit/", views.minutes_form, name="minutes_edit"),
    path("events/<int:pk>/minutes.docx", views.minutes_docx_view, name="minutes_docx"),
    path("events/<int:pk>/minutes.pdf", views.minutes_pdf_view, name="minutes_pdf"),
]
