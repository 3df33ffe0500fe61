"""REST API of `talent` under /api/v1/talent/."""

from ninja import Router

router = Router(tags=["talent"])
