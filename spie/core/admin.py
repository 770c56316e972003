from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "membership", "territory", "target_type", "target_id"]
    list_filter = ["action", "territory", "target_type"]
    search_fields = ["action", "actor__email", "target_id"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "membership__organisation", "territory"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
