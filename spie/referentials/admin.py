"""Technical admin of the referentials: read-mostly, since they are loaded by `load_referentials`."""

from django.contrib import admin

from .models import (
    Action,
    NafActivity,
    NafDivisionJob,
    Objective,
    ReferentialVersion,
    RomeAppellation,
    RomeDomain,
    RomeJob,
    Situation,
    Theme,
    VocabularyTerm,
)


class ReadMostlyAdmin(admin.ModelAdmin):
    """Rows come from the data files: no adding or deleting here, codes cannot be changed."""

    readonly_key_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.readonly_key_fields]


@admin.register(ReferentialVersion)
class ReferentialVersionAdmin(ReadMostlyAdmin):
    list_display = ["code", "label", "published_on", "is_current"]
    readonly_key_fields = ("code", "is_current")


class ThemeItemAdmin(ReadMostlyAdmin):
    list_display = ["code", "label", "theme", "version", "position"]
    list_filter = ["version", "theme"]
    search_fields = ["code", "label"]
    list_select_related = ["theme", "version"]
    readonly_key_fields = ("version", "theme", "code")


@admin.register(Theme)
class ThemeAdmin(ThemeItemAdmin):
    list_display = ["code", "label", "family", "version", "position"]
    list_filter = ["version", "family"]
    list_select_related = ["version"]
    readonly_key_fields = ("version", "code")


@admin.register(Situation)
class SituationAdmin(ThemeItemAdmin):
    pass


@admin.register(Objective)
class ObjectiveAdmin(ThemeItemAdmin):
    pass


@admin.register(Action)
class ActionAdmin(ThemeItemAdmin):
    pass


@admin.register(RomeDomain)
class RomeDomainAdmin(ReadMostlyAdmin):
    list_display = ["code", "label", "parent"]
    search_fields = ["code", "label"]
    list_select_related = ["parent"]
    readonly_key_fields = ("code", "parent")


class RomeAppellationInline(admin.TabularInline):
    model = RomeAppellation
    fields = ["code_ogr", "label"]
    readonly_fields = ["code_ogr", "label"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RomeJob)
class RomeJobAdmin(ReadMostlyAdmin):
    list_display = ["code", "label", "domain"]
    list_filter = ["domain__parent"]
    search_fields = ["code", "label", "appellations__label"]
    list_select_related = ["domain"]
    readonly_key_fields = ("code", "domain")
    exclude = ["search_label"]
    inlines = [RomeAppellationInline]


@admin.register(RomeAppellation)
class RomeAppellationAdmin(ReadMostlyAdmin):
    list_display = ["code_ogr", "label", "job"]
    search_fields = ["code_ogr", "label", "job__code"]
    list_select_related = ["job"]
    readonly_key_fields = ("code_ogr", "job")
    exclude = ["search_label"]


@admin.register(NafActivity)
class NafActivityAdmin(ReadMostlyAdmin):
    list_display = ["code", "label", "division_code", "section_code", "version"]
    list_filter = ["version", "section_code"]
    search_fields = ["code", "label"]
    readonly_key_fields = ("version", "code")
    exclude = ["search_label"]


@admin.register(NafDivisionJob)
class NafDivisionJobAdmin(ReadMostlyAdmin):
    list_display = ["division_code", "job"]
    list_filter = ["division_code"]
    search_fields = ["job__code", "job__label"]
    list_select_related = ["job"]
    readonly_key_fields = ("division_code", "job")


@admin.register(VocabularyTerm)
class VocabularyTermAdmin(ReadMostlyAdmin):
    list_display = ["label", "value", "vocabulary", "parent_value"]
    list_filter = ["vocabulary"]
    search_fields = ["value", "label"]
    readonly_key_fields = ("vocabulary", "value", "parent_value")
