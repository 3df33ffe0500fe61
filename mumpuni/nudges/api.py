"""REST API of `nudges` under /api/v1/nudges/."""

from ninja import Router

router = Router(tags=["nudges"])
