from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from kaoping.accounts.models import Role, User
from kaoping.core.crypto import blind_index


class RoleFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # The user form and this inline are saved together: making someone an administrator
        # while adding them a role would pass User.clean (no roles yet) and then fail in
        # Role.save with a server error. Say so on the form instead (三员分立).
        if not self.instance.admin_role:
            return
        kept = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self.can_delete or not self._should_delete_form(form)
        ]
        if kept:
            raise ValidationError(
                _("An administrator cannot hold a business role."), code="admin_with_roles"
            )


class RoleInline(admin.TabularInline):
    model = Role
    formset = RoleFormSet
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Kaoping"), {"fields": ("full_name", "phone")}),
        (
            _("Security"),
            {
                "fields": (
                    "admin_role",
                    "must_change_password",
                    "password_changed_at",
                    "break_glass_until",
                )
            },
        ),
    )
    list_display = ("username", "full_name", "admin_role", "is_active", "last_login")
    # Superuser and staff come only from `kaoping breakglass`, for a limited time: a break-glass
    # superuser must not hand out lasting privileges here (no everyday superuser), nor
    # permissions or groups that would outlive the grant.
    readonly_fields = (
        "password_changed_at",
        "break_glass_until",
        "is_superuser",
        "is_staff",
        "groups",
        "user_permissions",
    )
    search_fields = ("username", "full_name")
    inlines = [RoleInline]

    def get_search_results(self, request, queryset, search_term):
        # The phone is encrypted: a whole number is found through its blind index.
        found, duplicates = super().get_search_results(request, queryset, search_term)
        index = blind_index(search_term)
        if index:
            found |= queryset.filter(phone_index=index)
        return found, duplicates


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "organization", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__full_name", "organization__name")
    raw_id_fields = ["user", "organization"]
