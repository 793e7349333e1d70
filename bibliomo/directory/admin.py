from django.contrib import admin

from bibliomo.directory.models import AcademicYear, District, Region, School


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "association_name"]
    list_filter = ["region"]
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["short_name", "district", "kind", "parent", "is_active"]
    list_filter = ["district", "kind", "is_active"]
    search_fields = ["short_name", "full_name", "inn"]
    raw_id_fields = ["parent"]


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_year"]
