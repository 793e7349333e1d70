from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.bulletin.models import (
    Attachment,
    Document,
    JointEvent,
    Material,
    News,
    Newsletter,
    Partner,
    Publication,
    Unsubscription,
)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["name", "file", "size"]
    readonly_fields = ["size"]


@admin.register(News)
class NewsAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "district", "published_at", "deadline"]
    list_filter = ["kind", "district"]
    search_fields = ["title"]
    inlines = [AttachmentInline]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "status", "district"]
    list_filter = ["kind", "status", "district"]
    search_fields = ["number", "title"]
    raw_id_fields = ["replaced_by", "amends"]


@admin.register(Newsletter)
class NewsletterAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "audience", "district", "created_at", "sent_at"]
    readonly_fields = ["sent_at", "skipped"]


@admin.register(Unsubscription)
class UnsubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "newsletter"]
    raw_id_fields = ["user", "newsletter"]


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "author", "venue", "date"]
    list_filter = ["venue_kind", "district"]
    raw_id_fields = ["author"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "author", "downloads"]
    list_filter = ["kind", "district"]
    raw_id_fields = ["author"]
    inlines = [AttachmentInline]


class JointEventInline(admin.TabularInline):
    model = JointEvent
    extra = 0


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "district"]
    list_filter = ["kind", "district"]
    inlines = [JointEventInline]
