"""People API router. (Filled in by the API work.)"""

from ninja import Router

router = Router(tags=["people"])
