from ninja import Router, Schema

from spie.territories.models import Territory

from .checklist import checklists_for

router = Router(tags=["Mise en service"])


class ItemOut(Schema):
    cle: str
    libelle: str
    fait: bool
    detail: str
    aide: str


class ChecklistOut(Schema):
    territoire: str
    nom: str
    avancement: int
    etapes_faites: int
    etapes: list[ItemOut]


def _out(checklist):
    return ChecklistOut(
        territoire=checklist.territory.code,
        nom=checklist.territory.name,
        avancement=checklist.percent,
        etapes_faites=len(checklist.done),
        etapes=[
            ItemOut(cle=item.key, libelle=item.label, fait=item.done, detail=item.detail, aide=item.help)
            for item in checklist.items
        ],
    )


@router.get("", response=list[ChecklistOut], summary="Avancement de la mise en service")
def onboarding_progress(request):
    """Le territoire du jeton ; pour le jeton d'une structure nationale, tous les territoires."""
    organisation = request.auth.organisation
    territories = Territory.objects.order_by("cohort__year", "name")
    if organisation.territory_id is not None:
        territories = territories.filter(pk=organisation.territory_id)
    return [_out(checklist) for checklist in checklists_for(territories)]
