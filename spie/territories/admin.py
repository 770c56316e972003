from django.contrib import admin

from .models import (
    BudgetEnvelope,
    BudgetLine,
    Cohort,
    Commune,
    Departement,
    Epci,
    PostalCode,
    Region,
    Territory,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["siren", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["siren", "name"]


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "departement", "epci", "population"]
    list_filter = ["departement"]
    search_fields = ["insee_code", "name", "search_name"]
    raw_id_fields = ["epci"]
    list_select_related = ["departement", "epci"]
    inlines = [PostalCodeInline]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year"]
    search_fields = ["code", "name"]
    readonly_fields = ["public_id"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["year", "purpose", "amount", "label"]


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "cohort", "status", "time_zone", "started_on"]
    list_filter = ["cohort", "status", "time_zone"]
    search_fields = ["code", "name"]
    filter_horizontal = ["departements"]
    autocomplete_fields = ["epcis"]
    list_select_related = ["cohort"]
    readonly_fields = ["public_id"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["year", "purpose", "territory", "amount", "label"]
    list_filter = ["year", "purpose"]
    search_fields = ["label", "territory__name", "territory__code"]
    list_select_related = ["territory"]
    autocomplete_fields = ["territory"]


@admin.register(BudgetEnvelope)
class BudgetEnvelopeAdmin(admin.ModelAdmin):
    list_display = ["year", "purpose", "amount", "label"]
    list_filter = ["year", "purpose"]
