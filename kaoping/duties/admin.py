from django.contrib import admin

from kaoping.duties.models import DutyCycle, DutyList


@admin.register(DutyCycle)
class DutyCycleAdmin(admin.ModelAdmin):
    list_display = ["year", "scope", "deadline"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DutyList)
class DutyListAdmin(admin.ModelAdmin):
    list_display = ["organization", "title", "state", "filed_on"]

    def has_change_permission(self, request, obj=None):
        return False
