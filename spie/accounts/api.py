from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from spie.core.api import LimitOffsetPagination

from .enums import OrganisationType
from .models import Organisation

router = Router(tags=["Structures"])


class OrganisationOut(Schema):
    id: UUID
    nom: str
    type: str
    type_libelle: str
    siret: str
    adresse: str
    code_postal: str
    code_commune: str | None
    territoire: str | None
    email: str
    telephone: str

    @staticmethod
    def from_model(organisation):
        return OrganisationOut(
            id=organisation.public_id,
            nom=organisation.name,
            type=organisation.type,
            type_libelle=organisation.get_type_display(),
            siret=organisation.siret,
            adresse=organisation.address,
            code_postal=organisation.postal_code,
            code_commune=organisation.commune.insee_code if organisation.commune_id else None,
            territoire=organisation.territory.code if organisation.territory_id else None,
            email=organisation.email,
            telephone=organisation.phone,
        )


def visible_organisations(request):
    """What a token may see: its own structure and the active structures of its territory."""
    own = request.auth.organisation
    queryset = Organisation.objects.filter(is_active=True)
    if own.territory_id is None:
        queryset = queryset.filter(pk=own.pk)
    else:
        queryset = queryset.filter(territory_id=own.territory_id)
    return queryset.select_related("territory", "commune").order_by("name", "pk")


@router.get("", response=list[OrganisationOut], summary="Structures du territoire du jeton")
@paginate(LimitOffsetPagination)
def list_organisations(request, type: OrganisationType | None = None, q: str = ""):
    queryset = visible_organisations(request)
    if type:
        queryset = queryset.filter(type=type)
    if q:
        queryset = queryset.filter(name__icontains=q.strip())
    return [OrganisationOut.from_model(o) for o in queryset]


@router.get("/{organisation_id}", response=OrganisationOut, summary="Une structure")
def get_organisation(request, organisation_id: UUID):
    organisation = get_object_or_404(visible_organisations(request), public_id=organisation_id)
    return OrganisationOut.from_model(organisation)
