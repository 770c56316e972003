import datetime

import pytest
import time_machine

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.diagnostics import selectors, services
from spie.diagnostics.models import Diagnostic
from spie.people.models import AccessLog
from spie.referentials.models import ReferentialVersion, Situation, Theme

from .helpers import COMPLETE, actor, draft, validated

pytestmark = pytest.mark.usefixtures("pathway_referential")


def test_start_records_the_author_with_speciality_and_the_referential_version(camille, conseiller):
    diagnostic = draft(camille, conseiller, speciality="professionnel")
    assert diagnostic.number == 1 and diagnostic.is_draft
    assert diagnostic.referential_version == ReferentialVersion.objects.current()
    author = diagnostic.authors.get()
    assert author.membership.user == conseiller and author.speciality == "professionnel"
    event = AuditEvent.objects.get(action="diagnostics.diagnostic.started")
    assert event.subject_id == camille.public_id and event.data["number"] == 1
    assert AccessLog.objects.filter(person=camille, kind="write", what="Début d'un diagnostic").exists()


def test_only_one_draft_at_a_time(camille, conseiller, other_structure):
    draft(camille, conseiller)
    with pytest.raises(DomainError, match="brouillon de diagnostic est déjà en cours"):
        draft(camille, other_structure)


def test_author_must_be_in_the_team(camille, colleague):
    with pytest.raises(DomainError, match="équipe de suivi"):
        draft(camille, colleague)


def test_answers_hold_codes_and_levels(camille, conseiller):
    diagnostic = draft(
        camille,
        conseiller,
        situations={"logement.s02": ("fort", "Chez sa sœur"), "mobilite.s03": ("moyen", "")},
    )
    rows = {row.situation_code: (row.theme_code, row.level, row.comment) for row in diagnostic.situations.all()}
    assert rows == {"logement.s02": ("logement", "fort", "Chez sa sœur"), "mobilite.s03": ("mobilite", "moyen", "")}


def test_unknown_situation_or_level_is_refused(camille, conseiller):
    diagnostic = draft(camille, conseiller)
    with pytest.raises(DomainError, match="Situation inconnue"):
        services.update_situations(
            diagnostic=diagnostic, answers={"logement.s99": ("fort", "")}, by=actor(conseiller), include_sensitive=True
        )
    with pytest.raises(DomainError, match="Niveau inconnu"):
        services.update_situations(
            diagnostic=diagnostic, answers={"logement.s01": ("grave", "")}, by=actor(conseiller), include_sensitive=True
        )


def test_without_sensitive_access_sensitive_answers_are_kept_untouched(camille, conseiller, other_structure):
    diagnostic = draft(camille, conseiller, situations={"sante.s02": ("fort", "Dos"), "logement.s02": ("moyen", "")})
    # other_structure has no sensitive flag: sensitive rows are invisible to them and must survive their save.
    services.update_situations(
        diagnostic=diagnostic,
        answers={"mobilite.s03": ("fort", "")},
        by=actor(other_structure),
        include_sensitive=False,
    )
    assert set(diagnostic.situations.values_list("situation_code", flat=True)) == {"sante.s02", "mobilite.s03"}
    with pytest.raises(DomainError, match="thème sensible"):
        services.update_situations(
            diagnostic=diagnostic,
            answers={"sante.s01": ("moyen", "")},
            by=actor(other_structure),
            include_sensitive=False,
        )


def test_validation_names_the_missing_field(camille, conseiller):
    diagnostic = draft(camille, conseiller, work_situation="recherche")
    with pytest.raises(DomainError) as error:
        services.validate_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    assert error.value.field == "training_level"
    assert "« Niveau de formation »" in error.value.message


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC))
def test_validation_freezes_signs_and_proposes(camille, conseiller, other_structure):
    diagnostic = draft(camille, conseiller, situations={"logement.s01": ("fort", "")}, **COMPLETE)
    services.add_coauthor(
        diagnostic=diagnostic,
        membership=other_structure.memberships.get(),
        speciality="professionnel",
        by=actor(conseiller),
    )
    diagnostic = services.validate_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    assert diagnostic.is_validated and diagnostic.validated_at is not None
    assert diagnostic.proposed_pathway == "socio_professionnel" and diagnostic.proposal_rule == "R2"
    # The validating author signs; the co-author has not acted and is not signed for.
    signatures = {author.membership.user: author.signed_at for author in diagnostic.authors.all()}
    assert signatures == {conseiller: diagnostic.validated_at, other_structure: None}
    event = AuditEvent.objects.get(action="diagnostics.diagnostic.validated")
    assert event.data == {"number": 1, "proposed_pathway": "socio_professionnel", "rule": "R2"}


def test_a_validated_diagnostic_is_immutable(camille, conseiller, other_structure):
    diagnostic = validated(camille, conseiller)
    by = actor(conseiller)
    message = "validé : il ne peut plus être modifié"
    with pytest.raises(DomainError, match=message):
        services.update_diagnostic(diagnostic=diagnostic, changes={"skills": "Cuisine"}, by=by)
    with pytest.raises(DomainError, match=message):
        services.update_situations(
            diagnostic=diagnostic, answers={"logement.s01": ("fort", "")}, by=by, include_sensitive=True
        )
    with pytest.raises(DomainError, match=message):
        services.add_coauthor(
            diagnostic=diagnostic, membership=other_structure.memberships.get(), speciality="social", by=by
        )
    with pytest.raises(DomainError, match=message):
        services.validate_diagnostic(diagnostic=diagnostic, by=by)
    with pytest.raises(DomainError, match=message):
        services.abandon_diagnostic(diagnostic=diagnostic, by=by)
    assert Diagnostic.objects.get(pk=diagnostic.pk).skills == ""


def test_only_an_author_validates(camille, conseiller, other_structure):
    diagnostic = draft(camille, conseiller, **COMPLETE)
    with pytest.raises(DomainError, match="Seul un auteur"):
        services.validate_diagnostic(diagnostic=diagnostic, by=actor(other_structure))


def test_a_coauthor_from_outside_the_team_joins_it(camille, conseiller, colleague):
    diagnostic = draft(camille, conseiller)
    services.add_coauthor(
        diagnostic=diagnostic, membership=colleague.memberships.get(), speciality="professionnel", by=actor(conseiller)
    )
    camille.__dict__.pop("active_team", None)
    assert any(seat.membership.user == colleague for seat in camille.active_team)
    assert AuditEvent.objects.filter(action="people.team_member.added", subject_id=camille.public_id).exists()
    assert AuditEvent.objects.filter(action="diagnostics.author.added").exists()


def test_a_coauthor_from_another_territory_is_refused(camille, conseiller, other_territory):
    diagnostic = draft(camille, conseiller)
    with pytest.raises(DomainError, match="professionnel actif du territoire"):
        services.add_coauthor(
            diagnostic=diagnostic,
            membership=other_territory.memberships.get(),
            speciality="social",
            by=actor(conseiller),
        )


def test_a_new_version_starts_from_the_last_validated_one(camille, conseiller):
    first = validated(
        camille, conseiller, skills="Caisse", target_rome_codes=["M1607"], situations={"logement.s02": ("fort", "")}
    )
    second = draft(camille, conseiller)
    assert second.number == 2 and second.previous == first
    assert second.skills == "Caisse" and second.target_rome_codes == ["M1607"]
    assert list(second.situations.values_list("situation_code", "level")) == [("logement.s02", "fort")]


def test_a_new_referential_version_never_rewrites_existing_diagnostics(camille, conseiller, pathway_referential):
    first = validated(camille, conseiller, situations={"logement.s02": ("fort", ""), "logement.s14": ("moyen", "")})
    new_version = ReferentialVersion.objects.create(code="2027", label="Référentiel 2027", published_on="2027-01-01")
    ReferentialVersion.objects.filter(pk=pathway_referential.pk).update(is_current=False)
    ReferentialVersion.objects.filter(pk=new_version.pk).update(is_current=True)
    theme = Theme.objects.create(version=new_version, code="logement", label="Habitat", family="social")
    Situation.objects.create(version=new_version, theme=theme, code="logement.s02", label="Hébergé·e par un tiers")

    second = draft(camille, conseiller)
    assert second.referential_version == new_version
    assert list(second.situations.values_list("situation_code", flat=True)) == ["logement.s02"]
    first.refresh_from_db()
    assert first.referential_version == pathway_referential
    assert first.situations.count() == 2


def test_abandon_then_start_again(camille, conseiller):
    diagnostic = draft(camille, conseiller)
    services.abandon_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    assert draft(camille, conseiller).number == 2


def test_selectors(camille, conseiller):
    assert selectors.latest_validated_diagnostic(camille) is None
    assert selectors.barrier_themes(camille) == []
    assert selectors.professional_project(camille) is None
    validated(
        camille,
        conseiller,
        target_rome_codes=["K1302", "M1607"],
        mobility_radius_km=25,
        situations={
            "mobilite.s03": ("moyen", ""),
            "logement.s02": ("fort", ""),
            "sante.s02": ("fort", ""),
            "numerique.s09": ("sans_impact", ""),
        },
    )
    draft(camille, conseiller, situations={"numerique.s03": ("fort", "")})  # drafts do not count
    assert selectors.barrier_themes(camille) == ["logement", "mobilite", "sante"]
    project = selectors.professional_project(camille)
    assert project.rome_codes == ["K1302", "M1607"] and project.radius_km == 25


def _joint(camille, conseiller, other_structure):
    diagnostic = draft(camille, conseiller, **COMPLETE)
    services.add_coauthor(
        diagnostic=diagnostic,
        membership=other_structure.memberships.get(),
        speciality="professionnel",
        by=actor(conseiller),
    )
    return diagnostic


@time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False)
def test_the_coauthor_signs_the_validated_diagnostic_for_themself(camille, conseiller, other_structure):
    diagnostic = _joint(camille, conseiller, other_structure)
    with pytest.raises(DomainError, match="une fois validé"):
        services.cosign_diagnostic(diagnostic=diagnostic, by=actor(other_structure))
    services.validate_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC), tick=False):
        author = services.cosign_diagnostic(diagnostic=diagnostic, by=actor(other_structure))
    assert author.membership.user == other_structure
    assert author.signed_at == datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC)
    event = AuditEvent.objects.get(action="diagnostics.diagnostic.cosigned")
    assert event.subject_id == camille.public_id
    assert event.data == {"number": 1, "author": str(author.public_id), "speciality": "professionnel"}
    with pytest.raises(DomainError, match="déjà signé ce diagnostic le 02/12/2026"):
        services.cosign_diagnostic(diagnostic=diagnostic, by=actor(other_structure))


def test_nobody_signs_for_someone_else(camille, conseiller, other_structure, colleague):
    diagnostic = _joint(camille, conseiller, other_structure)
    services.validate_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    with pytest.raises(DomainError, match="Seul un co-auteur"):
        services.cosign_diagnostic(diagnostic=diagnostic, by=actor(colleague))
    with pytest.raises(DomainError, match="déjà signé"):  # the validating author signed in validating
        services.cosign_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    assert diagnostic.authors.get(membership__user=other_structure).signed_at is None
    assert not AuditEvent.objects.filter(action="diagnostics.diagnostic.cosigned").exists()


def test_only_the_coauthor_themself_may_cosign(camille, conseiller, other_structure, colleague):
    from spie.diagnostics import perms

    diagnostic = _joint(camille, conseiller, other_structure)
    member = other_structure.memberships.get()
    assert not perms.can_cosign_diagnostic(member, diagnostic)  # a draft is validated first
    services.validate_diagnostic(diagnostic=diagnostic, by=actor(conseiller))
    diagnostic = Diagnostic.objects.get(pk=diagnostic.pk)
    assert perms.can_cosign_diagnostic(member, diagnostic)
    assert not perms.can_cosign_diagnostic(conseiller.memberships.get(), diagnostic)  # already signed
    assert not perms.can_cosign_diagnostic(colleague.memberships.get(), diagnostic)  # not an author
    assert not perms.can_cosign_diagnostic(None, diagnostic)
