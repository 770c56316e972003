"""The onboarding checklist: items turn done as the territory is configured."""

import html

from django.urls import reverse
from django.utils import timezone

from spie.accounts.enums import EmailStatus, OrganisationType, Role
from spie.accounts.models import Invitation, hash_secret
from spie.casereviews.enums import BodyKind
from spie.casereviews.models import ReviewBody
from spie.onboarding.checklist import ChecklistItem, checklist_for, checklists_for
from spie.territories.models import TerritorySettings
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.people.factories import PersonFactory


def _state(territory):
    return {item.key: item.done for item in checklist_for(territory).items}


def _invite(organisation, **extra):
    return Invitation.objects.create(
        email=f"{organisation.pk}-{Invitation.objects.count()}@exemple.fr",
        organisation=organisation,
        role=Role.CONSEILLER,
        token_hash=hash_secret(Invitation.new_token()),
        expires_at=timezone.now() + timezone.timedelta(days=7),
        **extra,
    )


def test_items_of_every_built_app_in_order(nord):
    items = checklist_for(nord).items
    assert [item.key for item in items][:6] == [
        "delays",
        "structures",
        "invitations",
        "active_professionals",
        "orientation_officers",
        "people",
    ]
    assert all(item.url.startswith("/") and item.help for item in items)


def test_items_turn_done_as_the_territory_is_configured(nord):
    assert not any(_state(nord).values())

    TerritorySettings.objects.create(territory=nord)
    assert _state(nord)["delays"], "saved settings count, even when they keep the national values"

    departement = OrganisationFactory(territory=nord, type=OrganisationType.DEPARTEMENT)
    assert not _state(nord)["structures"]
    ft = OrganisationFactory(territory=nord, type=OrganisationType.FRANCE_TRAVAIL)
    assert _state(nord)["structures"]

    queued = _invite(ft, email_status=EmailStatus.QUEUED)
    assert not _state(nord)["invitations"]
    Invitation.objects.filter(pk=queued.pk).update(email_status=EmailStatus.SENT)
    assert _state(nord)["invitations"]
    failed = _invite(departement, email_status=EmailStatus.FAILED)
    assert not _state(nord)["invitations"]
    Invitation.objects.filter(pk=failed.pk).update(email_status=EmailStatus.SENT)

    MembershipFactory(organisation=ft, user=UserFactory())
    assert not _state(nord)["active_professionals"]
    MembershipFactory(organisation=departement, user=UserFactory(), role=Role.CHARGE_ORIENTATION)
    state = _state(nord)
    assert state["active_professionals"] and state["orientation_officers"]

    assert not state["people"]
    PersonFactory(territory=nord)
    assert not _state(nord)["case_review_bodies"]
    ReviewBody.objects.create(territory=nord, kind=BodyKind.SUPPORT_GROUP, name="Groupe d'appui")
    checklist = checklist_for(nord)
    assert checklist.complete
    assert checklist.percent == 100


def test_items_of_apps_are_collected_from_their_app_config(nord, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("referentials")
    monkeypatch.setattr(
        config,
        "onboarding_items",
        lambda territories: {
            t.pk: [
                {
                    "key": "extra",
                    "position": 75,
                    "label": "Étape d'un autre module",
                    "done": True,
                    "url": "/x/",
                    "help": "h",
                }
            ]
            for t in territories
        },
        raising=False,
    )
    items = checklist_for(nord).items
    assert (
        ChecklistItem(key="extra", position=75, label="Étape d'un autre module", done=True, url="/x/", help="h")
        in items
    )
    positions = [i.position for i in items]
    assert positions == sorted(positions)


def test_checklist_page_links_each_item(client_as, coordinator, nord):
    page = html.unescape(client_as(coordinator).get(reverse("onboarding:checklist", args=["59"])).content.decode())
    assert "Mise en service du territoire Nord" in page
    assert "Structures partenaires enregistrées" in page
    assert reverse("accounts:import_organisations") + "?territoire=59" in page
    assert "Importer les professionnels" in page


def test_national_page_lists_territories_with_bounded_queries(
    client_as, admin_national, nord, ardennes, django_assert_max_num_queries
):
    OrganisationFactory(territory=nord)
    client = client_as(admin_national)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("onboarding:national")).content.decode()
    assert "Nord" in page and "Ardennes" in page
    assert "0 territoire prêt sur 2" in html.unescape(page)
    assert len(checklists_for([nord, ardennes])) == 2
    page = html.unescape(client.get(reverse("onboarding:national") + "?etat=termine").content.decode())
    assert "Aucun territoire ne correspond à ce filtre." in page


def test_settings_form_sets_delays_and_audits(client_as, coordinator, nord):
    client = client_as(coordinator)
    page = html.unescape(client.get(reverse("onboarding:settings", args=["59"])).content.decode())
    assert "Valeur nationale : 30." in page
    response = client.post(reverse("onboarding:settings", args=["59"]), {"orientation_target_days": "21"})
    assert response.status_code == 302
    assert TerritorySettings.objects.get(territory=nord).orientation_target_days == 21
    from spie.core.models import AuditEvent

    event = AuditEvent.objects.get(action="onboarding.territory_settings.updated")
    assert event.data == {"fields": ["orientation_target_days"]}
    response = client.post(reverse("onboarding:settings", args=["59"]), {"orientation_target_days": "0"})
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in html.unescape(response.content.decode())
