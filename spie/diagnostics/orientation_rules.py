"""The national orientation criteria, as one readable table.

Four criteria are read from a validated diagnostic:

- **activité récente** : an activity now (employment, self-employment, training) or a job that
  ended at most two years ago (a job that ended exactly two years ago still counts);
- **projection dans l'emploi** : ready now, ready with support, not ready yet;
- **qualification** : a training level of NV5 (CAP, BEP) or above;
- **freins** : the strongest level among the social situations (strong, medium, none).

The first rule whose conditions all hold gives the proposed pathway. `ANY` matches every value.
Each proposal lists the reading of each criterion and the rule's own reason, so that the
orientation officer sees why.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .enums import ACTIVE_SITUATIONS, QUALIFIED_LEVELS, BarrierLevel, ProposedPathway, Readiness, TrainingLevel

ANY = None
STRONG, MEDIUM, NONE = BarrierLevel.STRONG, BarrierLevel.MEDIUM, BarrierLevel.NONE
READY, WITH_SUPPORT, NOT_READY = Readiness.READY, Readiness.READY_WITH_SUPPORT, Readiness.NOT_READY
PRO, SOCIO_PRO, SOCIAL = ProposedPathway.PROFESSIONAL, ProposedPathway.SOCIO_PROFESSIONAL, ProposedPathway.SOCIAL
RECENT_ACTIVITY_YEARS = 2


@dataclass(frozen=True)
class Rule:
    code: str
    barriers: frozenset | None
    readiness: frozenset | None
    recent_activity: bool | None
    qualified: bool | None
    pathway: str
    reason: str


def _set(*values):
    return frozenset(values)


# fmt: off
RULES = [
    #    code   freins                  projection                      activité  qualifié  orientation
    Rule("R1", _set(STRONG),           _set(NOT_READY),               ANY,      ANY,      SOCIAL,
         "Des freins forts empêchent pour l'instant de se projeter dans un emploi."),
    Rule("R2", _set(STRONG),           _set(READY, WITH_SUPPORT),     ANY,      ANY,      SOCIO_PRO,
         "Des freins forts à lever en même temps que la recherche d'emploi."),
    Rule("R3", _set(MEDIUM),           _set(READY),                   True,     ANY,      PRO,
         "Prêt·e et en activité récente : les freins moyens se traitent pendant le parcours vers l'emploi."),
    Rule("R4", _set(MEDIUM),           ANY,                           ANY,      ANY,      SOCIO_PRO,
         "Des freins moyens à lever, avec un accompagnement vers l'emploi."),
    Rule("R5", _set(NONE),             _set(NOT_READY),               ANY,      ANY,      SOCIO_PRO,
         "Pas de frein social, mais la projection dans l'emploi reste à construire."),
    Rule("R6", _set(NONE),             _set(READY, WITH_SUPPORT),     True,     ANY,      PRO,
         "Proche de l'emploi : activité récente et projection dans l'emploi."),
    Rule("R7", _set(NONE),             _set(READY),                   False,    True,     PRO,
         "Qualifié·e et prêt·e : un retour à l'emploi direct est envisageable malgré l'éloignement."),
    Rule("R8", _set(NONE),             _set(READY),                   False,    False,    SOCIO_PRO,
         "Sans activité depuis plus de deux ans et sans qualification : un accompagnement renforcé est utile."),
    Rule("R9", _set(NONE),             _set(WITH_SUPPORT),            False,    ANY,      SOCIO_PRO,
         "Sans activité depuis plus de deux ans et besoin d'accompagnement pour reprendre."),
]
# fmt: on
FALLBACK = Rule("R0", ANY, ANY, ANY, ANY, SOCIO_PRO, "Situation à examiner par le ou la chargé·e d'orientation.")


@dataclass(frozen=True)
class Criteria:
    recent_activity: bool
    readiness: str
    qualified: bool
    barriers: str
    strong_count: int = 0
    medium_count: int = 0
    training_level: str = ""
    last_job_ended_on: datetime.date | None = None
    active_now: bool = False


@dataclass(frozen=True)
class Proposal:
    pathway: str
    rule: str
    reasons: list

    @property
    def pathway_label(self):
        return ProposedPathway(self.pathway).label


def had_recent_activity(work_situation, last_job_ended_on, today=None):
    """Activity now, or a job that ended at most two years ago (the same day two years ago counts)."""
    if work_situation in ACTIVE_SITUATIONS:
        return True
    if last_job_ended_on is None:
        return False
    today = today or timezone.localdate()
    try:
        limit = today.replace(year=today.year - RECENT_ACTIVITY_YEARS)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - RECENT_ACTIVITY_YEARS, day=28)
    return last_job_ended_on >= limit


def strongest_barrier(levels):
    levels = set(levels)
    if BarrierLevel.STRONG in levels:
        return BarrierLevel.STRONG
    if BarrierLevel.MEDIUM in levels:
        return BarrierLevel.MEDIUM
    return BarrierLevel.NONE


def criteria_for(diagnostic, situations=None, today=None):
    """The criteria of a diagnostic (its situations may be passed to avoid a query)."""
    if situations is None:
        situations = list(diagnostic.situations.all())
    levels = [situation.level for situation in situations]
    return Criteria(
        recent_activity=had_recent_activity(diagnostic.work_situation, diagnostic.last_job_ended_on, today),
        readiness=diagnostic.readiness,
        qualified=diagnostic.training_level in QUALIFIED_LEVELS,
        barriers=strongest_barrier(levels),
        strong_count=levels.count(BarrierLevel.STRONG),
        medium_count=levels.count(BarrierLevel.MEDIUM),
        training_level=diagnostic.training_level,
        last_job_ended_on=diagnostic.last_job_ended_on,
        active_now=diagnostic.work_situation in ACTIVE_SITUATIONS,
    )


def _matches(rule, criteria):
    return (
        (rule.barriers is ANY or criteria.barriers in rule.barriers)
        and (rule.readiness is ANY or criteria.readiness in rule.readiness)
        and (rule.recent_activity is ANY or criteria.recent_activity == rule.recent_activity)
        and (rule.qualified is ANY or criteria.qualified == rule.qualified)
    )


def _count(count, adjective):
    plural = "s" if count > 1 else ""
    return f"{count} frein{plural} {adjective}{plural}"


def reasons_for(criteria):
    """One French line per criterion; never names a theme (sensitive themes stay hidden)."""
    if criteria.active_now:
        activity = "oui, en activité actuellement"
    elif criteria.recent_activity:
        activity = f"oui, dernier emploi terminé le {criteria.last_job_ended_on:%d/%m/%Y}"
    elif criteria.last_job_ended_on:
        activity = f"non, dernier emploi terminé le {criteria.last_job_ended_on:%d/%m/%Y}"
    else:
        activity = "non"
    level = TrainingLevel(criteria.training_level).label if criteria.training_level else "non renseigné"
    if criteria.barriers == BarrierLevel.NONE:
        barriers = "aucun frein fort ou moyen"
    else:
        parts = []
        if criteria.strong_count:
            parts.append(_count(criteria.strong_count, "fort"))
        if criteria.medium_count:
            parts.append(_count(criteria.medium_count, "moyen"))
        barriers = ", ".join(parts)
    readiness = Readiness(criteria.readiness).label if criteria.readiness else "non renseignée"
    return [
        f"Activité au cours des deux dernières années : {activity}.",
        f"Projection dans l'emploi : {readiness}.",
        f"Niveau de formation : {level} ({'qualifié·e' if criteria.qualified else 'sans qualification reconnue'}).",
        f"Freins périphériques : {barriers}.",
    ]


def propose(criteria):
    """The proposal for these criteria: the first matching rule, with the reasons."""
    rule = next((rule for rule in RULES if _matches(rule, criteria)), FALLBACK)
    return Proposal(pathway=rule.pathway, rule=rule.code, reasons=[*reasons_for(criteria), rule.reason])
