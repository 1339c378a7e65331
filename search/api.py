from ninja import Router

router = Router(tags=["ค้นหา"])
