from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Invitation, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    """Roles are read-only here: they are given in the application, where the rules of who may grant
    what apply and every grant is audited (a new row here is a counsellor)."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["organisation", "role", "is_active", "deactivated_at"]
    readonly_fields = ["role"]
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    list_filter = ["is_active", "is_staff"]
    readonly_fields = ["public_id", "last_login", "created_at"]
    fieldsets = [
        (None, {"fields": ["email", "password", "public_id"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        ("Droits techniques", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "created_at"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "first_name", "last_name", "password1", "password2"]})]
    filter_horizontal = []
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "siret", "territory", "is_active"]
    list_filter = ["type", "territory", "is_active"]
    search_fields = ["name", "siret"]
    raw_id_fields = ["commune"]
    readonly_fields = ["public_id"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "role", "grant_reason"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "organisation__name"]
    readonly_fields = ["prefix", "key_hash", "last_used_at", "scope", "scope_reason"]
