"""A diagnostic as people read it: labels from its referential version, sensitive answers masked,
and the changes between two versions. Shared by the pages and the API."""

from dataclasses import dataclass, field

from .enums import BarrierLevel, ContractType, DrivingLicence
from .models import Diagnostic
from .referential import ReferentialLabels, rome_labels
from .sensitive import MASKED, is_sensitive

FIELD_LABELS = {
    "work_situation": "Situation de travail actuelle",
    "last_job_ended_on": "Date de fin du dernier emploi",
    "training_level": "Niveau de formation",
    "languages": "Langues parlées",
    "driving_licences": "Permis de conduire",
    "skills": "Compétences",
    "target_rome_codes": "Métiers visés",
    "contract_types": "Types de contrat souhaités",
    "working_time": "Temps de travail souhaité",
    "mobility_radius_km": "Rayon de mobilité",
    "readiness": "Projection dans l'emploi",
    "priority_theme_codes": "Priorités de la personne",
    "person_words": "La parole de la personne",
}
SECTION_FIELDS = {
    "Situation professionnelle": [
        "work_situation",
        "last_job_ended_on",
        "training_level",
        "languages",
        "driving_licences",
        "skills",
    ],
    "Projet professionnel": ["target_rome_codes", "contract_types", "working_time", "mobility_radius_km", "readiness"],
    "Point de vue de la personne": ["priority_theme_codes", "person_words"],
}
LEVEL_BADGES = {BarrierLevel.STRONG: "error", BarrierLevel.MEDIUM: "warning", BarrierLevel.NONE: "success"}
SENSITIVE_THEME = "Thème sensible"


@dataclass
class SituationLine:
    code: str
    label: str
    level: str
    level_label: str
    badge: str
    comment: str


@dataclass
class ThemeBlock:
    code: str
    label: str
    lines: list = field(default_factory=list)


@dataclass
class SocialView:
    themes: list
    masked: bool

    @property
    def masked_text(self):
        return MASKED


def _labels(diagnostic, cache):
    version_id = diagnostic.referential_version_id
    if version_id not in cache:
        cache[version_id] = ReferentialLabels.load(diagnostic.referential_version)
    return cache[version_id]


def social_view(diagnostic, *, show_sensitive, labels=None, situations=None):
    """Recorded situations grouped by theme in the referential's order; sensitive ones masked."""
    labels = labels or ReferentialLabels.load(diagnostic.referential_version)
    situations = situations if situations is not None else list(diagnostic.situations.all())
    order = {code: index for index, code in enumerate(labels.situations)}
    blocks, masked = {}, False
    for row in sorted(situations, key=lambda row: (order.get(row.situation_code, 10_000), row.situation_code)):
        if is_sensitive(row.theme_code, row.situation_code) and not show_sensitive:
            masked = True
            continue
        block = blocks.setdefault(row.theme_code, ThemeBlock(row.theme_code, labels.theme_label(row.theme_code)))
        block.lines.append(
            SituationLine(
                code=row.situation_code,
                label=labels.situation_label(row.situation_code),
                level=row.level,
                level_label=BarrierLevel(row.level).label,
                badge=LEVEL_BADGES[row.level],
                comment=row.comment,
            )
        )
    theme_order = {code: index for index, code in enumerate(labels.themes)}
    themes = sorted(blocks.values(), key=lambda block: theme_order.get(block.code, 10_000))
    return SocialView(themes=themes, masked=masked)


def field_display(diagnostic, name, *, show_sensitive, labels, romes=None):
    value = getattr(diagnostic, name)
    if value in (None, "", []):
        return ""
    if name in ("work_situation", "training_level", "working_time", "readiness"):
        return getattr(diagnostic, f"get_{name}_display")()
    if name == "last_job_ended_on":
        return value.strftime("%d/%m/%Y")
    if name == "mobility_radius_km":
        return f"{value} km"
    if name == "driving_licences":
        return ", ".join(DrivingLicence(code).label if code in DrivingLicence.values else code for code in value)
    if name == "contract_types":
        return ", ".join(ContractType(code).label if code in ContractType.values else code for code in value)
    if name == "target_rome_codes":
        romes = romes if romes is not None else rome_labels(value)
        return ", ".join(f"{romes.get(code, 'Métier inconnu')} ({code})" for code in value)
    if name == "priority_theme_codes":
        return ", ".join(
            SENSITIVE_THEME if is_sensitive(code) and not show_sensitive else labels.theme_label(code) for code in value
        )
    return str(value)


def sections_view(diagnostic, *, show_sensitive, labels=None):
    """[(section title, [(label, value)])] for the professional situation, project and the person's view."""
    labels = labels or ReferentialLabels.load(diagnostic.referential_version)
    romes = rome_labels(diagnostic.target_rome_codes)
    return [
        (
            title,
            [
                (
                    FIELD_LABELS[name],
                    field_display(diagnostic, name, show_sensitive=show_sensitive, labels=labels, romes=romes),
                )
                for name in names
            ],
        )
        for title, names in SECTION_FIELDS.items()
    ]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Diff:
    fields: list
    situations: list
    masked: bool

    @property
    def is_empty(self):
        return not (self.fields or self.situations or self.masked)


def diff(older: Diagnostic, newer: Diagnostic, *, show_sensitive):
    """What changed from `older` to `newer`: answers, then situations (added, removed, changed)."""
    cache = {}
    old_labels, new_labels = _labels(older, cache), _labels(newer, cache)
    romes = rome_labels([*older.target_rome_codes, *newer.target_rome_codes])
    fields = []
    for names in SECTION_FIELDS.values():
        for name in names:
            if getattr(older, name) == getattr(newer, name):
                continue
            fields.append(
                Change(
                    FIELD_LABELS[name],
                    field_display(older, name, show_sensitive=show_sensitive, labels=old_labels, romes=romes) or "—",
                    field_display(newer, name, show_sensitive=show_sensitive, labels=new_labels, romes=romes) or "—",
                )
            )
    before = {row.situation_code: row for row in older.situations.all()}
    after = {row.situation_code: row for row in newer.situations.all()}
    situations, masked = [], False
    order = {code: index for index, code in enumerate(new_labels.situations)}
    for code in sorted(before.keys() | after.keys(), key=lambda code: (order.get(code, 10_000), code)):
        old, new = before.get(code), after.get(code)
        if old and new and (old.level, old.comment) == (new.level, new.comment):
            continue
        row = new or old
        if is_sensitive(row.theme_code, code) and not show_sensitive:
            masked = True
            continue
        labels = new_labels if new else old_labels
        label = f"{labels.theme_label(row.theme_code)} — {labels.situation_label(code)}"

        def describe(item):
            if item is None:
                return "Non renseignée"
            return BarrierLevel(item.level).label + (f" ({item.comment})" if item.comment else "")

        situations.append(Change(label, describe(old), describe(new)))
    return Diff(fields=fields, situations=situations, masked=masked)
