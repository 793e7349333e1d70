from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from bibliomo.accounts.models import ApiToken, PersonalDataExport, User


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "patronymic",
        "role",
        "school",
        "is_active",
    ]
    list_filter = ["role", "district", "is_active", "is_superuser"]
    search_fields = ["username", "last_name", "first_name", "email"]
    raw_id_fields = ["school"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Работа в ММО",
            {
                "fields": (
                    "patronymic",
                    "position",
                    "role",
                    "district",
                    "school",
                    "phone",
                    "pd_consent",
                    "pd_consent_at",
                )
            },
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "what", "rows"]
    readonly_fields = ["created_at", "user", "what", "rows"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
