from ninja import Router

router = Router(tags=["Temps d'échange et de formation"])
