from ninja import Router

router = Router(tags=["Évaluation et indicateurs"])
