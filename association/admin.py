from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from association.forms import AssociationAdminForm
from association.models import Association, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "preferred_language")}),
        ("Rights", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    # The same logo and organisation number checks as the staff's profile page.
    form = AssociationAdminForm
    list_display = ["name", "slug", "organisation_number", "city"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
