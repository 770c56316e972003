from ninja import Router

router = Router(tags=["Examens de situations"])
