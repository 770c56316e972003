from django.db import models
from django.db.models import Q

from spie.core.text import normalize_for_search

from .enums import ThemeFamily, Vocabulary


class ReferentialVersionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


class ReferentialVersion(models.Model):
    """A published version of the pathway referential. User data points at one version's codes."""

    code = models.CharField("version", max_length=20, unique=True)
    label = models.CharField("libellé", max_length=255)
    source = models.CharField("source", max_length=255, blank=True)
    published_on = models.DateField("publiée le")
    is_current = models.BooleanField("version en vigueur", default=False)

    objects = ReferentialVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version du référentiel"
        verbose_name_plural = "versions du référentiel"
        ordering = ["-published_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_referential_version",
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.code})"


class Theme(models.Model):
    version = models.ForeignKey(ReferentialVersion, on_delete=models.PROTECT, related_name="themes")
    code = models.CharField("code", max_length=60)
    label = models.CharField("libellé", max_length=255)
    family = models.CharField("famille", max_length=20, choices=ThemeFamily.choices)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thème"
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="theme_unique_code")]

    def __str__(self):
        return self.label


class ThemeItem(models.Model):
    """Common shape of situations, objectives and actions: a coded label under a theme."""

    version = models.ForeignKey(ReferentialVersion, on_delete=models.PROTECT, related_name="+")
    theme = models.ForeignKey(Theme, verbose_name="thème", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("code", max_length=60)
    label = models.CharField("libellé", max_length=500)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["theme__position", "position"]

    def __str__(self):
        return self.label


class Situation(ThemeItem):
    class Meta(ThemeItem.Meta):
        verbose_name = "situation"
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="situation_unique_code")]


class Objective(ThemeItem):
    class Meta(ThemeItem.Meta):
        verbose_name = "objectif"
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="objective_unique_code")]


class Action(ThemeItem):
    class Meta(ThemeItem.Meta):
        verbose_name = "action"
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="action_unique_code")]


class RomeDomain(models.Model):
    """A ROME 'grand domaine' (one letter) or 'domaine professionnel' (letter + 2 digits)."""

    code = models.CharField("code", max_length=3, unique=True)
    label = models.CharField("libellé", max_length=255)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")

    class Meta:
        verbose_name = "domaine ROME"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class RomeJobQuerySet(models.QuerySet):
    def search(self, query):
        """Jobs whose code starts with `query`, or whose label or one of whose titles contains it."""
        query = (query or "").strip()
        if not query:
            return self.none()
        if len(query) <= 5 and query[:1].isalpha() and query[1:].isdigit():
            return self.filter(code__startswith=query.upper())
        needle = normalize_for_search(query)
        titles = RomeAppellation.objects.filter(search_label__contains=needle).values("job_id")
        return self.filter(Q(search_label__contains=needle) | Q(pk__in=titles))


class RomeJob(models.Model):
    """A ROME 4.0 job sheet (code such as M1607)."""

    code = models.CharField("code ROME", max_length=5, unique=True)
    label = models.CharField("libellé", max_length=255)
    search_label = models.CharField(max_length=255, editable=False)
    domain = models.ForeignKey(
        RomeDomain,
        verbose_name="domaine professionnel",
        on_delete=models.PROTECT,
        related_name="jobs",
    )

    objects = RomeJobQuerySet.as_manager()

    class Meta:
        verbose_name = "métier ROME"
        verbose_name_plural = "métiers ROME"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class RomeAppellation(models.Model):
    """A job title of the ROME, attached to one job sheet."""

    code_ogr = models.CharField("code OGR", max_length=10, unique=True)
    label = models.CharField("appellation", max_length=255)
    search_label = models.CharField(max_length=255, editable=False)
    job = models.ForeignKey(RomeJob, verbose_name="métier", on_delete=models.CASCADE, related_name="appellations")

    class Meta:
        verbose_name = "appellation ROME"
        ordering = ["label"]

    def __str__(self):
        return self.label


class NafActivityQuerySet(models.QuerySet):
    def search(self, query):
        query = (query or "").strip()
        if not query:
            return self.none()
        code = query.upper().replace(" ", "")
        if len(code) > 2 and code[:2].isdigit() and "." not in code:
            code = f"{code[:2]}.{code[2:]}"  # "8899B" is typed for "88.99B"
        needle = normalize_for_search(query)
        return self.filter(Q(code__startswith=code) | Q(search_label__contains=needle))


class NafActivity(models.Model):
    """A NAF sub-class (e.g. 88.99B), with its class, group, division and section."""

    version = models.CharField("nomenclature", max_length=20, default="NAF rév. 2")
    code = models.CharField("code", max_length=6)
    label = models.CharField("libellé", max_length=255)
    search_label = models.CharField(max_length=255, editable=False)
    division_code = models.CharField("division", max_length=2)
    division_label = models.CharField("libellé de la division", max_length=255)
    section_code = models.CharField("section", max_length=1)
    section_label = models.CharField("libellé de la section", max_length=255)

    objects = NafActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activité NAF"
        verbose_name_plural = "activités NAF"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="naf_unique_code")]

    def __str__(self):
        return f"{self.code} — {self.label}"


class NafDivisionJob(models.Model):
    """The ROME jobs usually found in a NAF division (sector → jobs)."""

    division_code = models.CharField("division NAF", max_length=2, db_index=True)
    job = models.ForeignKey(RomeJob, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "métier d'un secteur NAF"
        constraints = [models.UniqueConstraint(fields=["division_code", "job"], name="naf_division_job_unique")]

    def __str__(self):
        return f"{self.division_code} → {self.job_id}"


class VocabularyTerm(models.Model):
    """A value of a data·inclusion vocabulary (thématiques, publics, frais…)."""

    vocabulary = models.CharField("vocabulaire", max_length=40, choices=Vocabulary.choices)
    value = models.CharField("valeur", max_length=150)
    label = models.CharField("libellé", max_length=255)
    description = models.TextField("description", blank=True)
    parent_value = models.CharField("catégorie", max_length=150, blank=True)

    class Meta:
        verbose_name = "terme de vocabulaire data·inclusion"
        verbose_name_plural = "vocabulaires data·inclusion"
        ordering = ["vocabulary", "value"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "value"], name="vocabulary_term_unique")]

    def __str__(self):
        return self.label
