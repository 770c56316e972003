from ninja import Router

router = Router(tags=["Évaluation participative et études"])
