from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bibliomo.circulation.models import Classroom, Loan, Pupil


@admin.register(Classroom)
class ClassroomAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "school", "year", "teacher_name", "return_by"]
    list_filter = ["year", "grade"]
    search_fields = ["school__short_name"]


@admin.register(Pupil)
class PupilAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "school", "classroom", "left_on"]
    list_select_related = ["school", "classroom"]
    raw_id_fields = ["classroom"]


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["entry", "copies", "school", "kind", "status", "issued_on", "due_on"]
    list_filter = ["status", "kind", "year"]
    list_select_related = ["entry", "school"]
    raw_id_fields = ["pupil", "classroom", "entry", "document"]
