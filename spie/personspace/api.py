from ninja import Router

router = Router(tags=["Espace personnel"])
