from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kaoping.accounts.models import Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Kaoping"), {"fields": ("full_name", "phone")}),
    )
    list_display = ("username", "full_name", "is_active", "last_login")
    search_fields = ("username", "full_name", "phone")
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "organization", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__full_name", "organization__name")
    raw_id_fields = ["user", "organization"]
