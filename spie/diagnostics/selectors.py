"""Read helpers other apps rely on (pathways, offers…): the diagnostic as a few facts."""

from dataclasses import dataclass

from spie.referentials.models import Theme

from .enums import BarrierLevel, DiagnosticStatus
from .models import Diagnostic


def latest_validated_diagnostic(person):
    """The person's most recently validated diagnostic, or None."""
    return (
        Diagnostic.objects.filter(person=person, status=DiagnosticStatus.VALIDATED)
        .order_by("-validated_at", "-number")
        .first()
    )


def barrier_themes(person):
    """Theme codes with at least one strong or medium situation in the latest validated diagnostic,
    sensitive themes included (callers decide what to show), in the referential's order."""
    diagnostic = latest_validated_diagnostic(person)
    if diagnostic is None:
        return []
    codes = (
        diagnostic.situations.filter(level__in=[BarrierLevel.STRONG, BarrierLevel.MEDIUM])
        .values_list("theme_code", flat=True)
        .distinct()
    )
    order = dict(Theme.objects.filter(version_id=diagnostic.referential_version_id).values_list("code", "position"))
    return sorted(set(codes), key=lambda code: (order.get(code, 10_000), code))


@dataclass(frozen=True)
class ProfessionalProject:
    rome_codes: list
    radius_km: int | None
    readiness: str = ""
    contract_types: list = ()
    working_time: str = ""


def professional_project(person):
    """Target ROME codes and mobility radius of the latest validated diagnostic, or None."""
    diagnostic = latest_validated_diagnostic(person)
    return _project_of(diagnostic) if diagnostic is not None else None


def _project_of(diagnostic):
    return ProfessionalProject(
        rome_codes=list(diagnostic.target_rome_codes),
        radius_km=diagnostic.mobility_radius_km,
        readiness=diagnostic.readiness,
        contract_types=list(diagnostic.contract_types),
        working_time=diagnostic.working_time,
    )


def professional_projects(people):
    """{person pk: project} for several people in one query (people without a validated
    diagnostic are absent)."""
    diagnostics = (
        Diagnostic.objects.filter(person__in=people, status=DiagnosticStatus.VALIDATED)
        .only("person_id", "target_rome_codes", "mobility_radius_km", "readiness", "contract_types", "working_time")
        .order_by("person_id", "-validated_at", "-number")
    )
    projects = {}
    for diagnostic in diagnostics:
        projects.setdefault(diagnostic.person_id, _project_of(diagnostic))
    return projects
